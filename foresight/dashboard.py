"""What the dashboard shows, built from a scenario's diagnostic (``diagnostic_get``): key figures, server-side
SVG charts (``charts``), the numbers of each chart as table rows, and national foresight per job."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from referentials.models import FapTension, Occupation

from . import charts
from .engine.skills import AGE_BANDS
from .national import TENSION_LEVELS, jobs_national

TOP = 15  # bars per chart; the tables hold up to TABLE rows
TABLE = 60
ROME_DOMAINS = {
    "A": gettext_lazy("Agriculture, pêche, espaces verts, soins aux animaux"),
    "B": gettext_lazy("Arts et façonnage d'ouvrages d'art"),
    "C": gettext_lazy("Banque, assurance, immobilier"),
    "D": gettext_lazy("Commerce, vente et grande distribution"),
    "E": gettext_lazy("Communication, média et multimédia"),
    "F": gettext_lazy("Construction, bâtiment et travaux publics"),
    "G": gettext_lazy("Hôtellerie-restauration, tourisme, loisirs"),
    "H": gettext_lazy("Industrie"),
    "I": gettext_lazy("Installation et maintenance"),
    "J": gettext_lazy("Santé"),
    "K": gettext_lazy("Services à la personne et à la collectivité"),
    "L": gettext_lazy("Spectacle"),
    "M": gettext_lazy("Support à l'entreprise"),
    "N": gettext_lazy("Transport et logistique"),
}
RISK_REASONS = {
    "few_holders": gettext_lazy("2 titulaires ou moins au niveau requis"),
    "all_leaving": gettext_lazy("tous les titulaires partent avant l'horizon"),
}


def band_labels() -> list[str]:
    labels = []
    for low, high in AGE_BANDS:
        if low == 0:
            labels.append(_("moins de %(n)s ans") % {"n": high + 1})
        elif high >= 120:
            labels.append(_("%(n)s ans et plus") % {"n": low})
        else:
            labels.append(_("%(low)s–%(high)s ans") % {"low": low, "high": high})
    return labels


def family_of(rome_code: str) -> str:
    letter = (rome_code or "")[:1].upper()
    return str(ROME_DOMAINS.get(letter, _("Sans code ROME")))


def _sum(periods, key) -> float:
    return sum(p[key] for p in periods)


def key_figures(result: dict) -> dict:
    periods = result["periods"]
    return {
        "start": float(result["start"]),
        "horizon": periods[-1]["headcount"] if periods else float(result["start"]),
        "retirements": _sum(periods, "retirements"),
        "planned": _sum(periods, "planned"),
        "attrition": _sum(periods, "attrition"),
        "departures": _sum(periods, "retirements") + _sum(periods, "planned") + _sum(periods, "attrition"),
        "missing": sum(max(j["gap"], 0.0) for j in result["jobs"]),
        "surplus": sum(max(-j["gap"], 0.0) for j in result["jobs"]),
    }


def pyramid_section(result: dict, pid: str, *, by_sex: bool) -> dict:
    labels = band_labels()
    rows = result["pyramid"][: len(labels)]
    unknown = sum(result["pyramid"][len(labels)]) if len(result["pyramid"]) > len(labels) else 0
    women, men, other = ([r[i] for r in rows] for i in range(3))
    if by_sex:
        names = (_("Femmes"), _("Hommes"), _("Non renseigné"))
        svg = charts.pyramid(pid, _("Pyramide des âges par sexe"), labels, women, men, other, names)
    else:
        svg = charts.hbars(pid, _("Pyramide des âges"), [(label, sum(r)) for label, r in zip(labels, rows,
                                                                                             strict=True)],
                           digits=0)
    table = [{"band": label, "women": r[0], "men": r[1], "other": r[2], "total": sum(r)}
             for label, r in zip(labels, rows, strict=True)]
    return {"svg": svg, "rows": table, "unknown": unknown, "by_sex": by_sex,
            "total": sum(t["total"] for t in table) + unknown}


def departures_section(result: dict, pid: str) -> dict:
    periods = result["periods"]
    years = [p["year"] for p in periods]
    series = [(_("Retraites"), [p["retirements"] for p in periods]),
              (_("Départs prévus"), [p["planned"] for p in periods]),
              (_("Autres départs (taux annuel)"), [p["attrition"] for p in periods])]
    band = None
    if periods and "p10" in periods[0]:
        band = ([p["p10"] for p in periods], [p["p50"] for p in periods], [p["p90"] for p in periods])
    columns = charts.stacked_columns(pid + "c", _("Départs par année"), years, series)
    line = charts.line_band(pid + "l", _("Effectif attendu à la fin de chaque année"), years, float(result["start"]),
                            [p["headcount"] for p in periods], band,
                            (_("Effectif attendu"), _("Bande Monte-Carlo P10 – P90")))
    rows = [dict(p, total=p["retirements"] + p["planned"] + p["attrition"]) for p in periods]
    return {"columns": columns, "line": line, "rows": rows, "band": band is not None}


def jobs_sections(result: dict, pid: str) -> dict:
    jobs = result["jobs"]
    by_letter: dict[str, float] = {}
    for job in jobs:
        letter = (job.get("rome_code") or "")[:1].upper()
        by_letter[letter] = by_letter.get(letter, 0.0) + job["current"]
    families: dict[str, float] = {}
    for letter, count in by_letter.items():  # one translation per family, not one per job
        family = family_of(letter)
        families[family] = families.get(family, 0.0) + count
    family_rows = sorted(families.items(), key=lambda kv: (-kv[1], kv[0]))
    units = sorted(result["units"], key=lambda u: (-u["current"], u["org_unit"] or ""))
    unit_rows = [((u["org_unit"] or _("Sans unité")), u["current"]) for u in units]
    gaps = sorted(jobs, key=lambda j: (-abs(j["gap"]), j["job"]))
    return {
        "family_svg": charts.hbars(pid + "f", _("Effectif par famille de métiers"), family_rows[:TOP], digits=0),
        "family_rows": family_rows,
        "unit_svg": charts.hbars(pid + "u", _("Effectif par unité"), unit_rows[:TOP], digits=0),
        "unit_rows": units[:TABLE], "unit_more": max(len(units) - TABLE, 0),
        "gap_svg": charts.hbars(pid + "g", _("Écart d'effectif par emploi à l'horizon (positif : personnes "
                                             "manquantes)"), [(j["job"], j["gap"]) for j in gaps[:TOP]]),
        "gap_rows": gaps[:TABLE], "gap_more": max(len(gaps) - TABLE, 0),
    }


def skills_section(result: dict, pid: str) -> dict:
    skills = sorted(result["skills"], key=lambda s: (-s["gap"], s["skill"]))
    svg = charts.paired_hbars(pid, _("Compétences : besoin et ressources à l'horizon"),
                              [(f"{s['skill']} (≥ {s['level']})", s["demand"], s["supply"]) for s in skills[:TOP]],
                              (_("Besoin"), _("Ressources")))
    return {"svg": svg, "rows": skills[:TABLE], "more": max(len(skills) - TABLE, 0), "count": len(skills),
            "short": sum(1 for s in skills if s["gap"] > 0.5)}


def _french_date(iso: str | None) -> str:
    return "" if not iso else "/".join(reversed(iso.split("-")))


def risks_section(result: dict, *, named: bool) -> dict:
    """The first TABLE risks (all holders leaving first, then the fewest holders) with their holders' names
    when ``named``."""
    risks = sorted(result["risks"], key=lambda r: (r["reason"] != "all_leaving", r["holders"], r["skill"]))
    rows = [dict(r, reason_label=RISK_REASONS.get(r["reason"], r["reason"]),
                 people=[dict(p, leaves_on=_french_date(p["leaves_on"])) for p in r["people"]] if named else [])
            for r in risks[:TABLE]]
    return {"rows": rows, "count": len(risks), "more": max(len(risks) - TABLE, 0)}


def national_section(result: dict, pid: str) -> dict:
    """The ecological-transition tags and the DARES tension of each job (through its ROME code)."""
    jobs = [j for j in result["jobs"] if j["current"] > 0 or j["has_need"]]
    codes = {j["rome_code"] for j in jobs if j.get("rome_code")}
    national = jobs_national(codes) if codes else {}
    imported = FapTension.objects.exists()
    referential = Occupation.objects.filter(code__in=codes).exists() if codes else False
    tagged, tagged_people, by_tag, rows = 0, 0.0, {}, []
    for job in jobs:
        info = national.get(job.get("rome_code") or "")
        tag = info.ecological if info else ""
        if tag:
            tagged += 1
            tagged_people += job["current"]
            by_tag[tag] = by_tag.get(tag, 0) + 1
        rows.append({"job": job["job"], "rome_code": job.get("rome_code") or "", "ecological": tag,
                     "fap_code": info.fap_code if info else "", "fap_label": info.fap_label if info else "",
                     "tension": info.tension_category if info else None,
                     "tension_label": TENSION_LEVELS.get(info.tension_category, "") if info else "",
                     "openings_pct": info.openings_pct if info else None, "gap": job["gap"]})
    people = sum(j["current"] for j in jobs)
    tension_rows = sorted((r for r in rows if r["tension"]), key=lambda r: (-r["tension"], r["job"]))
    return {
        "imported": imported, "referential": referential, "rows": rows, "jobs": len(jobs), "tagged": tagged,
        "share": tagged / len(jobs) if jobs else 0.0, "people_share": tagged_people / people if people else 0.0,
        "by_tag": sorted(by_tag.items()),
        "tension_svg": charts.hbars(pid, _("Tension nationale du métier (1 très faible – 5 très forte)"),
                                    [(r["job"], r["tension"]) for r in tension_rows[:TOP]], digits=0)
        if tension_rows else None,
    }


def dashboard_context(result: dict, *, full: bool, named: bool, by_sex: bool, pid: str = "fs") -> dict:
    """Everything the dashboard template shows. ``full``: HR and admin (every section); otherwise the pyramid
    and the departures only (a supervisor's team). ``named``: holders of knowledge-loss risks by name.
    ``by_sex``: the pyramid split by sex (restricted to admin and HR)."""
    context = {
        "figures": key_figures(result),
        "pyramid": pyramid_section(result, pid + "p", by_sex=by_sex),
        "departures": departures_section(result, pid + "d"),
        "full": full, "named": named,
    }
    if full:
        context.update(jobs=jobs_sections(result, pid + "j"), skills=skills_section(result, pid + "s"),
                       risks=risks_section(result, named=named), national=national_section(result, pid + "n"))
    return context


def compare_context(result: dict, pid: str) -> dict:
    """One column of the compare page."""
    return {
        "figures": key_figures(result),
        "departures": departures_section(result, pid + "d"),
        "gap_svg": charts.hbars(pid + "g", _("Écart d'effectif par emploi à l'horizon"),
                                [(j["job"], j["gap"]) for j in sorted(result["jobs"], key=lambda j: (-abs(j["gap"]),
                                                                                                  j["job"]))[:TOP]]),
        "skills": skills_section(result, pid + "s"),
    }


def compare_jobs(a: dict, b: dict) -> list[dict]:
    """Job gaps of two scenarios side by side."""
    rows: dict[int, dict] = {}
    for side, result in (("a", a), ("b", b)):
        for job in result["jobs"]:
            row = rows.setdefault(job["job_id"], {"job": job["job"], "current": job["current"]})
            row[side] = job
    return sorted(rows.values(), key=lambda r: r["job"])

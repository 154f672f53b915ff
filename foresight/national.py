"""National foresight: DARES tensions by FAP, the FAP ↔ ROME bridge and « Les métiers en 2030 », loaded into the
public schema (``manage.py foresight_import DIR``), and read per job of an organisation through its ROME code."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import ApplicationError
from referentials.models import FapProjection, FapRome, FapTension, Occupation

TENSIONS = "tensions.csv"
BRIDGE = "fap225_rome.csv"
LABELS = "fap2009_libelles.csv"
PROJECTIONS = "dares_metiers_2030_fap87_region.csv"
TENSION_LEVELS = {1: gettext_lazy("très faible"), 2: gettext_lazy("faible"), 3: gettext_lazy("moyenne"),
                  4: gettext_lazy("forte"), 5: gettext_lazy("très forte")}


def _find(root: Path, name: str) -> Path:
    """``name`` in ``root`` or one level below (dares/, foresight/)."""
    for candidate in (root / name, *root.glob(f"*/{name}")):
        if candidate.is_file():
            return candidate
    raise ApplicationError(_("Fichier « %(name)s » introuvable dans %(dir)s (ni dans ses sous-dossiers dares/ et "
                             "foresight/) : indiquez le dossier des données DARES.") % {"name": name, "dir": root})


def _float(text) -> float | None:
    try:
        value = float(str(text).strip().replace(",", "."))
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def _read(path: Path, *, encoding="utf-8", delimiter=",") -> list[dict]:
    try:
        text = path.read_text(encoding=encoding)
    except UnicodeDecodeError as exc:
        raise ApplicationError(_("Fichier « %(name)s » illisible (encodage inattendu).") % {"name": path.name}) from exc
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


def _require(rows: list[dict], path: Path, columns: tuple[str, ...]) -> None:
    present = set(rows[0]) if rows else set()
    missing = [c for c in columns if c not in present]
    if missing:
        raise ApplicationError(_("Fichier « %(name)s » : colonne(s) %(cols)s absente(s) ; est-ce bien le fichier "
                                 "DARES attendu ?") % {"name": path.name, "cols": ", ".join(missing)})


@dataclass(frozen=True)
class NationalSummary:
    tensions: int
    bridges: int
    projections: int


@transaction.atomic
def national_foresight_import(*, directory: Path) -> NationalSummary:
    """Replace the three tables from the DARES files of ``directory``; all or nothing (one transaction),
    idempotent (the same files give the same rows). Call on the public schema."""
    directory = Path(directory)
    labels_path = _find(directory, LABELS)
    labels = {r["code_fap"]: r["libelle_fap"] for r in _read(labels_path)}
    tensions_path = _find(directory, TENSIONS)
    rows = _read(tensions_path)
    _require(rows, tensions_path, ("fap", "Tension ", "Catégorie Tension", "niveau_geo", "niveau_fap", "Année"))
    tensions = [
        FapTension(
            fap_code=r["fap"].strip(), fap_level=r["niveau_fap"].strip(), label=labels.get(r["fap"].strip(), ""),
            employment=_float(r["Emploi moyen"]), tension=_float(r["Tension "]),
            category=int(_float(r["Catégorie Tension"])) if _float(r["Catégorie Tension"]) is not None else None,
            hiring_intensity=_float(r["Intensité d'embauches"]), training_link=_float(r["Lien formation-emploi"]),
            labour_shortage=_float(r["Manque de main-d'œuvre disponible"]),
            non_durability=_float(r["Non-durabilité de l'emploi"]),
            working_conditions=_float(r["Conditions de travail contraignantes"]),
            geographic_mismatch=_float(r["Inadéquation géographique"]), year=int(r["Année"]),
        )
        for r in rows if r["niveau_geo"].strip() == "nat"
    ]
    bridge_path = _find(directory, BRIDGE)
    bridge_rows = _read(bridge_path, encoding="cp1252", delimiter=";")
    _require(bridge_rows, bridge_path, ("Fap", "Rome"))
    pairs = {(r["Fap"].strip(), r["Rome"].strip()): (r.get("intitule_rome") or "").strip()
             for r in bridge_rows if r["Rome"].strip() not in ("", "NA")}
    bridges = [FapRome(fap_code=f, rome_code=rc, rome_label=label[:255]) for (f, rc), label in pairs.items()]
    projections_path = _find(directory, PROJECTIONS)
    projection_rows = _read(projections_path)
    _require(projection_rows, projections_path, ("code_fap", "region", "postes_a_pourvoir_milliers"))
    projections = {
        (r["code_fap"].strip(), r["region"].strip()): FapProjection(
            fap_code=r["code_fap"].strip(), label=r["fap_libelle"][:255], region=r["region"].strip(),
            employment_2019=_float(r["effectifs_2019_milliers"]),
            net_creations=_float(r["creations_destructions_milliers"]),
            end_of_career=_float(r["departs_fin_carriere_milliers"]),
            young_entrants=_float(r["jeunes_debutants_milliers"]), openings=_float(r["postes_a_pourvoir_milliers"]),
            openings_pct=_float(r["postes_a_pourvoir_pct"]), tension_2019=r["niveau_tension_2019"].strip()[:20],
        )
        for r in projection_rows
    }
    FapTension.objects.all().delete()
    FapRome.objects.all().delete()
    FapProjection.objects.all().delete()
    FapTension.objects.bulk_create(tensions)
    FapRome.objects.bulk_create(bridges)
    FapProjection.objects.bulk_create(projections.values())
    return NationalSummary(tensions=len(tensions), bridges=len(bridges), projections=len(projections))


@dataclass(frozen=True)
class JobNational:
    """What national foresight says about one job (through its ROME code): the transition tags, the DARES
    tension of its FAP 225 family (1–5), and « Les métiers en 2030 » for its FAP 87 family (national sums)."""

    rome_code: str
    ecological: str
    digital: str
    demographic: str
    fap_code: str
    fap_label: str
    tension_category: int | None
    openings_pct: float | None
    end_of_career_pct: float | None
    net_creations_pct: float | None


def jobs_national(rome_codes: set[str]) -> dict[str, JobNational]:
    """ROME 4.0 code → JobNational, in a handful of queries."""
    occupations = {o.code: o for o in Occupation.objects.filter(code__in=rome_codes)}
    parents = {code: (o.parent_code or code) for code, o in occupations.items()}
    for code in rome_codes - set(occupations):
        parents[code] = code
    bridge: dict[str, str] = {}
    for fap, rome in FapRome.objects.filter(rome_code__in=set(parents.values())).order_by("fap_code").values_list(
            "fap_code", "rome_code"):
        bridge.setdefault(rome, fap)
    faps = set(bridge.values())
    tensions = {t.fap_code: t for t in FapTension.objects.filter(fap_code__in=faps)}
    sums: dict[str, list[float]] = {}
    wanted = {f[:3] for f in faps}
    for p in FapProjection.objects.all():
        # A row may cover a group of FAP 87 families ("B3Z;B4Z"): it counts for each of them.
        for code in wanted & set(p.fap_code.split(";")):
            acc = sums.setdefault(code, [0.0, 0.0, 0.0, 0.0])
            acc[0] += p.employment_2019 or 0
            acc[1] += p.openings or 0
            acc[2] += p.end_of_career or 0
            acc[3] += p.net_creations or 0
    out = {}
    for code in rome_codes:
        occupation = occupations.get(code)
        fap = bridge.get(parents[code], "")
        tension = tensions.get(fap)
        acc = sums.get(fap[:3]) if fap else None
        share = [acc[i] / acc[0] if acc and acc[0] else None for i in range(4)]
        out[code] = JobNational(
            rome_code=code, ecological=getattr(occupation, "ecological_tag", ""),
            digital=getattr(occupation, "digital_tag", ""), demographic=getattr(occupation, "demographic_tag", ""),
            fap_code=fap, fap_label=tension.label if tension else "",
            tension_category=tension.category if tension else None,
            openings_pct=share[1], end_of_career_pct=share[2], net_creations_pct=share[3],
        )
    return out

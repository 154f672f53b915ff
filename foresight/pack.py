"""The GEPP negotiation pack of a scenario: one workbook (XlsxWriter: native Excel charts, French number and
date formats, frozen header rows, an « Hypothèses » sheet), and the same diagnostic as a printable HTML page
and its PDF (WeasyPrint, like the booklet). Every text cell is written as text: one starting with = + - @ gets
Excel's quote prefix, never runs as a formula (same rule as the staff import's exports)."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

import xlsxwriter
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _

from imports.engine.parsing import FORMULA_PREFIXES
from workforce.models import ContractType

from . import charts
from .diagnostic import Scope, diagnostic_get
from .engine.skills import AGE_BANDS
from .models import Scenario

PRINT_CSS = "foresight/pack_print.css"
# Above this many employees the page builds the pack in the worker (with progress) instead of in the request.
LARGE_PACK_EMPLOYEES = 5000
WORKBOOK_OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}
# Excel number formats are written with "," for thousands and "." for decimals and shown in the reader's
# locale: a French Excel shows 1 234,5 and 12,5 %.
NUMBER = "#,##0.0"
INTEGER = "#,##0"
PERCENT = "0.0 %"
DATE = "dd/mm/yyyy"
CHART_ROWS = 25  # charts show the largest rows; the table holds them all
# Two series told apart without colour alone: a solid fill and a hatched one.
SOLID = {"fill": {"color": "#1D3F72"}}
HATCHED = {"pattern": {"pattern": "wide_upward_diagonal", "fg_color": "#C0392B", "bg_color": "#FFFFFF"}}


def band_labels() -> list[str]:
    labels = []
    for low, high in AGE_BANDS:
        if low == 0:
            labels.append(_("moins de %(n)s ans") % {"n": high + 1})
        elif high >= 200:
            labels.append(_("%(n)s ans et plus") % {"n": low})
        else:
            labels.append(_("%(low)s-%(high)s ans") % {"low": low, "high": high})
    return labels


def short_band_labels() -> list[str]:
    """Band labels that fit the centre of the pyramid chart: "<25", "25-29", …, "65+"."""
    labels = []
    for low, high in AGE_BANDS:
        labels.append(f"<{high + 1}" if low == 0 else f"{low}+" if high >= 200 else f"{low}-{high}")
    return labels


@dataclass
class PackData:
    """Everything the pack shows, computed once for the three formats."""

    organisation: str
    scenario: Scenario
    diagnostic: dict
    national: dict = field(default_factory=dict)
    mobility: dict | None = None
    with_names: bool = False
    generated_at: datetime.datetime = field(default_factory=timezone.localtime)

    @property
    def years(self) -> list[int]:
        return [p["year"] for p in self.diagnostic["periods"]]


def _mobility(scenario: Scenario) -> dict | None:
    """The latest finished mobility plan of the scenario, with its moves, training actions and hires in words."""
    from mobility.models import MobilityPlan, Training
    from workforce.models import Job

    plan = MobilityPlan.objects.filter(scenario_id=scenario.pk, status=MobilityPlan.Status.DONE).first()
    if plan is None:
        return None
    result = plan.result or {}
    moves = result.get("moves", [])
    titles = dict(Job.objects.values_list("pk", "title"))
    counts: dict[int, int] = {}
    for move in moves:
        for training_id in move.get("training_ids", []):
            counts[training_id] = counts.get(training_id, 0) + 1
    trainings = {t.pk: t for t in Training.objects.filter(pk__in=counts)}
    actions = []
    for training_id, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        training = trainings.get(training_id)
        if training is None:
            continue
        actions.append({"title": training.title, "provider": training.provider, "people": count,
                        "cost": float(training.cost) * count, "hours": float(training.hours) * count})
    training_titles = {pk: t.title for pk, t in trainings.items()}
    return {
        "created_at": plan.finished_at or plan.created_at,
        "moves": [{"staff_number": m.get("staff_number", ""), "from_job": titles.get(m.get("from_job_id"), ""),
                   "to_job": titles.get(m.get("to_job_id"), ""), "fit": float(m.get("fit", 0)),
                   "trainings": ", ".join(training_titles.get(t, "") for t in m.get("training_ids", []))}
                  for m in moves],
        "hires": [{"job": titles.get(h["job_id"], ""), "count": h["count"]} for h in result.get("external_hires", [])],
        "trainings": actions,
        "training_cost": float(result.get("training_cost", 0.0)),
        "training_hours": float(result.get("training_hours", 0.0)),
    }


def pack_data(*, scenario: Scenario, organisation: str, with_names: bool = False,
              scope: Scope | None = None) -> PackData:
    """The diagnostic (from the cache when nothing changed), national foresight per job, the mobility plan."""
    from .national import jobs_national

    diagnostic = diagnostic_get(scenario=scenario, scope=scope)
    codes = {j["rome_code"] for j in diagnostic["jobs"] if j.get("rome_code")}
    national = jobs_national(codes) if codes else {}  # empty until ``foresight_import`` ran: no tension shown
    return PackData(organisation=organisation, scenario=scenario, diagnostic=diagnostic, national=national,
                    mobility=_mobility(scenario), with_names=with_names)


# --- rows shared by the three formats ---------------------------------------------------------------------

def _tension_label(info) -> str:
    from .national import TENSION_LEVELS

    if info is None or info.tension_category is None:
        return ""
    return str(TENSION_LEVELS.get(info.tension_category, ""))


def _reason(code: str) -> str:
    return _("tous les détenteurs partent avant l'horizon") if code == "all_leaving" else _(
        "2 détenteurs ou moins")


def sections(data: PackData) -> dict:
    """Titles, headers and rows of every topic (numbers stay numbers; the formats decide how to show them)."""
    d = data.diagnostic
    s = data.scenario
    jobs = sorted(d["jobs"], key=lambda j: (-j["current"], j["job"]))
    gaps = sorted(d["jobs"], key=lambda j: (-abs(j["gap"]), j["job"]))
    units = sorted(d["units"], key=lambda u: (-u["current"], u["org_unit"] or ""))
    pyramid = d["pyramid"]
    labels = band_labels() + [_("âge inconnu")]
    departures = [p["retirements"] + p["planned"] + p["attrition"] for p in d["periods"]]
    contracts = dict(ContractType.choices)
    out = {
        "staff": {
            "title": _("Effectifs"),
            "headers": [_("Emploi"), _("Code ROME"), _("Effectif à la date de référence"),
                        _("Effectif attendu à l'horizon")],
            "rows": [[j["job"], j.get("rome_code") or "", j["current"], j["projected"]] for j in jobs],
            "units_headers": [_("Unité"), _("Effectif à la date de référence"), _("Effectif attendu à l'horizon")],
            "units": [[u["org_unit"] or _("Sans unité"), u["current"], u["projected"]] for u in units],
            "contracts": sorted(((str(contracts.get(k, k)) if k else _("Non renseigné"), v)
                                 for k, v in d["contracts"].items()), key=lambda kv: (-kv[1], kv[0])),
        },
        "pyramid": {
            "title": _("Pyramide des âges"),
            "headers": [_("Tranche d'âge"), _("Femmes"), _("Hommes"), _("Non renseigné"), _("Total")],
            "rows": [[labels[i], row[0], row[1], row[2], sum(row)] for i, row in enumerate(pyramid)],
        },
        "departures": {
            "title": _("Départs par année"),
            "headers": [_("Année"), _("Effectif attendu en fin d'année"), _("Retraites"), _("Départs prévus"),
                        _("Départs naturels (taux annuel)"), _("Total des départs")]
            + ([_("P10"), _("P50"), _("P90")] if s.monte_carlo_runs and d["periods"] and "p10" in d["periods"][0]
               else []),
            "rows": [[p["year"], p["headcount"], p["retirements"], p["planned"], p["attrition"], departures[k]]
                     + ([p["p10"], p["p50"], p["p90"]] if "p10" in p else [])
                     for k, p in enumerate(d["periods"])],
        },
        "job_gaps": {
            "title": _("Écarts par emploi"),
            "headers": [_("Emploi"), _("Code ROME"), _("Effectif actuel"), _("Effectif attendu"), _("Cible"),
                        _("Écart (manque si positif)"), _("Tension nationale (DARES)"),
                        _("Transition écologique")],
            "rows": [[j["job"], j.get("rome_code") or "", j["current"], j["projected"], j["target"], j["gap"],
                      _tension_label(data.national.get(j.get("rome_code"))),
                      getattr(data.national.get(j.get("rome_code")), "ecological", "") or ""] for j in gaps],
        },
        "skill_gaps": {
            "title": _("Écarts de compétences"),
            "headers": [_("Compétence"), _("Niveau"), _("Demande à l'horizon"), _("Offre à l'horizon"),
                        _("Écart (manque si positif)")],
            "rows": [[k["skill"], k["level"], k["demand"], k["supply"], k["gap"]]
                     for k in sorted(d["skills"], key=lambda k: (-k["gap"], k["skill"]))],
        },
        "risks": {
            "title": _("Risques de perte de savoir-faire"),
            "sheet": _("Risques"),
            "headers": [_("Compétence"), _("Niveau requis"), _("Détenteurs"), _("Partants avant l'horizon"),
                        _("Motif")] + ([_("Détenteurs (départ)")] if data.with_names else []),
            "rows": [[r["skill"], r["level"], r["holders"], r["leaving_before_horizon"], _reason(r["reason"])]
                     + ([", ".join(f"{p['name']} ({_format_date(p['leaves_on'])})" if p["leaves_on"] else p["name"]
                                   for p in r["people"])] if data.with_names else [])
                     for r in d["risks"]],
        },
    }
    if data.mobility is not None:
        m = data.mobility
        out["mobility"] = {
            "title": _("Mobilités"),
            "headers": [_("Matricule"), _("Emploi actuel"), _("Emploi visé"), _("Adéquation"), _("Formations")],
            "rows": [[x["staff_number"], x["from_job"], x["to_job"], x["fit"], x["trainings"]] for x in m["moves"]],
            "hires_headers": [_("Emploi"), _("Recrutements externes")],
            "hires": [[h["job"], h["count"]] for h in m["hires"]],
        }
        out["training"] = {
            "title": _("Formations"),
            "headers": [_("Formation"), _("Organisme"), _("Personnes"), _("Coût (€)"), _("Heures")],
            "rows": [[t["title"], t["provider"], t["people"], t["cost"], t["hours"]] for t in m["trainings"]],
            "total": [_("Total"), "", sum(t["people"] for t in m["trainings"]), m["training_cost"],
                      m["training_hours"]],
        }
    return out


def _format_date(value) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    return value.strftime("%d/%m/%Y")


def assumptions(data: PackData) -> list[tuple[str, object, str]]:
    """(label, value, kind) lines of the « Hypothèses » sheet and section; kind: text, date, year, integer,
    number or percent."""
    s = data.scenario
    d = data.diagnostic
    lines: list[tuple[str, object, str]] = [
        (_("Organisation"), data.organisation, "text"),
        (_("Scénario"), s.name, "text"),
        (_("Date de référence"), s.reference_date, "date"),
        (_("Année d'horizon"), s.horizon_year, "year"),
        (_("Âge de départ en retraite"), s.retirement_age, "integer"),
        (_("Taux de départs annuel"), s.attrition_rate, "percent"),
        (_("Tirages Monte-Carlo"), s.monte_carlo_runs, "integer"),
        (_("Effectif à la date de référence"), float(d["start"]), "number"),
        (_("Effectif attendu à l'horizon"), d["periods"][-1]["headcount"] if d["periods"] else float(d["start"]),
         "number"),
        (_("Pack produit le"), data.generated_at.date(), "date"),
    ]
    for job, age, rate in s.job_overrides.values_list("job__title", "retirement_age", "attrition_rate"):
        if age is not None:
            lines.append((_("Âge de retraite pour « %(job)s »") % {"job": job}, age, "integer"))
        if rate is not None:
            lines.append((_("Taux de départs pour « %(job)s »") % {"job": job}, rate, "percent"))
    for unit, rate in s.unit_overrides.values_list("org_unit__name", "attrition_rate"):
        lines.append((_("Taux de départs pour l'unité « %(unit)s »") % {"unit": unit}, rate, "percent"))
    return lines


def conventions() -> list[str]:
    """How each figure is computed, in the words of the page."""
    return [
        _("Population : personnes présentes à la date de référence (entrées au plus tard ce jour-là, sans date "
          "de sortie antérieure ou égale)."),
        _("Périodes : la période k va de la date de référence + (k−1) ans (exclue) à la date de référence + k ans "
          "(incluse) ; elle porte l'année de sa fin."),
        _("Retraite : dans la période où la personne atteint l'âge de départ (celui de son emploi s'il est "
          "précisé) ; déjà atteint à la date de référence : période 1. Une date de sortie connue est un départ "
          "prévu."),
        _("Départs naturels : chaque année, une part égale au taux annuel des personnes encore présentes part "
          "(démission, mutation…) ; les chiffres sont des valeurs attendues, donc décimales."),
        _("Écart par emploi : effectif cible − effectif attendu à l'horizon (positif : il manque des personnes). "
          "Sans besoin saisi, la cible est l'effectif actuel."),
        _("Compétences : demande = Σ des effectifs cibles des emplois qui requièrent la compétence au niveau ; "
          "offre = personnes attendues à l'horizon qui ont ce niveau aujourd'hui ; l'écart est donné au niveau où "
          "il est le plus grand."),
        _("Risque de perte de savoir-faire : compétence requise détenue au niveau par 2 personnes ou moins, ou "
          "dont tous les détenteurs partent (retraite ou départ prévu) avant l'horizon."),
        _("Le sexe ne sert qu'à la pyramide des âges ; il n'entre dans aucun autre calcul."),
    ]


# --- the workbook ------------------------------------------------------------------------------------------

class _Book:
    def __init__(self, output):
        self.wb = xlsxwriter.Workbook(output, WORKBOOK_OPTIONS)
        add = self.wb.add_format
        self.header = add({"bold": True, "bg_color": "#DFE9F5", "border": 1, "text_wrap": True, "valign": "top"})
        self.header_quoted = add({"bold": True, "bg_color": "#DFE9F5", "border": 1, "text_wrap": True,
                                  "quote_prefix": True})
        self.text_quoted = add({"quote_prefix": True})
        self.bold = add({"bold": True})
        self.title = add({"bold": True, "font_size": 14})
        self.wrap = add({"text_wrap": True, "valign": "top"})
        self.formats = {"number": add({"num_format": NUMBER}), "integer": add({"num_format": INTEGER}),
                        "percent": add({"num_format": PERCENT}), "date": add({"num_format": DATE}),
                        "year": add({"num_format": "0"}), "fit": add({"num_format": "0.00"})}

    def text(self, sheet, row, col, value, fmt=None):
        value = "" if value is None else str(value)
        if not value:
            sheet.write_blank(row, col, None, fmt)
        elif value.startswith(FORMULA_PREFIXES):
            sheet.write_string(row, col, value, self.header_quoted if fmt is self.header else self.text_quoted)
        else:
            sheet.write_string(row, col, value, fmt)

    def cell(self, sheet, row, col, value, kind="number"):
        if value is None:
            sheet.write_blank(row, col, None)
        elif isinstance(value, bool):
            sheet.write_boolean(row, col, value)
        elif isinstance(value, datetime.datetime | datetime.date):
            sheet.write_datetime(row, col, value if isinstance(value, datetime.datetime)
                                 else datetime.datetime.combine(value, datetime.time()), self.formats["date"])
        elif isinstance(value, int | float):
            sheet.write_number(row, col, value, self.formats[kind])
        else:
            self.text(sheet, row, col, value)

    def table(self, sheet, top: int, headers: list[str], rows: list[list], kinds: list[str], widths: list[int],
              *, freeze: bool = True) -> None:
        for col, header in enumerate(headers):
            self.text(sheet, top, col, header, self.header)
            sheet.set_column(col, col, widths[col] if col < len(widths) else 14)
        for r, row in enumerate(rows, start=top + 1):
            for col, value in enumerate(row):
                self.cell(sheet, r, col, value, kinds[col] if col < len(kinds) else "number")
        if freeze:
            sheet.freeze_panes(top + 1, 0)
        if rows:
            sheet.autofilter(top, 0, top + len(rows), len(headers) - 1)

    def chart(self, kind: str, subtype: str | None = None):
        options = {"type": kind}
        if subtype:
            options["subtype"] = subtype
        return self.wb.add_chart(options)


def _name(sheet_title: str) -> str:
    """A sheet name Excel accepts: 31 characters, none of []:*?/\\."""
    for char in "[]:*?/\\":
        sheet_title = sheet_title.replace(char, " ")
    return sheet_title[:31]


def _ref(sheet, first_row, first_col, last_row, last_col) -> list:
    return [sheet.get_name(), first_row, first_col, last_row, last_col]


def _paired_bars(book, sheet, headers: list, n: int, title: str, *, width: int = 720, row_height: int,
                 integer_axis: bool = False):
    """Horizontal bars of columns 2 (solid) and 3 (hatched) of the first ``n`` rows, labelled by column 0."""
    chart = book.chart("bar")
    for col, style in ((2, SOLID), (3, HATCHED)):
        chart.add_series({"name": headers[col], "categories": _ref(sheet, 1, 0, n, 0),
                          "values": _ref(sheet, 1, col, n, col), **style})
    chart.set_title({"name": title})
    chart.set_y_axis({"reverse": True})
    if integer_axis:
        chart.set_x_axis({"num_format": INTEGER})
    chart.set_size({"width": width, "height": row_height * n + 120})
    return chart


def pack_workbook(data: PackData, on_progress=None) -> bytes:
    """The negotiation pack as .xlsx bytes: « Hypothèses », then one sheet per topic, each with its chart."""
    output = io.BytesIO()
    book = _Book(output)
    wb = book.wb
    topics = sections(data)

    # Hypothèses
    sheet = wb.add_worksheet(_name(_("Hypothèses")))
    sheet.set_column(0, 0, 48)
    sheet.set_column(1, 1, 40)
    book.text(sheet, 0, 0, _("Hypothèse"), book.header)
    book.text(sheet, 0, 1, _("Valeur"), book.header)
    sheet.freeze_panes(1, 0)
    row = 1
    for label, value, kind in assumptions(data):
        book.text(sheet, row, 0, label, book.bold)
        book.cell(sheet, row, 1, value, "number" if kind in ("text", "date") else kind)
        row += 1
    row += 1
    book.text(sheet, row, 0, _("Comment les chiffres sont calculés"), book.title)
    for line in conventions():
        row += 1
        sheet.merge_range(row, 0, row, 1, "", book.wrap)
        sheet.write_string(row, 0, line, book.wrap)
        sheet.set_row(row, 45)
    if on_progress:
        on_progress(20)

    # Effectifs
    topic = topics["staff"]
    sheet = wb.add_worksheet(_name(topic["title"]))
    book.table(sheet, 0, topic["headers"], topic["rows"], ["text", "text", "number", "number"], [36, 11, 16, 16])
    unit_col = len(topic["headers"]) + 1
    for col, header in enumerate(topic["units_headers"]):
        book.text(sheet, 0, unit_col + col, header, book.header)
    sheet.set_column(unit_col, unit_col, 30)
    sheet.set_column(unit_col + 1, unit_col + 2, 16)
    for r, values in enumerate(topic["units"], start=1):
        for c, value in enumerate(values):
            book.cell(sheet, r, unit_col + c, value)
    contract_col = unit_col + 4
    book.text(sheet, 0, contract_col, _("Type de contrat"), book.header)
    book.text(sheet, 0, contract_col + 1, _("Personnes"), book.header)
    sheet.set_column(contract_col, contract_col + 1, 18)
    for r, (label, count) in enumerate(topic["contracts"], start=1):
        book.text(sheet, r, contract_col, label)
        book.cell(sheet, r, contract_col + 1, count, "integer")
    if topic["rows"]:
        n = min(len(topic["rows"]), CHART_ROWS)
        chart = _paired_bars(book, sheet, topic["headers"], n, _("Effectif par emploi : aujourd'hui et à l'horizon"),
                             row_height=24, integer_axis=True)
        sheet.insert_chart(max(len(topic["units"]), len(topic["contracts"])) + 3, unit_col, chart)

    # Pyramide des âges
    topic = topics["pyramid"]
    sheet = wb.add_worksheet(_name(topic["title"]))
    rows = topic["rows"]
    book.table(sheet, 0, topic["headers"] + [_("Femmes (graphique)")],
               [r + [-r[1]] for r in rows], ["text", "integer", "integer", "integer", "integer", "integer"],
               [18, 10, 10, 14, 10, 18], freeze=True)
    bands = len(rows) - 1  # the last row is "unknown age"
    chart = book.chart("bar")
    chart.add_series({"name": topic["headers"][1], "categories": _ref(sheet, 1, 0, bands, 0),
                      "values": _ref(sheet, 1, 5, bands, 5), "gap": 10, "overlap": 100,
                      **HATCHED,
                      "border": {"color": "#333333"}})
    chart.add_series({"name": topic["headers"][2], "categories": _ref(sheet, 1, 0, bands, 0),
                      "values": _ref(sheet, 1, 2, bands, 2), "overlap": 100, "gap": 10,
                      **SOLID, "border": {"color": "#333333"}})
    chart.set_title({"name": _("Pyramide des âges (femmes à gauche, hommes à droite)")})
    chart.set_x_axis({"num_format": "#,##0;#,##0"})
    chart.set_y_axis({"label_position": "low"})
    chart.set_size({"width": 620, "height": 380})
    sheet.insert_chart(1, 7, chart)
    if on_progress:
        on_progress(40)

    # Départs par année
    topic = topics["departures"]
    sheet = wb.add_worksheet(_name(topic["title"]))
    rows = topic["rows"]
    book.table(sheet, 0, topic["headers"], rows, ["year"] + ["number"] * (len(topic["headers"]) - 1),
               [8, 16, 12, 12, 16, 14, 10, 10, 10])
    if rows:
        n = len(rows)
        chart = book.chart("column", "stacked")
        fills = [SOLID, HATCHED,
                 {"pattern": {"pattern": "small_check", "fg_color": "#6B4F00", "bg_color": "#F5D76E"}}]
        for i, col in enumerate((2, 3, 4)):
            chart.add_series({"name": topic["headers"][col], "categories": _ref(sheet, 1, 0, n, 0),
                              "values": _ref(sheet, 1, col, n, col), "border": {"color": "#333333"},
                              "data_labels": {"value": False}, **fills[i]})
        chart.set_title({"name": _("Départs attendus par année")})
        chart.set_y_axis({"num_format": INTEGER, "name": _("Personnes")})
        chart.set_size({"width": 620, "height": 320})
        sheet.insert_chart(n + 3, 0, chart)
        line = book.chart("line")
        line.add_series({"name": topic["headers"][1], "categories": _ref(sheet, 1, 0, n, 0),
                         "values": _ref(sheet, 1, 1, n, 1), "marker": {"type": "circle"},
                         "line": {"color": "#1D3F72", "width": 2.5}, "data_labels": {"value": True,
                                                                                    "num_format": INTEGER}})
        if len(topic["headers"]) > 6:
            for col, dash in ((6, "dash"), (8, "dash")):
                line.add_series({"name": topic["headers"][col], "categories": _ref(sheet, 1, 0, n, 0),
                                 "values": _ref(sheet, 1, col, n, col),
                                 "line": {"color": "#C0392B", "dash_type": dash, "width": 1.25}})
        line.set_title({"name": _("Effectif attendu en fin d'année")})
        line.set_y_axis({"num_format": INTEGER})
        line.set_size({"width": 620, "height": 320})
        sheet.insert_chart(n + 3, 6, line)
    if on_progress:
        on_progress(60)

    # Écarts par emploi
    topic = topics["job_gaps"]
    sheet = wb.add_worksheet(_name(topic["title"]))
    rows = topic["rows"]
    book.table(sheet, 0, topic["headers"], rows, ["text", "text", "number", "number", "number", "number", "text",
                                                  "text"], [36, 11, 12, 12, 12, 14, 16, 14])
    if rows:
        n = min(len(rows), CHART_ROWS)
        chart = book.chart("bar")
        chart.add_series({"name": topic["headers"][5], "categories": _ref(sheet, 1, 0, n, 0),
                          "values": _ref(sheet, 1, 5, n, 5), "fill": {"color": "#1D3F72"},
                          "invert_if_negative": False, "data_labels": {"value": True, "num_format": NUMBER}})
        chart.set_title({"name": _("Écart à l'horizon par emploi (positif : personnes manquantes)")})
        chart.set_y_axis({"reverse": True, "label_position": "low"})
        chart.set_legend({"none": True})
        chart.set_size({"width": 720, "height": 24 * n + 120})
        sheet.insert_chart(1, len(topic["headers"]) + 1, chart)

    # Écarts de compétences
    topic = topics["skill_gaps"]
    sheet = wb.add_worksheet(_name(topic["title"]))
    rows = topic["rows"]
    book.table(sheet, 0, topic["headers"], rows, ["text", "integer", "number", "number", "number"],
               [36, 8, 14, 14, 14])
    if rows:
        n = min(len(rows), CHART_ROWS)
        chart = _paired_bars(book, sheet, topic["headers"], n, _("Compétences : demande et offre à l'horizon"),
                             row_height=28)
        sheet.insert_chart(1, len(topic["headers"]) + 1, chart)
    if on_progress:
        on_progress(75)

    # Risques
    topic = topics["risks"]
    sheet = wb.add_worksheet(_name(topic["sheet"]))
    rows = topic["rows"]
    book.table(sheet, 0, topic["headers"], rows, ["text", "integer", "integer", "integer", "text", "text"],
               [36, 10, 12, 14, 36, 60])
    if rows:
        n = min(len(rows), CHART_ROWS)
        chart = _paired_bars(book, sheet, topic["headers"], n, _("Compétences à risque : détenteurs et partants"),
                             width=620, row_height=28, integer_axis=True)
        sheet.insert_chart(n + 3, 0, chart)

    # Mobilités et formations (once a mobility plan exists for the scenario)
    if "mobility" in topics:
        topic = topics["mobility"]
        sheet = wb.add_worksheet(_name(topic["title"]))
        book.table(sheet, 0, topic["headers"], topic["rows"], ["text", "text", "text", "fit", "text"],
                   [14, 30, 30, 12, 50])
        hire_col = len(topic["headers"]) + 1
        for c, header in enumerate(topic["hires_headers"]):
            book.text(sheet, 0, hire_col + c, header, book.header)
        sheet.set_column(hire_col, hire_col, 30)
        sheet.set_column(hire_col + 1, hire_col + 1, 14)
        for r, (job, count) in enumerate(topic["hires"], start=1):
            book.text(sheet, r, hire_col, job)
            book.cell(sheet, r, hire_col + 1, count, "integer")
        if topic["hires"]:
            n = min(len(topic["hires"]), CHART_ROWS)
            chart = book.chart("bar")
            chart.add_series({"name": topic["hires_headers"][1], "categories": _ref(sheet, 1, hire_col, n, hire_col),
                              "values": _ref(sheet, 1, hire_col + 1, n, hire_col + 1), "fill": {"color": "#1D3F72"}})
            chart.set_title({"name": _("Recrutements externes restant à faire")})
            chart.set_legend({"none": True})
            chart.set_y_axis({"reverse": True})
            sheet.insert_chart(n + 3, hire_col, chart)
        topic = topics["training"]
        sheet = wb.add_worksheet(_name(topic["title"]))
        rows = topic["rows"]
        book.table(sheet, 0, topic["headers"], rows + [topic["total"]],
                   ["text", "text", "integer", "number", "number"], [40, 30, 12, 14, 12])
        if rows:
            n = min(len(rows), CHART_ROWS)
            chart = book.chart("bar")
            chart.add_series({"name": topic["headers"][2], "categories": _ref(sheet, 1, 0, n, 0),
                              "values": _ref(sheet, 1, 2, n, 2), "fill": {"color": "#1D3F72"}})
            chart.set_title({"name": _("Personnes à former par formation")})
            chart.set_legend({"none": True})
            chart.set_y_axis({"reverse": True})
            sheet.insert_chart(1, len(topic["headers"]) + 1, chart)
    wb.set_properties({"title": _("Pack GEPP · %(scenario)s") % {"scenario": data.scenario.name},
                       "company": data.organisation, "comments": _("Produit par Esi Pro")})
    wb.close()
    if on_progress:
        on_progress(95)
    return output.getvalue()


# --- printable page and PDF --------------------------------------------------------------------------------

def pack_html(data: PackData, *, standalone: bool = False, downloads: dict | None = None) -> str:
    """The same diagnostic as a printable page; ``standalone`` embeds the stylesheet (files and PDFs)."""
    from .charts import fr_number

    d = data.diagnostic
    topics = sections(data)
    years = data.years
    periods = d["periods"]
    pyramid = d["pyramid"][:-1]
    band = None
    if periods and "p10" in periods[0]:
        band = ([p["p10"] for p in periods], [p["p50"] for p in periods], [p["p90"] for p in periods])
    figures = {
        "pyramid": charts.pyramid("pk-pyr", topics["pyramid"]["title"], short_band_labels(), [r[0] for r in pyramid],
                                  [r[1] for r in pyramid], [r[2] for r in pyramid],
                                  (_("Femmes"), _("Hommes"), _("Non renseigné"))),
        "departures": charts.stacked_columns(
            "pk-dep", topics["departures"]["title"], years,
            [(_("Retraites"), [p["retirements"] for p in periods]), (_("Départs prévus"), [p["planned"] for p in periods]),
             (_("Départs naturels"), [p["attrition"] for p in periods])]) if periods else "",
        "headcount": charts.line_band("pk-hc", _("Effectif attendu"), years, float(d["start"]),
                                      [p["headcount"] for p in periods], band,
                                      (_("Effectif attendu"), _("Bande P10–P90"))) if periods else "",
        "job_gaps": charts.hbars("pk-gap", topics["job_gaps"]["title"],
                                 [(r[0], r[5]) for r in topics["job_gaps"]["rows"][:CHART_ROWS]]),
        "skill_gaps": charts.paired_hbars("pk-skill", topics["skill_gaps"]["title"],
                                          [(r[0], r[2], r[3]) for r in topics["skill_gaps"]["rows"][:CHART_ROWS]],
                                          (_("Demande"), _("Offre"))),
    }

    def shown(value, kind="number"):
        if value is None:
            return ""
        if isinstance(value, datetime.date):
            return value.strftime("%d/%m/%Y")
        if isinstance(value, bool):
            return _("oui") if value else _("non")
        if isinstance(value, float):
            return fr_number(value * 100, 1) + " %" if kind == "percent" else fr_number(value)
        if isinstance(value, int):
            return str(value) if kind == "year" else fr_number(value, 0)
        return str(value)

    def table(topic, year_first=False):
        return {"headers": topic["headers"],
                "rows": [[shown(v, "year" if (year_first and i == 0) else "number") for i, v in enumerate(row)]
                         for row in topic["rows"]]}

    lines = [(label, shown(value, kind)) for label, value, kind in assumptions(data)]
    tables = {key: table(topic, year_first=key == "departures") for key, topic in topics.items()}
    tables["units"] = {"headers": topics["staff"]["units_headers"],
                       "rows": [[shown(v) for v in row] for row in topics["staff"]["units"]]}
    tables["contracts"] = {"headers": [_("Type de contrat"), _("Personnes")],
                           "rows": [[label, shown(count)] for label, count in topics["staff"]["contracts"]]}
    if "mobility" in topics:
        tables["hires"] = {"headers": topics["mobility"]["hires_headers"],
                           "rows": [[shown(v) for v in row] for row in topics["mobility"]["hires"]]}
        tables["training"]["rows"].append([shown(v) for v in topics["training"]["total"]])
    css = ""
    if standalone:
        with open(finders.find(PRINT_CSS), encoding="utf-8") as handle:
            css = handle.read()
    return render_to_string("foresight/pack_print.html", {
        "title": _("Pack GEPP · %(scenario)s") % {"scenario": data.scenario.name},
        "data": data, "assumptions": lines, "conventions": conventions(), "tables": tables, "figures": figures,
        "topics": topics, "inline_css": css, "downloads": downloads, "css_href": static(PRINT_CSS),
        "generated_at": data.generated_at.strftime("%d/%m/%Y %H:%M"),
    })


def pack_pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML  # imported on use: it loads pango, which only the PDF needs

    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=finders.find(PRINT_CSS))])


def pack_filename(scenario: Scenario, extension: str) -> str:
    from django.utils.text import slugify

    return f"pack-gepp-{slugify(scenario.name) or scenario.pk}.{extension}"


def pack_bytes(data: PackData, fmt: str, on_progress=None) -> bytes:
    if fmt == "xlsx":
        return pack_workbook(data, on_progress=on_progress)
    html = pack_html(data, standalone=True)
    return pack_pdf(html) if fmt == "pdf" else html.encode()

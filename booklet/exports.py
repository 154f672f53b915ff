"""Excel workbooks of the booklet's HR pages: the interview tracker and the ESAT indicators."""

import io

import xlsxwriter
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _labels():
    return {
        "workers": _("Travailleurs accompagnés"), "booklets_reviewed": _("Carnets revus dans l'année"),
        "interviews_held": _("Entretiens tenus"), "interviews_overdue": _("Entretiens en retard (fin d'année)"),
        "reinforced_started": _("Parcours renforcés commencés"),
        "exits_ordinary": _("Sorties vers le milieu ordinaire"), "exits_adapted": _("Sorties vers une entreprise adaptée"),
        "returns": _("Retours à l'ESAT"),
    }


STATE_LABELS = {"overdue": gettext_lazy("En retard"), "due_soon": gettext_lazy("À prévoir"),
                "ok": gettext_lazy("À jour")}


def tracker_xlsx(result) -> bytes:
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True, "default_date_format": "dd/mm/yyyy"})
    sheet = workbook.add_worksheet(_("Entretiens"))
    bold = workbook.add_format({"bold": True})
    headers = [_("Matricule"), _("Nom"), _("Dernier entretien"), _("Prochain dû le"), _("État"),
               _("Risque CPF à 6 ans"), _("Échéance des 6 ans")]
    sheet.write_row(0, 0, headers, bold)
    for n, row in enumerate(result.rows, start=1):
        sheet.write_string(n, 0, row.staff_number)
        sheet.write_string(n, 1, row.name)
        if row.last_held_on:
            sheet.write_datetime(n, 2, _as_datetime(row.last_held_on))
        sheet.write_datetime(n, 3, _as_datetime(row.due_on))
        sheet.write_string(n, 4, str(STATE_LABELS[row.state]))
        sheet.write_string(n, 5, _("oui") if row.six_year_risk else _("non"))
        if row.milestone:
            sheet.write_datetime(n, 6, _as_datetime(row.milestone))
    sheet.set_column(0, 6, 18)
    sheet.autofilter(0, 0, max(1, len(result.rows)), len(headers) - 1)
    workbook.close()
    return out.getvalue()


def indicators_xlsx(table: dict) -> bytes:
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = workbook.add_worksheet(_("Indicateurs"))
    bold = workbook.add_format({"bold": True})
    sheet.write(0, 0, _("Indicateur"), bold)
    sheet.write_row(0, 1, table["years"], bold)
    for n, (name, label) in enumerate(_labels().items(), start=1):
        sheet.write_string(n, 0, label)
        sheet.write_row(n, 1, table["rows"][name])
    sheet.set_column(0, 0, 40)
    workbook.close()
    return out.getvalue()


def _as_datetime(day):
    import datetime

    return datetime.datetime.combine(day, datetime.time())


labels = _labels

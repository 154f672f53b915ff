"""A mobility plan as an Excel workbook: every text written as text (never a formula), like the other
exports (a text starting with = + - @ gets a quote prefix)."""

import io

import xlsxwriter
from django.utils.translation import gettext as _

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
WORKBOOK_OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
                    "strings_to_urls": False}


def plan_workbook(view) -> bytes:
    """Sheets "Mouvements" (one row per move and its trainings), "Recrutements externes" and "Synthèse";
    ``view`` is what ``selectors.plan_view`` returns."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, WORKBOOK_OPTIONS)
    bold = workbook.add_format({"bold": True})
    quoted = workbook.add_format({"quote_prefix": True})
    percent = workbook.add_format({"num_format": "0%"})

    def text(sheet, row, col, value, fmt=None):
        value = "" if value is None else str(value)
        sheet.write_string(row, col, value, quoted if value.startswith(_FORMULA_START) else fmt)

    moves = workbook.add_worksheet(_("Mouvements"))
    headers = [_("Matricule"), _("Nom"), _("Emploi actuel"), _("Emploi visé"), _("Adéquation"), _("Formations"),
               _("Coût des formations (€)"), _("Heures")]
    for col, header in enumerate(headers):
        text(moves, 0, col, header, bold)
    for row, move in enumerate(view["moves"], start=1):
        text(moves, row, 0, move["staff_number"])
        text(moves, row, 1, move["name"])
        text(moves, row, 2, move["from_job"])
        text(moves, row, 3, move["to_job"])
        moves.write_number(row, 4, move["fit"], percent)
        text(moves, row, 5, " ; ".join(move["trainings"]))
        moves.write_number(row, 6, move["cost"])
        moves.write_number(row, 7, move["hours"])
    hires = workbook.add_worksheet(_("Recrutements externes"))
    text(hires, 0, 0, _("Emploi"), bold)
    text(hires, 0, 1, _("Personnes à recruter"), bold)
    for row, hire in enumerate(view["external_hires"], start=1):
        text(hires, row, 0, hire["job"])
        hires.write_number(row, 1, hire["count"])
    summary = workbook.add_worksheet(_("Synthèse"))
    lines = [(_("Scénario"), view["scenario"]), (_("Mouvements"), len(view["moves"])),
             (_("Coût total des formations (€)"), view["training_cost"]),
             (_("Heures de formation"), view["training_hours"]),
             (_("Recrutements externes"), sum(h["count"] for h in view["external_hires"]))]
    for row, (name, value) in enumerate(lines):
        text(summary, row, 0, name, bold)
        if isinstance(value, (int, float)):
            summary.write_number(row, 1, value)
        else:
            text(summary, row, 1, value)
    workbook.close()
    return output.getvalue()

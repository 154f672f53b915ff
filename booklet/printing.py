"""The printable booklet and skills CV: one HTML template for the browser's print, the PDF
(WeasyPrint) and ``booklet_export --format html|pdf``."""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.templatetags.static import static

PRINT_CSS = "booklet/print.css"


def printable_html(*, employee, items: dict, organisation: dict, title: str, selection: dict | None = None,
                   standalone: bool = False) -> str:
    """``selection``: ``{"experiences": set of ids, "skills": set of skill ids, "endorsements": set of ids}``
    (None shows everything). ``standalone`` embeds the stylesheet (files and PDFs have no server)."""
    def chosen(kind, key):
        if selection is None:
            return True
        return key in selection.get(kind, set())
    css = ""
    if standalone:
        with open(finders.find(PRINT_CSS), encoding="utf-8") as handle:
            css = handle.read()
    return render_to_string("booklet/printable.html", {
        "employee": employee, "organisation": organisation, "title": title, "inline_css": css,
        "css_href": static(PRINT_CSS),
        "experiences": [e for e in items["experiences"] if chosen("experiences", e.pk)],
        "skills": [s for s in items["skills"] if s["level"] is not None and chosen("skills", s["skill_id"])],
        "endorsements": [d for d in items["endorsements"] if d.status == "accepted" and chosen("endorsements", d.pk)],
        "interviews": items["interviews"] if selection is None else [],
        "pathway": items["pathway"] if selection is None else [],
    })


def pdf_from_html(html: str) -> bytes:
    from weasyprint import CSS, HTML  # imported on use: it loads pango, which only the PDF needs

    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=finders.find(PRINT_CSS))])

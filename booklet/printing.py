"""The printable booklet and skills CV: one HTML template for the browser's print, the PDF
(WeasyPrint) and ``booklet_export --format html|pdf``."""

import base64

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.templatetags.static import static

PRINT_CSS = "booklet/print.css"
ICONS = ("savoir", "savoir_faire", "savoir_etre", "experience", "endorsement")


def _icons() -> dict:
    """The easy-read pictograms as data URIs, so a PDF or a saved file shows them without a server."""
    icons = {}
    for name in ICONS:
        with open(finders.find(f"booklet/icons/{name}.svg"), "rb") as handle:
            icons[name] = "data:image/svg+xml;base64," + base64.b64encode(handle.read()).decode("ascii")
    return icons


def printable_html(*, employee, items: dict, organisation: dict, title: str, selection: dict | None = None,
                   standalone: bool = False, easy: bool = False, scale: list | None = None) -> str:
    """``easy`` gives the easy-read (FALC) version: large type, one idea per line, a pictogram per skill
    family and each level drawn as filled circles out of ``scale`` (the organisation's level values).
    ``selection``: ``{"experiences": set of ids, "skills": set of skill ids, "endorsements": set of ids}``
    (None shows everything). ``standalone`` embeds the stylesheet (files and PDFs have no server)."""
    def chosen(kind, key):
        if selection is None:
            return True
        return key in selection.get(kind, set())
    css = ""
    if standalone:
        with open(finders.find(PRINT_CSS), encoding="utf-8") as handle:
            css = handle.read()
    template = "booklet/printable_easy.html" if easy else "booklet/printable.html"
    skills = [s for s in items["skills"] if s["level"] is not None and chosen("skills", s["skill_id"])]
    icons = _icons() if easy else {}
    if easy:
        scale = scale or [1, 2, 3, 4]
        skills = [{**s, "icon": icons.get(s.get("kind"), icons["savoir_faire"]),
                   "dots": [value <= s["level"] for value in scale], "total": len(scale)} for s in skills]
    return render_to_string(template, {
        "icons": icons,
        "employee": employee, "organisation": organisation, "title": title, "inline_css": css,
        "css_href": static(PRINT_CSS),
        "experiences": [e for e in items["experiences"] if chosen("experiences", e.pk)],
        "skills": skills,
        "endorsements": [d for d in items["endorsements"] if d.status == "accepted" and chosen("endorsements", d.pk)],
        "interviews": items["interviews"] if selection is None else [],
        "pathway": items["pathway"] if selection is None else [],
    })


def pdf_from_html(html: str) -> bytes:
    from weasyprint import CSS, HTML  # imported on use: it loads pango, which only the PDF needs

    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=finders.find(PRINT_CSS))])

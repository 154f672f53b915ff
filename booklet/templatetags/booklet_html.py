"""The booklet page's two long lists (evidence under each skill, the timeline) written in Python: a
booklet of hundreds of items renders several times faster than through template tags, with the same
markup and the same escaping (``format_html``)."""

from django import template
from django.urls import reverse
from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ..models import Evidence, Experience, Interview, PathwayStep

register = template.Library()
_PLACEHOLDER = 987654321


class _Words:
    """What every item repeats, translated and formatted once per page."""

    def __init__(self):
        self.short_date = get_format("SHORT_DATE_FORMAT")
        self.came_from, self.valid, self.until = _("Venu de :"), _("valable jusqu'au"), _("jusqu'au")
        self.situation, self.photo, self.wishes = _("Situation :"), _("Photo"), _("souhaits :")
        self.kinds = {model: {value: str(label) for value, label in model.Kind.choices}
                      for model in (Evidence, Experience, Interview, PathwayStep)}
        self.rae = {value: str(label) for value, label in Evidence.RaeStep.choices}
        self.outcomes = {value: str(label) for value, label in PathwayStep.Outcome.choices}
        self.remove, self.edit = _("Retirer"), _("Modifier")

    def change_links(self, staff_number: str, kind: str, pk: int, what: str):
        """The "Modifier" and "Retirer" links of an item, for whoever may change it."""
        edit = reverse(f"booklet:{kind}_edit", args=[staff_number, pk])
        url = reverse("booklet:item_delete", args=[staff_number, kind, pk])
        return format_html(' <a class="edit" href="{}">{}<span class="visually-hidden"> {}</span></a>'
                           ' <a class="remove" href="{}">{}<span class="visually-hidden"> {}</span></a>',
                           edit, self.edit, what, url, self.remove, what)

    def date(self, day) -> str:
        return dateformat.format(day, self.short_date)

    def origin(self, origin: str):
        return format_html('<span class="origin">{} {}</span>', self.came_from, origin) if origin else mark_safe("")


def _words(context) -> _Words:
    """One ``_Words`` per page render (the evidence list is called once per skill)."""
    if "booklet_words" not in context.render_context:
        context.render_context["booklet_words"] = _Words()
    return context.render_context["booklet_words"]


@register.simple_tag(takes_context=True)
def evidence_items(context, evidence, staff_number: str, skill_label: str, access=None, user_id=None):
    """The ``<li>`` of a skill's evidence, newest first as given, with "Modifier" and "Retirer" links on
    what the reader may change (``access``: the reader's ``selectors.Access``)."""
    words = _words(context)
    url = reverse("api:booklet_evidence_file", args=[staff_number, _PLACEHOLDER])

    def item(ev):
        parts = [format_html("<strong>{}</strong> · {}", words.kinds[Evidence][ev.kind], words.date(ev.observed_on))]
        if ev.observer_name:
            parts.append(format_html(" · {}", ev.observer_name))
        if ev.rae_step:
            parts.append(format_html(" · {}", words.rae.get(ev.rae_step, ev.rae_step)))
        if ev.valid_until:
            parts.append(format_html(" · {} {}", words.valid, words.date(ev.valid_until)))
        if ev.situation:
            parts.append(format_html("<br>{} {}", words.situation, ev.situation))
        if ev.note:
            parts.append(format_html("<br>{}", ev.note))
        if ev.file:
            link = url.replace(str(_PLACEHOLDER), str(ev.pk))
            if ev.content_type == "application/pdf":
                parts.append(format_html('<br><a href="{}">{}</a>', link, ev.file_name))
            else:
                parts.append(format_html('<br><img class="evidence-photo" src="{}" alt="{} : {}" loading="lazy">',
                                         link, words.photo, skill_label))
        parts.append(words.origin(ev.origin))
        if access is not None and (access.edit or (access.own and ev.created_by_id == user_id and not ev.origin)):
            parts.append(words.change_links(staff_number, "evidence", ev.pk, f"{words.kinds[Evidence][ev.kind]} "
                                            f"{words.date(ev.observed_on)}"))
        return format_html('<li data-evidence="{}">{}</li>', ev.pk, mark_safe("".join(map(str, parts))))  # noqa: S308

    return mark_safe("".join(item(ev) for ev in evidence))  # noqa: S308


@register.simple_tag(takes_context=True)
def timeline_items(context, events, staff_number: str = "", access=None, user_id=None):
    """The ``<li>`` of the timeline (experiences, interviews, pathway steps), in the order given, with
    "Modifier" and "Retirer" links on what the reader may change."""
    words = _words(context)

    def item(event):
        kind, it = event["kind"], event["item"]
        head = format_html('<time datetime="{}">{}</time> ', event["date"].isoformat(), words.date(event["date"]))
        if kind == "experience":
            body = format_html("<strong>{}</strong> : {}", words.kinds[Experience][it.kind], it.title)
            if it.place:
                body += format_html(" ({})", it.place)
            if it.end:
                body += format_html(" — {} {}", words.until, words.date(it.end))
            if it.description:
                body += format_html("<br>« {} »", it.description)
            body += words.origin(it.origin)
        elif kind == "interview":
            body = format_html("<strong>{}</strong>", words.kinds[Interview][it.kind])
            if it.wishes:
                body += format_html(" — {} « {} »", words.wishes, it.wishes)
        else:
            body = format_html("<strong>{}</strong>", words.kinds[PathwayStep][it.kind])
            if it.employer:
                body += format_html(" — {}", it.employer)
            body += format_html(" ({})", words.outcomes.get(it.outcome, it.outcome))
        if access is not None:
            mine = access.own and it.created_by_id == user_id and not it.origin
            if access.edit or (kind == "experience" and mine):
                body += words.change_links(staff_number, kind, it.pk, f"{it}")
        return format_html('<li class="event-{}">{}{}</li>', kind, head, body)

    return format_html_join("", "{}", ((item(event),) for event in events))


@register.simple_tag
def easy_evidence_items(evidence, staff_number: str, skill_label: str):
    """The easy-read version of a skill's evidence: one short line per observation, then its photo."""
    url = reverse("api:booklet_evidence_file", args=[staff_number, _PLACEHOLDER])
    alt = _("Photo : %(skill)s") % {"skill": skill_label}
    day = _("Le %(d)s :")

    def item(ev):
        line = format_html("<p>{}{}</p>", day % {"d": dateformat.format(ev.observed_on, "j F Y")},
                           f" {ev.note}" if ev.note else "")
        if ev.file and ev.content_type != "application/pdf":
            line += format_html('<img class="evidence-photo" src="{}" alt="{}">',
                                url.replace(str(_PLACEHOLDER), str(ev.pk)), alt)
        return line

    return format_html_join("", "{}", ((item(ev),) for ev in evidence))

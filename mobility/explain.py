"""Suggestions in words a person understands: what matches, what is below target, what is missing, which
credit came through a mapping or a similar skill (naming that skill), the ROME mobility edge, and the paths
people take from occupations close to the person's (``nearby``)."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def _levels(amount: float) -> str:
    rounded = round(amount, 1)
    shown = number_format(rounded, decimal_pos=0 if rounded == int(rounded) else 1)
    return ngettext("%(count)s niveau", "%(count)s niveaux", max(1, int(round(rounded)))) % {"count": shown}


def _names(lines) -> str:
    return ", ".join(f"« {line.skill} »" for line in lines)


def explanation(lines, *, rome_edge: tuple[str, str] | None = None, nearby=None) -> list[str]:
    """French sentences for one (employee, job) pair from its requirement lines (``selectors.Line``)."""
    sentences = []
    reached = [line for line in lines if line.credit >= 1]
    below = [line for line in lines if 0 < line.credit < 1]
    missing = [line for line in lines if line.credit == 0]
    if reached:
        sentences.append(_("Niveau requis atteint : %(skills)s.") % {"skills": _names(reached)})
    for line in below:
        sentences.append(_("« %(skill)s » : niveau %(held)s pour %(required)s demandé, il manque %(gap)s.") % {
            "skill": line.skill, "held": number_format(round(line.held, 1)), "required": line.required,
            "gap": _levels(line.required - line.held)})
    if missing:
        sentences.append(_("Compétences manquantes : %(skills)s.") % {"skills": _names(missing)})
    for line in lines:
        if line.via == "mapping":
            sentences.append(_("« %(skill)s » compte grâce à « %(source)s », rattachée à la même compétence du "
                               "référentiel (ROME ou ESCO).") % {"skill": line.skill, "source": line.source})
        elif line.via == "similar":
            sentences.append(_("« %(skill)s » compte en partie grâce à la compétence proche « %(source)s » "
                               "(similarité %(sigma)s).") % {"skill": line.skill, "source": line.source,
                                                            "sigma": number_format(line.sigma, decimal_pos=2)})
    if rome_edge:
        sentences.append(_("Le ROME de France Travail cite ce métier comme une mobilité possible depuis l'emploi "
                           "actuel (%(source)s → %(target)s).") % {"source": rome_edge[0], "target": rome_edge[1]})
    if nearby is not None and nearby.count:
        sentences.append(ngettext(
            "Parcours fréquent : dans le ROME, %(count)s des %(total)s métiers les plus proches de l'emploi actuel "
            "par les compétences mène à ce métier (%(names)s).",
            "Parcours fréquent : dans le ROME, %(count)s des %(total)s métiers les plus proches de l'emploi actuel "
            "par les compétences mènent à ce métier (dont %(names)s).", nearby.count) % {
                "count": nearby.count, "total": nearby.total, "names": ", ".join(f"« {n} »" for n in nearby.via)})
    return sentences

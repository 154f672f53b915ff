"""Organisation skills, their mappings onto ROME/ESCO skills, and the level scale."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from esipro.errors import ApplicationError

from ..engine import normalize_label
from ..models import OrgSkill, SkillKind, SkillLevel, SkillMapping

LABEL_MAX = OrgSkill._meta.get_field("label").max_length


def _clean_label(label: str | None) -> tuple[str, str]:
    label = " ".join((label or "").split())[:LABEL_MAX]
    key = normalize_label(label)
    if not key:
        raise ApplicationError(_("L'intitulé de la compétence est vide : saisissez au moins un mot."))
    return label, key


def _check_kind(kind: str) -> None:
    if kind not in SkillKind.values:
        raise ApplicationError(
            _("Nature « %(kind)s » inconnue : choisissez parmi %(choices)s.")
            % {"kind": kind, "choices": ", ".join(SkillKind.values)}
        )


def org_skill_get_or_create(*, label: str, kind: str = SkillKind.KNOW_HOW) -> OrgSkill:
    """The organisation skill spelled ``label`` up to accents, case, spaces and punctuation.

    "Soudure TIG" and "soudure  tig" are the same skill; a new one is created (queued for mapping)
    only when no spelling of it exists yet. ``kind`` applies to a new skill only.
    """
    label, key = _clean_label(label)
    _check_kind(kind)
    try:
        with transaction.atomic():
            skill, _created = OrgSkill.objects.get_or_create(
                normalized_label=key, defaults={"label": label, "kind": kind}
            )
    except IntegrityError:  # created concurrently between the read and the insert
        skill = OrgSkill.objects.get(normalized_label=key)
    return skill


@transaction.atomic
def org_skills_get_or_create_many(*, labels: Iterable[str], kind: str = SkillKind.KNOW_HOW) -> dict[str, OrgSkill]:
    """Bulk variant for imports: ``{label as given: OrgSkill}`` with two queries whatever the count."""
    _check_kind(kind)
    cleaned = {given: _clean_label(given) for given in labels}
    keys = {key for _label, key in cleaned.values()}
    existing = {s.normalized_label: s for s in OrgSkill.objects.filter(normalized_label__in=keys)}
    missing = {}
    for label, key in cleaned.values():
        if key not in existing and key not in missing:
            missing[key] = OrgSkill(label=label, normalized_label=key, kind=kind)
    if missing:
        OrgSkill.objects.bulk_create(missing.values(), ignore_conflicts=True)
        existing.update({s.normalized_label: s for s in OrgSkill.objects.filter(normalized_label__in=missing)})
    return {given: existing[key] for given, (_label, key) in cleaned.items()}


@transaction.atomic
def org_skill_create(*, label: str, kind: str = SkillKind.KNOW_HOW, description: str = "") -> OrgSkill:
    label, key = _clean_label(label)
    _check_kind(kind)
    if OrgSkill.objects.filter(normalized_label=key).exists():
        raise ApplicationError(
            _("La compétence « %(label)s » existe déjà (à l'accentuation ou aux majuscules près).")
            % {"label": label}
        )
    return OrgSkill.objects.create(label=label, normalized_label=key, kind=kind, description=description)


@transaction.atomic
def org_skill_update(*, skill: OrgSkill, label: str | None = None, kind: str | None = None,
                     description: str | None = None) -> OrgSkill:
    if label is not None:
        label, key = _clean_label(label)
        if OrgSkill.objects.filter(normalized_label=key).exclude(pk=skill.pk).exists():
            raise ApplicationError(
                _("Une autre compétence s'écrit déjà « %(label)s » : fusionnez-les plutôt que de renommer.")
                % {"label": label}
            )
        skill.label, skill.normalized_label = label, key
    if kind is not None:
        _check_kind(kind)
        skill.kind = kind
    if description is not None:
        skill.description = description
    skill.save()
    return skill


@transaction.atomic
def org_skill_delete(*, skill: OrgSkill) -> None:
    try:
        skill.delete()
    except ProtectedError as exc:
        raise ApplicationError(
            _("La compétence « %(label)s » est utilisée par des emplois ou des salariés : "
              "retirez-la d'abord des emplois et des profils.") % {"label": skill.label}
        ) from exc


def _suggest_many(labels: list[str], k: int):
    # Imported here: the mapping engine loads its index lazily and is owned by the referentials app.
    from referentials.suggest import suggest_skills_many

    return suggest_skills_many(labels, k=k)


@transaction.atomic
def org_skill_mappings_suggest(*, skills: Iterable[OrgSkill], k: int = 5) -> int:
    """Store the engine's top-``k`` ROME/ESCO candidates of each skill as ``suggested`` mappings.

    Pairs someone already accepted or rejected are left as reviewed; a pair still ``suggested``
    gets the new confidence. Returns the number of suggestions created or refreshed.
    """
    skills = list(skills)
    if not skills:
        return 0
    from referentials.models import EscoSkill, Skill

    results = _suggest_many([s.label for s in skills], k)
    codes = {r.code for rows in results for r in rows if r.source == "rome"}
    uris = {r.code for rows in results for r in rows if r.source == "esco"}
    rome_ids = dict(Skill.objects.filter(code_ogr__in=codes).values_list("code_ogr", "id"))
    esco_ids = dict(EscoSkill.objects.filter(uri__in=uris).values_list("uri", "id"))
    existing = {
        (m.org_skill_id, "rome" if m.rome_skill_id else "esco", m.rome_skill_id or m.esco_skill_id): m
        for m in SkillMapping.objects.filter(org_skill__in=skills)
    }
    to_create, to_update = [], []
    for skill, rows in zip(skills, results, strict=True):
        seen = set()
        for row in rows:
            # ``code`` is a code OGR for ROME and a URI for ESCO.
            target = rome_ids.get(row.code) if row.source == "rome" else esco_ids.get(row.code)
            key = (skill.pk, row.source, target)
            if target is None or key in seen:
                continue
            seen.add(key)
            confidence = round(float(row.confidence), 4)
            mapping = existing.get(key)
            if mapping is None:
                to_create.append(SkillMapping(
                    org_skill=skill, confidence=confidence,
                    rome_skill_id=target if row.source == "rome" else None,
                    esco_skill_id=target if row.source == "esco" else None,
                ))
            elif mapping.status == SkillMapping.Status.SUGGESTED:
                mapping.confidence = confidence
                to_update.append(mapping)
    SkillMapping.objects.bulk_create(to_create)
    SkillMapping.objects.bulk_update(to_update, ["confidence"])
    return len(to_create) + len(to_update)


@transaction.atomic
def mapping_review(*, mappings: Iterable[SkillMapping], status: str, user) -> int:
    """Accept or reject ``mappings`` together; their skills leave the "to map" queue. Returns the count."""
    if status not in (SkillMapping.Status.ACCEPTED, SkillMapping.Status.REJECTED):
        raise ApplicationError(_("Choisissez « accepter » ou « rejeter » pour les correspondances."))
    ids = [m.pk for m in mappings]
    if not ids:
        raise ApplicationError(_("Cochez au moins une correspondance avant de valider."))
    count = SkillMapping.objects.filter(pk__in=ids).update(
        status=status, reviewed_by=user, reviewed_at=timezone.now()
    )
    OrgSkill.objects.filter(mappings__pk__in=ids).update(needs_mapping=False)
    return count


@transaction.atomic
def skill_level_update(*, level: SkillLevel, label: str, description: str) -> SkillLevel:
    label = " ".join((label or "").split())
    if not label:
        raise ApplicationError(_("Le libellé du niveau %(value)s est vide.") % {"value": level.value})
    level.label, level.description = label[:100], (description or "").strip()
    level.save(update_fields=["label", "description"])
    return level

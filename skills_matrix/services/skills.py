"""Organisation skills, their mappings onto ROME/ESCO skills, and the level scale."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError

from ..engine import is_sensitive_label, normalize_label
from ..models import EmployeeSkill, JobRequirement, OrgSkill, SkillKind, SkillLevel, SkillMapping

LABEL_MAX = OrgSkill._meta.get_field("label").max_length


def _clean_label(label: str | None) -> tuple[str, str]:
    label = " ".join((label or "").split())[:LABEL_MAX]
    key = normalize_label(label)
    if not key:
        raise ApplicationError(_("L'intitulé de la compétence est vide : saisissez au moins un mot."))
    if is_sensitive_label(label):
        raise ApplicationError(
            _("« %(label)s » désigne une donnée personnelle sensible (handicap, santé, sexe, âge…), pas une "
              "compétence : elle n'est jamais enregistrée comme compétence ni utilisée dans un score. "
              "Choisissez un autre intitulé.") % {"label": label}
        )
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


@dataclass(frozen=True)
class SkillUsage:
    """What still refers to an organisation skill: current levels, closed (historical) levels, jobs."""

    current_levels: int = 0
    closed_levels: int = 0
    job_titles: tuple[str, ...] = ()

    @property
    def requirements(self) -> int:
        return len(self.job_titles)

    @property
    def in_use(self) -> bool:
        return bool(self.current_levels or self.closed_levels or self.job_titles)


def org_skill_usage(*, skill_ids: Iterable[int]) -> dict[int, SkillUsage]:
    """``{skill id: SkillUsage}`` for ``skill_ids`` in two grouped queries (unused skills are absent)."""
    ids = list(skill_ids)
    levels: dict[int, list[int]] = {}
    rows = (EmployeeSkill.objects.filter(skill_id__in=ids).values("skill_id")
            .annotate(current=Count("pk", filter=Q(valid_to__isnull=True)),
                      closed=Count("pk", filter=Q(valid_to__isnull=False))))
    for row in rows:
        levels[row["skill_id"]] = [row["current"], row["closed"]]
    jobs: dict[int, list[str]] = {}
    for skill_id, title in (JobRequirement.objects.filter(skill_id__in=ids)
                            .order_by("job__title").values_list("skill_id", "job__title")):
        jobs.setdefault(skill_id, []).append(title)
    return {
        pk: SkillUsage(current_levels=levels.get(pk, [0, 0])[0], closed_levels=levels.get(pk, [0, 0])[1],
                       job_titles=tuple(jobs.get(pk, ())))
        for pk in ids if pk in levels or pk in jobs
    }


def _delete_refusal(skill: OrgSkill, usage: SkillUsage) -> str:
    if usage.current_levels or usage.requirements:
        shown = ", ".join(usage.job_titles[:5]) + (" …" if usage.requirements > 5 else "")
        return _(
            "La compétence « %(label)s » est encore utilisée : %(levels)s niveau(x) actuel(s) de salariés et "
            "%(requirements)s exigence(s) d'emploi%(jobs)s. Retirez-la d'abord de chaque emploi (page de "
            "l'emploi, bouton « Retirer ») et retirez les niveaux actuels depuis la fiche compétences des "
            "salariés ; ou renommez-la plutôt que de la supprimer."
        ) % {"label": skill.label, "requirements": usage.requirements,
             "jobs": f" ({shown})" if shown else "", "levels": usage.current_levels}
    return _(
        "La compétence « %(label)s » n'est plus utilisée aujourd'hui, mais l'historique des niveaux en garde "
        "%(closed)s version(s) close(s), que la matrice à une date passée affiche encore : la supprimer "
        "effacerait cet historique, elle est donc conservée. Renommez-la plutôt (par exemple en ajoutant "
        "« (obsolète) ») pour signaler qu'elle ne sert plus."
    ) % {"label": skill.label, "closed": usage.closed_levels}


@transaction.atomic
def org_skill_delete(*, skill: OrgSkill) -> None:
    """Delete a skill nothing refers to; otherwise refuse, saying what holds it and what to do."""
    usage = org_skill_usage(skill_ids=[skill.pk]).get(skill.pk)
    if usage is not None and usage.in_use:
        raise ApplicationError(_delete_refusal(skill, usage))
    try:
        skill.delete()
    except ProtectedError as exc:  # a level or requirement written since the check above
        raise ApplicationError(_delete_refusal(skill, org_skill_usage(skill_ids=[skill.pk])[skill.pk])) from exc


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
    """Accept or reject ``mappings`` together; their skills leave the "to map" queue. Returns the count.

    Accepting a mapping rejects the other *suggested* mappings of its skill: the reviewer has chosen,
    and the skill leaves the review queue (the rejected candidates stay listed by the API).
    """
    if status not in (SkillMapping.Status.ACCEPTED, SkillMapping.Status.REJECTED):
        raise ApplicationError(_("Choisissez « accepter » ou « rejeter » pour les correspondances."))
    ids = [m.pk for m in mappings]
    if not ids:
        raise ApplicationError(_("Cochez au moins une correspondance avant de valider."))
    now = timezone.now()
    count = SkillMapping.objects.filter(pk__in=ids).update(status=status, reviewed_by=user, reviewed_at=now)
    if status == SkillMapping.Status.ACCEPTED:
        SkillMapping.objects.filter(
            org_skill__mappings__pk__in=ids, status=SkillMapping.Status.SUGGESTED
        ).update(status=SkillMapping.Status.REJECTED, reviewed_by=user, reviewed_at=now)
    OrgSkill.objects.filter(mappings__pk__in=ids).update(needs_mapping=False)
    return count


def _standard_skill(source: str, code: str):
    from referentials.models import EscoSkill, Skill

    code = (code or "").strip()
    if source not in ("rome", "esco"):
        raise ApplicationError(
            _("Référentiel « %(source)s » inconnu : indiquez « rome » (code OGR) ou « esco » (URI).")
            % {"source": source}
        )
    if not code:
        raise ApplicationError(_("Indiquez le code de la compétence du référentiel (code OGR ROME ou URI ESCO)."))
    model, field = (Skill, "code_ogr") if source == "rome" else (EscoSkill, "uri")
    target = model.objects.filter(**{field: code}).first()
    if target is None:
        raise ApplicationError(
            _("Compétence %(source)s « %(code)s » introuvable dans le référentiel : cherchez-la avec "
              "/api/v1/referentials/suggest?kind=skill&label=… et reprenez son code.")
            % {"source": source.upper(), "code": code},
            status=404,
        )
    return target


@transaction.atomic
def mapping_create(*, skill: OrgSkill, source: str, code: str, user) -> SkillMapping:
    """Map ``skill`` onto the ROME (code OGR) or ESCO (URI) skill ``code`` chosen by ``user``.

    The mapping is accepted at confidence 1.0 (an existing pair is accepted again); the skill's other
    suggestions are rejected, as when a suggestion is accepted.
    """
    target = _standard_skill(source, code)
    lookup = {"rome_skill": target} if source == "rome" else {"esco_skill": target}
    mapping, _created = SkillMapping.objects.select_for_update().get_or_create(org_skill=skill, **lookup)
    mapping.confidence = 1.0
    mapping.save(update_fields=["confidence"])
    mapping_review(mappings=[mapping], status=SkillMapping.Status.ACCEPTED, user=user)
    mapping.refresh_from_db()
    return mapping


@transaction.atomic
def mapping_cancel(*, mapping: SkillMapping, user) -> SkillMapping:
    """Undo an accepted mapping (it becomes rejected). A skill left with no accepted mapping goes back
    to the "to map" queue, so that suggestions are computed for it again."""
    if mapping.status != SkillMapping.Status.ACCEPTED:
        raise ApplicationError(_("Seule une correspondance acceptée peut être annulée."))
    mapping.status, mapping.reviewed_by, mapping.reviewed_at = SkillMapping.Status.REJECTED, user, timezone.now()
    mapping.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    if not SkillMapping.objects.filter(org_skill_id=mapping.org_skill_id,
                                       status=SkillMapping.Status.ACCEPTED).exists():
        OrgSkill.objects.filter(pk=mapping.org_skill_id).update(needs_mapping=True)
    return mapping


@transaction.atomic
def skill_level_update(*, level: SkillLevel, label: str, description: str) -> SkillLevel:
    label = " ".join((label or "").split())
    if not label:
        raise ApplicationError(_("Le libellé du niveau %(value)s est vide.") % {"value": level.value})
    level.label, level.description = label[:100], (description or "").strip()
    level.save(update_fields=["label", "description"])
    return level

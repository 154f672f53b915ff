"""Endorsements: a third party (a tutor, a trainer) confirms a skill or an experience through a
single-use, expiring link sent by e-mail. Only the SHA-256 of the link's secret is stored."""

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError

from ..audit import Actor, audit_write
from ..models import Endorsement, Experience
from ._common import require_add, require_change
from .items import _skill


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def endorsement_request(*, actor: Actor, employee, email: str, name: str, link_base: str,
                        skill_id: int | None = None, experience_id: int | None = None) -> Endorsement:
    """Ask ``name`` <``email``> to confirm a skill or an experience of ``employee``; the link
    ``{link_base}/endorse/<secret>`` is e-mailed once (after commit) and never shown again."""
    require_add(actor, employee)
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ApplicationError(_("Adresse e-mail « %(email)s » invalide : vérifiez-la (ex. prenom.nom@entreprise.fr).")
                               % {"email": email}, status=422) from exc
    if not (name or "").strip():
        raise ApplicationError(_("Indiquez le nom de la personne qui doit confirmer."), status=422)
    if (skill_id is None) == (experience_id is None):
        raise ApplicationError(_("Indiquez soit une compétence (skill_id), soit une expérience (experience_id), "
                                 "pas les deux."), status=422)
    skill = _skill(skill_id) if skill_id is not None else None
    experience = None
    if experience_id is not None:
        experience = Experience.objects.filter(employee=employee, pk=experience_id).first()
        if experience is None:
            raise ApplicationError(_("Expérience %(id)s introuvable dans ce carnet.") % {"id": experience_id},
                                   status=404)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    endorsement = Endorsement.objects.create(
        employee=employee, skill=skill, experience=experience, name=name.strip(), email=email,
        token_hash=token_hash(token), expires_at=now + datetime.timedelta(days=settings.ESIPRO_ENDORSEMENT_DAYS),
        requested_by=actor.user, requested_at=now,
    )
    audit_write(actor=actor, employee=employee, action="create", item=f"endorsement {endorsement.pk}")
    subject = skill.label if skill else experience.title
    link = f"{link_base.rstrip('/')}/endorse/{token}"
    message = _(
        "Bonjour %(name)s,\n\n%(who)s vous demande de confirmer « %(subject)s » pour %(worker)s.\n"
        "Ouvrez ce lien pour confirmer, refuser ou commenter (aucun compte n'est nécessaire) :\n%(link)s\n\n"
        "Ce lien ne sert qu'une fois et expire le %(expires)s.\n"
    ) % {"name": endorsement.name, "who": str(actor.user) if actor.user else "Esi Pro", "subject": subject,
         "worker": employee.full_name or employee.staff_number, "link": link,
         "expires": timezone.localtime(endorsement.expires_at).strftime("%d/%m/%Y")}
    transaction.on_commit(lambda: send_mail(_("Confirmation de compétence demandée"), message, None, [email]))
    return endorsement


@dataclass(frozen=True)
class TokenState:
    endorsement: Endorsement | None
    problem: str = ""  # a plain-French sentence when the link cannot be used


def endorsement_for_token(token: str) -> TokenState:
    """The endorsement behind ``token`` and, if the link cannot be used any more, why."""
    endorsement = (Endorsement.objects.select_related("employee", "skill", "experience")
                   .filter(token_hash=token_hash(token)).first())
    if endorsement is None:
        return TokenState(None, _("Ce lien n'est pas valable. Vérifiez qu'il est complet ou demandez un nouveau "
                                  "lien à la personne qui vous l'a envoyé."))
    if endorsement.used_at is not None:
        return TokenState(endorsement, _("Ce lien a déjà été utilisé le %(day)s. Il ne sert qu'une fois : "
                                         "merci, votre réponse est enregistrée.")
                          % {"day": timezone.localtime(endorsement.used_at).strftime("%d/%m/%Y")})
    if endorsement.expires_at <= timezone.now():
        return TokenState(endorsement, _("Ce lien a expiré le %(day)s. Demandez un nouveau lien à la personne qui "
                                         "vous l'a envoyé.")
                          % {"day": timezone.localtime(endorsement.expires_at).strftime("%d/%m/%Y")})
    return TokenState(endorsement)


@transaction.atomic
def endorsement_respond(*, token: str, decision: str, comment: str = "", ip: str | None = None) -> Endorsement:
    """The third party's answer: ``accepted`` or ``refused``, with an optional comment. The link then
    stops working."""
    if decision not in (Endorsement.Status.ACCEPTED, Endorsement.Status.REFUSED):
        raise ApplicationError(_("Choisissez « Je confirme » ou « Je ne confirme pas »."))
    state = endorsement_for_token(token)
    if state.problem:
        raise ApplicationError(state.problem, status=410 if state.endorsement else 404)
    # Lock the row: two clicks on the same link must not both count.
    endorsement = Endorsement.objects.select_for_update().get(pk=state.endorsement.pk)
    if endorsement.used_at is not None:
        raise ApplicationError(endorsement_for_token(token).problem, status=410)
    now = timezone.now()
    endorsement.status, endorsement.comment = decision, comment.strip()[:4000]
    endorsement.used_at = endorsement.responded_at = now
    endorsement.save(update_fields=["status", "comment", "used_at", "responded_at"])
    audit_write(actor=Actor(user=None, ip=ip), employee=endorsement.employee, action="update",
                item=f"endorsement {endorsement.pk} answer", who="tiers (lien e-mail)")
    return endorsement


@transaction.atomic
def endorsement_delete(*, actor: Actor, endorsement: Endorsement) -> None:
    require_change_endorsement(actor, endorsement)
    audit_write(actor=actor, employee=endorsement.employee, action="delete", item=f"endorsement {endorsement.pk}")
    endorsement.delete()


def require_change_endorsement(actor: Actor, endorsement: Endorsement):
    # An endorsement has no ``created_by``; its requester stands for it.
    endorsement.created_by_id = endorsement.requested_by_id
    return require_change(actor, endorsement)

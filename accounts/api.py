"""Accounts of the organisation (admin): list, invite, change, deactivate or delete."""

from django.shortcuts import get_object_or_404
from ninja import Router, Status

from accounts.permissions import require_right
from core.pagination import page

from . import selectors, services
from .schemas import UserIn, UserOut, UserPage, UserPatch

router = Router(tags=["accounts"])


def _site(request) -> dict:
    return {"site_url": request.build_absolute_uri("/"), "organization_name": request.tenant.name}


@router.get("/users", response=UserPage, summary="Comptes de l'organisation (paginé)")
def user_list(request, search: str = "", role: str = "", status: str = "", limit: int = 50, offset: int = 0):
    require_right(request.user, "users.manage")
    return page(selectors.user_list(search=search, role=role, status=status), limit=limit, offset=offset)


@router.post("/users", response={201: UserOut}, summary="Inviter une personne (l'invitation part par e-mail)")
def user_invite(request, payload: UserIn):
    require_right(request.user, "users.manage")
    user = services.user_invite(actor=request.user, email=payload.email, role=payload.role,
                                full_name=payload.full_name, staff_number=payload.staff_number, **_site(request))
    return Status(201, selectors.user_list().get(pk=user.pk))


@router.get("/users/{int:user_id}", response=UserOut, summary="Un compte")
def user_detail(request, user_id: int):
    require_right(request.user, "users.manage")
    return get_object_or_404(selectors.user_list(), pk=user_id)


@router.patch("/users/{int:user_id}", response=UserOut, summary="Changer le rôle, le nom, la fiche ou l'état")
def user_update(request, user_id: int, payload: UserPatch):
    require_right(request.user, "users.manage")
    user = get_object_or_404(selectors.user_list(), pk=user_id)
    changes = payload.dict(exclude_unset=True)
    services.user_update(actor=request.user, user=user, role=changes.get("role"),
                         full_name=changes.get("full_name"), is_active=changes.get("is_active"),
                         **({"staff_number": changes["staff_number"] or ""} if "staff_number" in changes else {}))
    return selectors.user_list().get(pk=user.pk)


@router.delete("/users/{int:user_id}", response={204: None},
               summary="Supprimer une invitation jamais acceptée, sinon désactiver le compte")
def user_remove(request, user_id: int):
    require_right(request.user, "users.manage")
    user = get_object_or_404(selectors.user_list(), pk=user_id)
    services.user_remove(actor=request.user, user=user)
    return Status(204, None)

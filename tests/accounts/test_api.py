"""``/api/v1/users``: list, invite, change, delete; admin only; other organisations' accounts answer 404."""

import pytest
from django_tenants.utils import tenant_context

from accounts.models import AuditEntry, User
from accounts.services import token_create

from .test_users import pk_unknown_in


@pytest.fixture
def api_for(client_for):
    def make(organization, user):
        with tenant_context(organization):
            _token, key = token_create(user=user)
        return client_for(organization, HTTP_AUTHORIZATION=f"Bearer {key}")

    return make


def test_it_invites_lists_changes_and_deletes_through_the_api(in_alpha, make_user, api_for, mailoutbox,
                                                              employee_factory):
    employee_factory(staff_number="API-1")
    admin = make_user(in_alpha, "admin")
    api = api_for(in_alpha, admin)

    created = api.post("/api/v1/users", {"email": "Api@Alpha.test", "role": "supervisor",
                                         "full_name": "Ana Pi", "staff_number": "API-1"},
                       content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    assert body["email"] == "api@alpha.test" and body["status"] == "pending" and body["staff_number"] == "API-1"
    assert mailoutbox[0].to == ["api@alpha.test"]
    user_id = body["id"]

    listing = api.get("/api/v1/users?role=supervisor").json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == user_id

    changed = api.patch(f"/api/v1/users/{user_id}", {"role": "hr", "staff_number": ""},
                        content_type="application/json")
    assert changed.status_code == 200
    assert changed.json()["role"] == "hr" and changed.json()["staff_number"] is None

    bad = api.post("/api/v1/users", {"email": "x@alpha.test", "role": "chef"}, content_type="application/json")
    assert bad.status_code == 400
    assert bad.json()["detail"] == "Rôle « chef » inconnu : choisissez parmi admin, hr, supervisor, employee."

    # A pending invitation is deleted; an account that has signed in is only deactivated.
    assert api.delete(f"/api/v1/users/{user_id}").status_code == 204
    assert not User.objects.filter(pk=user_id).exists()
    used = make_user(in_alpha, "employee")
    assert api.delete(f"/api/v1/users/{used.pk}").status_code == 204
    used.refresh_from_db()
    assert not used.is_active
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"invited", "role_changed", "employee_linked", "deleted", "deactivated"} <= actions


def test_it_refuses_the_users_api_to_other_roles_and_names_the_role(in_alpha, make_user, api_for):
    for role in ("hr", "supervisor", "employee"):
        api = api_for(in_alpha, make_user(in_alpha, role))
        response = api.get("/api/v1/users")
        assert response.status_code == 403
        assert response.json() == {"detail": "Action réservée au rôle : administrateur."}
        assert api.post("/api/v1/users", {"email": "x@alpha.test", "role": "hr"},
                        content_type="application/json").status_code == 403


def test_it_answers_404_for_another_organisations_account_through_the_api(in_alpha, beta, make_user, api_for):
    beta_admin = make_user(beta, "admin")
    alpha_user = pk_unknown_in(beta, make_user(in_alpha, "employee"))
    api = api_for(beta, beta_admin)
    assert api.get(f"/api/v1/users/{alpha_user.pk}").status_code == 404
    assert api.patch(f"/api/v1/users/{alpha_user.pk}", {"role": "hr"},
                     content_type="application/json").status_code == 404
    assert api.delete(f"/api/v1/users/{alpha_user.pk}").status_code == 404
    assert api.get("/api/v1/users").json()["count"] == 1

"""Read API of the shared referentials: /api/v1/referentials/occupations and /skills."""

from django_tenants.utils import tenant_context

from accounts.services import token_create
from referentials.models import Occupation, OccupationSkill


def test_it_finds_occupations_accent_and_case_insensitively(rome_referential, alpha, make_user, client_for):
    client = client_for(alpha, make_user(alpha, "employee"))
    body = client.get("/api/v1/referentials/occupations", {"search": "BOULANGERE"}).json()
    # Own labels first, then occupations found through a title ("… boulangère" in H2105).
    assert [o["code"] for o in body["items"]] == ["D1102", "D1108", "H2105"]
    assert body["count"] == 3
    assert body["items"][0] == {
        "code": "D1102",
        "label": "Boulanger / Boulangère",
        "parent_code": "D1102",
        "domain_code": "D11",
        "ecological_tag": "Emploi Blanc",
        "digital_tag": "Non",
        "demographic_tag": "Non",
    }
    accents = client.get("/api/v1/referentials/occupations", {"search": "developpeuse informatique"}).json()
    assert accents["items"][0]["code"] == "M1805"


def test_it_finds_an_occupation_through_one_of_its_titles(rome_referential, alpha, make_user, client_for):
    client = client_for(alpha, make_user(alpha, "employee"))
    body = client.get("/api/v1/referentials/occupations", {"search": "chauffeuse de machines agricoles"}).json()
    assert [o["code"] for o in body["items"]] == ["A1101"]


def test_it_pages_the_occupation_list(rome_referential, alpha, make_user, client_for):
    client = client_for(alpha, make_user(alpha, "hr"))
    body = client.get("/api/v1/referentials/occupations", {"limit": 10, "offset": 20}).json()
    assert body["count"] == 1584
    assert len(body["items"]) == 10
    codes = sorted(Occupation.objects.values_list("code", flat=True))
    assert [o["code"] for o in body["items"]] == codes[20:30]


def test_it_details_an_occupation_with_core_and_emerging_skills(rome_referential, alpha, make_user, client_for):
    client = client_for(alpha, make_user(alpha, "supervisor"))
    body = client.get("/api/v1/referentials/occupations/d1402").json()
    assert body["code"] == "D1402"
    assert body["label"] == "Commercial / Commerciale grands comptes et entreprises"
    core = OccupationSkill.objects.filter(occupation__code="D1402", role="core").count()
    emerging = OccupationSkill.objects.filter(occupation__code="D1402", role="emerging").count()
    assert core > 0
    assert len(body["core_skills"]) == core
    assert len(body["emerging_skills"]) == emerging
    assert {"code_ogr", "label", "kind", "kind_label", "group_code_ogr", "group_label", "category"} == set(
        body["core_skills"][0]
    )
    assert any(t["is_main"] and t["label"] == body["label"] for t in body["titles"])
    assert [m["order"] for m in body["mobility_targets"]] == sorted(m["order"] for m in body["mobility_targets"])
    assert body["definition"]


def test_it_answers_404_for_an_unknown_occupation(rome_referential, alpha, make_user, client_for):
    response = client_for(alpha, make_user(alpha, "employee")).get("/api/v1/referentials/occupations/Z9999")
    assert response.status_code == 404
    assert response.json() == {"detail": "Introuvable."}


def test_it_searches_skills_by_words_and_kind(rome_referential, alpha, make_user, client_for):
    client = client_for(alpha, make_user(alpha, "employee"))
    soft = client.get("/api/v1/referentials/skills", {"kind": "savoir_etre", "limit": 100}).json()
    assert soft["count"] == 16
    assert {s["kind_label"] for s in soft["items"]} == {"Savoir-être professionnel"}
    body = client.get("/api/v1/referentials/skills", {"search": "abattre ARBRES"}).json()
    assert body["items"][0]["label"] == "Abattre un arbre"
    assert body["items"][0]["kind"] == "savoir_faire"
    savoirs = client.get("/api/v1/referentials/skills", {"search": "securite", "kind": "savoir"}).json()
    assert savoirs["count"] > 0
    assert all(s["kind"] == "savoir" and "curit" in s["label"].lower() for s in savoirs["items"])


def test_it_rejects_an_unknown_skill_kind_in_french(rome_referential, alpha, make_user, client_for):
    response = client_for(alpha, make_user(alpha, "employee")).get("/api/v1/referentials/skills?kind=hard")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Nature de compétence inconnue « hard »")


def test_it_serves_the_same_referential_to_every_organisation_with_a_token(
    rome_referential, alpha, beta, make_user, client_for
):
    beta_user = make_user(beta, "employee")
    with tenant_context(beta):
        _token, key = token_create(user=beta_user)
    response = client_for(beta, HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/referentials/occupations/M1805")
    assert response.status_code == 200
    assert response.json()["label"] == "Développeur / Développeuse informatique"
    # A token of beta means nothing on alpha's host.
    other = client_for(alpha, HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/referentials/occupations/M1805")
    assert other.status_code == 401


def test_it_refuses_anonymous_reads(rome_referential, alpha, client_for):
    client = client_for(alpha)
    for url in (
        "/api/v1/referentials/occupations",
        "/api/v1/referentials/occupations/M1805",
        "/api/v1/referentials/skills",
    ):
        assert client.get(url).status_code == 401, url


def test_it_refuses_the_token_of_a_deactivated_user(rome_referential, alpha, make_user, client_for):
    user = make_user(alpha, "employee")
    with tenant_context(alpha):
        _token, key = token_create(user=user)
        user.is_active = False
        user.save(update_fields=["is_active"])
    response = client_for(alpha, HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/referentials/skills")
    assert response.status_code == 401

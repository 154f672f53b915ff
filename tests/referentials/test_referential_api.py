"""Read API of the shared referentials: /api/v1/referentials/occupations and /skills."""

from django_tenants.utils import tenant_context

from accounts.services import token_create
from referentials.models import EscoOccupation, EscoSkill, Occupation, OccupationSkill, Skill

SKILLS = "/api/v1/referentials/skills"
OCCUPATIONS = "/api/v1/referentials/occupations"
HOUSEKEEPING = "http://data.europa.eu/esco/skill/00f12ec1-b416-4e3c-8ed7-c4f875c6b681"


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
        "source": "rome",
        "alt_labels": [],
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
        "/api/v1/referentials/skills?search=abattre&source=esco",
        "/api/v1/referentials/occupations?search=boulanger&source=all",
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


def test_it_searches_rome_then_esco_skills_by_default(rome_referential, alpha, make_user, client_for):
    client = client_for(alpha, make_user(alpha, "employee"))
    body = client.get(SKILLS, {"search": "abattre ARBRES"}).json()
    assert body["count"] == 4
    assert [(s["source"], s["label"]) for s in body["items"]] == [
        ("rome", "Abattre un arbre"),
        ("rome", "Recenser les arbres à abattre ou à élaguer"),
        ("esco", "abattre des arbres"),
        ("esco", "reconnaître les arbres à abattre"),
    ]
    rome, esco = body["items"][0], body["items"][2]
    assert rome["code"] == rome["code_ogr"] == "100023"
    assert rome["kind_label"] == "Savoir-faire"
    assert esco["code"] == EscoSkill.objects.get(label="abattre des arbres").uri
    assert esco["code"].startswith("http://data.europa.eu/esco/skill/")
    assert (esco["code_ogr"], esco["kind"], esco["kind_label"]) == ("", "", "")
    only_esco = client.get(SKILLS, {"search": "abattre ARBRES", "source": "esco"}).json()
    assert [s["label"] for s in only_esco["items"]] == ["abattre des arbres", "reconnaître les arbres à abattre"]
    only_rome = client.get(SKILLS, {"search": "abattre ARBRES", "source": "rome"}).json()
    assert {s["source"] for s in only_rome["items"]} == {"rome"} and only_rome["count"] == 2
    everything = client.get(SKILLS, {"limit": 1}).json()
    assert everything["count"] == Skill.objects.count() + EscoSkill.objects.count() == 33671 + 13095


def test_it_finds_an_esco_skill_through_an_alternative_label(rome_referential, alpha, make_user, client_for):
    client = client_for(alpha, make_user(alpha, "hr"))
    body = client.get(SKILLS, {"search": "Superviser les ACTIVITES de menage"}).json()
    assert body["count"] == 1
    assert body["items"][0]["source"] == "esco"
    assert body["items"][0]["code"] == HOUSEKEEPING
    assert body["items"][0]["label"] == "superviser les services ménagers"
    assert "superviser les activités de ménage" in body["items"][0]["alt_labels"]


def test_it_searches_esco_occupations_on_request(rome_referential, alpha, make_user, client_for):
    client = client_for(alpha, make_user(alpha, "supervisor"))
    rome = client.get(OCCUPATIONS, {"search": "boulangere"}).json()
    assert [o["code"] for o in rome["items"]] == ["D1102", "D1108", "H2105"]
    esco = client.get(OCCUPATIONS, {"search": "boulangere", "source": "esco"}).json()
    assert [o["label"] for o in esco["items"]] == [
        "boulanger/boulangère",
        "opérateur de boulangerie/opératrice de boulangerie",
        "pâtissier/pâtissière",
    ]
    first = esco["items"][0]
    assert first["source"] == "esco"
    assert first["code"] == EscoOccupation.objects.get(label="boulanger/boulangère").uri
    assert (first["parent_code"], first["ecological_tag"]) == ("", "")
    both = client.get(OCCUPATIONS, {"search": "boulangere", "source": "all"}).json()
    assert both["count"] == 6
    assert [o["source"] for o in both["items"]] == ["rome"] * 3 + ["esco"] * 3
    # Through an alternative label only.
    by_alt = client.get(OCCUPATIONS, {"search": "réparateur d'engins agricoles", "source": "esco"}).json()
    assert [o["label"] for o in by_alt["items"]] == ["technicien d'engins agricoles/technicienne d'engins agricoles"]
    assert "réparateur d'engins agricoles" in by_alt["items"][0]["alt_labels"]
    assert client.get(OCCUPATIONS, {"source": "all", "limit": 1}).json()["count"] == 1584 + 2740


def test_it_rejects_an_unknown_source_or_a_rome_kind_for_esco_in_french(
    rome_referential, alpha, make_user, client_for
):
    client = client_for(alpha, make_user(alpha, "employee"))
    response = client.get(SKILLS, {"source": "onisep"})
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Source inconnue « onisep » : utilisez « rome », « esco » ou « all » (les deux)."
    )
    assert client.get(OCCUPATIONS, {"source": "ESCO"}).status_code == 400
    response = client.get(SKILLS, {"source": "esco", "kind": "savoir"})
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "La nature « savoir » est une nature ROME : les compétences ESCO n'en ont pas. "
        "Retirez « kind » ou utilisez source=rome."
    )


def test_every_organisation_sees_the_same_esco_data(rome_referential, alpha, beta, make_user, client_for):
    params = {"search": "boulangere", "source": "all"}
    alpha_body = client_for(alpha, make_user(alpha, "employee")).get(OCCUPATIONS, params).json()
    beta_body = client_for(beta, make_user(beta, "employee")).get(OCCUPATIONS, params).json()
    assert beta_body == alpha_body
    assert beta_body["count"] == 6
    skills = {"search": "superviser les activites de menage"}
    beta_skills = client_for(beta, make_user(beta, "admin")).get(SKILLS, skills).json()
    assert [s["code"] for s in beta_skills["items"]] == [HOUSEKEEPING]

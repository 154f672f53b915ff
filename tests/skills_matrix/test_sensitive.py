"""Sensitive personal data (disability, health, sex, age...) never becomes a skill."""

import pytest

from skills_matrix.engine import is_sensitive_label
from skills_matrix.models import OrgSkill

JSON = {"content_type": "application/json"}


@pytest.mark.parametrize(
    "label",
    [
        "RQTH (oui/non)",
        "Handicap reconnu",
        "Reconnaissance travailleur handicapé",
        "Taux d'incapacité",
        "Sexe (H/F)",
        "Genre",
        "Âge",
        "Date RQTH",
        "Restrictions médicales",
        "Aptitude médicale",
        "Situation de handicap",
        "Nationalité",
        "État de santé",
    ],
)
def test_it_recognises_labels_of_sensitive_data(label):
    assert is_sensitive_label(label)


@pytest.mark.parametrize(
    "label",
    [
        "Soudure TIG",
        "Santé et sécurité au travail",
        "Accompagner une personne en situation de handicap",
        "Accueil du public handicapé",
        "Secourisme",
        "Maladies professionnelles",
        "Langue des signes",
    ],
)
def test_it_keeps_skills_about_serving_people_or_workplace_safety(label):
    assert not is_sensitive_label(label)


def test_it_refuses_a_sensitive_label_as_an_organisation_skill(in_alpha, make_user, api_client):
    client = api_client(in_alpha, make_user(in_alpha, "hr"))
    refused = client.post("/api/v1/skills", {"label": "RQTH"}, **JSON)
    assert refused.status_code == 400
    assert refused.json()["detail"].startswith("« RQTH » désigne une donnée personnelle sensible (handicap, santé")
    assert not OrgSkill.objects.filter(label="RQTH").exists()
    accepted = client.post("/api/v1/skills", {"label": "Accueil du public handicapé"}, **JSON)
    assert accepted.status_code == 201

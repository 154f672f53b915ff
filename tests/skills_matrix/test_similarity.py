"""The skill similarity the worker builds (``skills_matrix/services/similarity.py``), with the real encoders."""

from skills_matrix import services
from skills_matrix.models import SkillSimilarity
from skills_matrix.services.similarity import skill_similarities_build

LABELS = ("Souder des pièces métalliques à l'arc", "Réaliser une soudure à l'arc électrique", "Accueillir un client")


def test_it_links_same_skills_with_the_similarity_encoder_not_the_suggestions_one(in_alpha, settings, tmp_path):
    settings.ESIPRO_ENCODER = "use"  # suggestions
    settings.ESIPRO_SIMILARITY_ENCODER = "e5"
    settings.DATA_DIR = tmp_path
    weld, welding, welcome = (services.org_skill_get_or_create(label=label) for label in LABELS)
    assert skill_similarities_build() > 0
    sigma = {(row.skill_id, row.similar_id): row.sigma for row in SkillSimilarity.objects.all()}
    assert sigma[(weld.pk, welding.pk)] > 0.5 and sigma[(welding.pk, weld.pk)] > 0.5
    assert sigma.get((weld.pk, welcome.pk), 0.0) < 0.5
    assert list((tmp_path / "cache" / "embeddings" / "organisations").glob("embeddings-e5.npy"))
    assert not list((tmp_path / "cache" / "embeddings" / "organisations").glob("embeddings-use.npy"))


def test_it_writes_nothing_while_the_encoder_is_off(in_alpha, settings):
    settings.ESIPRO_ENCODER = ""
    for label in LABELS:
        services.org_skill_get_or_create(label=label)
    assert skill_similarities_build() == 0
    assert not SkillSimilarity.objects.exists()

"""Pages built on ROME say why they are empty when ROME is not imported, and how to fix it."""

from referentials.models import Occupation, OccupationTitle


def test_it_explains_an_empty_rome_page_and_an_empty_mapping_page(in_alpha, make_user, client_for):
    OccupationTitle.objects.all().delete()  # rolled back with the test: the session's referentials stay
    Occupation.objects.all().delete()
    client = client_for(in_alpha, make_user(in_alpha, "admin"))
    rome = client.get("/referentiels/metiers/").content.decode()
    assert "Le référentiel ROME n'est pas encore importé" in rome
    assert "C'est pourquoi aucune fiche métier n'apparaît" in rome
    assert "Demandez à l'opérateur de la plateforme de l'importer" in rome
    mappings = client.get("/competences/rapprochements/").content.decode()
    assert "C'est pourquoi aucune suggestion n'apparaît" in mappings


def test_it_shows_no_notice_once_rome_is_imported(rome_referential, in_alpha, make_user, client_for):
    page = client_for(in_alpha, make_user(in_alpha, "admin")).get("/referentiels/metiers/").content.decode()
    assert "referential-missing" not in page

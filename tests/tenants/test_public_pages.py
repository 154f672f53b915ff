"""The platform's public host: its French home page."""


def text_of(response) -> str:
    return response.content.decode()


def test_it_renders_the_platform_home_page_in_french(db, client):
    response = client.get("/", HTTP_HOST="localhost")
    assert response.status_code == 200
    assert "Gestion des emplois et des parcours professionnels (GEPP)" in text_of(response)

"""The API object: its OpenAPI schema and documentation page."""


def test_it_serves_the_openapi_docs(in_alpha, client_for, make_user):
    client = client_for(in_alpha, make_user(in_alpha, "admin"))
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/employees" in schema["paths"]
    assert client.get("/api/v1/docs").status_code == 200

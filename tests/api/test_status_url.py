"""status_url: on PUBLIC_BASE_URL when it is given, else on the address the caller used."""

import pytest

pytestmark = pytest.mark.django_db

SEED_REQUEST = {
    "template_id": "promo_soldes_v1",
    "recipient": "+33612345678",
    "variables": {"prenom": "Marie", "duree_offre": "48h"},
}


def send(client, **headers):
    return client.post(
        "/api/v1/messages", SEED_REQUEST, content_type="application/json", headers=headers
    )


def test_without_a_public_url_status_url_is_on_the_address_called(api, seed_template, settings):
    settings.PUBLIC_BASE_URL_GIVEN = False
    settings.PUBLIC_BASE_URL = "http://localhost:8000"
    response = send(api, host="localhost:8102")
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status_url"] == f"http://localhost:8102/api/v1/messages/{body['id']}"
    assert response["Location"] == body["status_url"]
    assert api.get(body["status_url"], headers={"host": "localhost:8102"}).status_code == 200


def test_behind_a_proxy_status_url_is_on_the_public_url(api, seed_template, settings):
    settings.PUBLIC_BASE_URL_GIVEN = True
    settings.PUBLIC_BASE_URL = "https://relais.example.com"
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    response = send(api, host="127.0.0.1:8000")
    body = response.json()
    assert body["status_url"] == f"https://relais.example.com/api/v1/messages/{body['id']}"

import pytest


@pytest.mark.django_db
def test_login_page_speaks_french_by_default(client):
    body = client.get("/accounts/login/").content.decode()
    assert "Connexion" in body
    assert 'lang="fr"' in body


@pytest.mark.django_db
def test_login_page_speaks_english_when_asked(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    body = client.get("/accounts/login/").content.decode()
    assert "Sign in" in body
    assert 'lang="en"' in body

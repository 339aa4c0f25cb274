"""Who may see and change what: anonymous visitors, Viewers, Marketing users."""

import pytest
from django.contrib.auth.models import Group, User

PASSWORD = "correct-horse-battery-staple"


def make_user(username, role=None, **extra):
    user = User.objects.create_user(username, "", PASSWORD, **extra)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/templates/", "/audience/", "/campaigns/", "/dashboard/"])
def test_anonymous_visitor_is_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/accounts/login/"])
def test_public_pages_stay_public(client, path):
    assert client.get(path).status_code == 200


@pytest.mark.django_db
def test_roles_exist_after_migrations():
    assert set(Group.objects.values_list("name", flat=True)) >= {"Marketing", "Viewer"}


@pytest.mark.django_db
def test_viewer_reads_but_cannot_write(client):
    client.force_login(make_user("vera", "Viewer"))
    assert client.get("/dashboard/").status_code == 200
    response = client.post("/templates/", {"name": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "signed in with the Viewer role" in response.content.decode()


@pytest.mark.django_db
def test_user_without_role_is_read_only(client):
    client.force_login(make_user("nobody"))
    assert client.post("/campaigns/").status_code == 403


@pytest.mark.django_db
def test_marketing_user_may_write(client):
    client.force_login(make_user("marc", "Marketing"))
    assert client.post("/templates/").status_code != 403


@pytest.mark.django_db
def test_viewer_may_still_change_password_and_language_and_log_out(client):
    client.force_login(make_user("vera", "Viewer"))
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase-42",
            "new_password2": "a-new-long-passphrase-42",
        },
    )
    assert response.status_code == 302
    assert client.post("/accounts/logout/").status_code == 302


@pytest.mark.django_db
def test_login_then_logout(client):
    make_user("marc", "Marketing")
    response = client.post("/accounts/login/", {"username": "marc", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/dashboard/").status_code == 302


@pytest.mark.django_db
def test_login_is_throttled_after_repeated_failures(client, settings):
    make_user("marc", "Marketing")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/accounts/login/", {"username": "marc", "password": "wrong"})
        assert response.status_code == 200  # the form again, with its error
    locked = client.post("/accounts/login/", {"username": "marc", "password": "wrong"})
    assert locked.status_code == 429
    # Even the right password is refused while the lock holds.
    retry = client.post("/accounts/login/", {"username": "marc", "password": PASSWORD})
    assert retry.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lock_is_per_username_and_address(client, settings):
    make_user("marc", "Marketing")
    make_user("lea", "Marketing")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "marc", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "lea", "password": PASSWORD})
    assert response.status_code == 302

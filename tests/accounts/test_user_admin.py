"""A staff admin who is not a superuser gives roles in the admin, never superuser rights."""

import pytest
from django.contrib.auth.models import Permission, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client):
    user = User.objects.create_user("office", "", "a-long-passphrase", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="auth", content_type__model="user")
    )
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return user


def test_a_staff_admin_gives_roles_but_not_superuser_or_permissions(client, office):
    colleague = User.objects.create_user("paul", "", "a-long-passphrase")
    page = client.get(f"/admin/auth/user/{colleague.pk}/change/").content.decode()
    assert 'name="groups"' in page
    assert "Roles" in page
    assert 'name="is_superuser"' not in page
    assert 'name="user_permissions"' not in page


def test_a_staff_admin_cannot_change_a_superuser(client, office):
    root = User.objects.create_superuser("root", "", "a-long-passphrase")
    url = f"/admin/auth/user/{root.pk}/change/"
    assert 'name="_save"' not in client.get(url).content.decode()
    assert client.post(url, {"username": "root", "is_active": ""}).status_code == 403
    root.refresh_from_db()
    assert root.is_active


def test_a_superuser_still_sees_every_field(admin_client):
    user = User.objects.create_user("paul", "", "a-long-passphrase")
    page = admin_client.get(f"/admin/auth/user/{user.pk}/change/").content.decode()
    assert 'name="is_superuser"' in page
    assert 'name="user_permissions"' in page

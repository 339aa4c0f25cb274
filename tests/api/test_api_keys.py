"""Managing API keys: the create_api_key command and the Django admin."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client

from api.models import ApiKey, hash_key
from tests.factories import make_api_key

pytestmark = pytest.mark.django_db

KEY_RE = re.compile(r"rl_(?:test|live)_[A-Za-z0-9]{32}")


def test_create_api_key_command_prints_the_key_once_and_stores_its_hash():
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "create_api_key", "Shop", "--mode", "live", "--rate-limit", "30", stdout=out, stderr=err
    )
    full_key = out.getvalue().strip()
    assert full_key.startswith("rl_live_")
    api_key = ApiKey.objects.get()
    assert (api_key.name, api_key.mode, api_key.rate_limit_per_minute) == ("Shop", "live", 30)
    assert api_key.key_hash == hash_key(full_key)
    assert api_key.prefix in err.getvalue()
    assert full_key not in err.getvalue()


def test_create_api_key_command_refuses_a_zero_rate_limit():
    with pytest.raises(CommandError):
        call_command("create_api_key", "Shop", "--rate-limit", "0", stdout=io.StringIO())
    assert not ApiKey.objects.exists()


@pytest.fixture
def admin_client():
    user = get_user_model().objects.create_superuser("boss", "", "a-long-password-123")
    client = Client()
    client.force_login(user)
    return client


def test_admin_creates_a_key_and_shows_the_secret_once(admin_client):
    response = admin_client.post(
        "/admin/api/apikey/add/",
        {
            "name": "CRM",
            "mode": "test",
            "rate_limit_per_minute": "60",
            "read_rate_limit_per_minute": "600",
        },
        follow=True,
    )
    assert response.status_code == 200
    api_key = ApiKey.objects.get()
    shown = KEY_RE.findall(" ".join(str(m) for m in response.context["messages"]))
    assert len(shown) == 1
    full_key = shown[0]
    assert hash_key(full_key) == api_key.key_hash
    assert api_key.created_by.username == "boss"
    # Never again: the list and the change page show the prefix, not the key nor its hash.
    for url in ("/admin/api/apikey/", f"/admin/api/apikey/{api_key.pk}/change/"):
        page = admin_client.get(url).content.decode()
        assert api_key.prefix in page
        assert full_key not in page
        assert api_key.key_hash not in page


def test_admin_revoke_action_revokes_the_selected_keys(admin_client):
    api_key, _full_key = make_api_key()
    kept, _other = make_api_key()
    admin_client.post(
        "/admin/api/apikey/",
        {"action": "revoke", "_selected_action": [api_key.pk]},
    )
    api_key.refresh_from_db()
    kept.refresh_from_db()
    assert api_key.is_revoked
    assert not kept.is_revoked

"""The first-run set-up of `make run`: demo logins and a test API key, printed once."""

import json
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from api.models import ApiKey


def run_setup(monkeypatch, **env):
    for name in (
        "DEMO_ADMIN_PASSWORD",
        "DEMO_MARKETING_PASSWORD",
        "DEMO_VIEWER_PASSWORD",
        "DEMO_APPROVER_PASSWORD",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    out = StringIO()
    call_command("setup_demo", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_first_run_prints_logins_and_key_once(monkeypatch):
    first = run_setup(monkeypatch, DEMO_MARKETING_PASSWORD="marketing-demo-passphrase")
    assert "marketing-demo-passphrase" in first
    assert "rl_test_" in first
    assert User.objects.get(username="marketing").check_password("marketing-demo-passphrase")
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="viewer").groups.filter(name="Viewer").exists()
    assert User.objects.get(username="approver").groups.filter(name="Approver").exists()

    second = run_setup(monkeypatch)
    assert "password" not in second
    assert "rl_test_" not in second
    assert User.objects.count() == 4
    assert ApiKey.objects.count() == 1


@pytest.mark.django_db
def test_docs_example_request_works_after_setup(monkeypatch, client):
    output = run_setup(monkeypatch)
    secret = next(word for word in output.split() if word.startswith("rl_test_"))
    response = client.post(
        "/api/v1/messages",
        data=json.dumps(
            {
                "template_id": "promo_soldes_v1",
                "recipient": "+33612345678",
                "variables": {"prenom": "Marie", "duree_offre": "48h"},
            }
        ),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 202, response.content
    assert response.json()["predicted_channel"] in ("rcs", "sms")

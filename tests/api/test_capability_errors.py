"""A capability check the provider fails: a generic error for the caller, the detail (without
secrets) in the server's log."""

import json
import logging

import pytest

from messaging.providers import rbm
from tests.support.logs import errors_logged

pytestmark = pytest.mark.django_db
ENGLISH = {"Accept-Language": "en"}


@pytest.fixture
def broken_rbm_key(rbm_settings, monkeypatch, tmp_path):
    """RBM is the live provider and its service-account key cannot be parsed."""
    key = tmp_path / "broken-key.json"
    key.write_text(
        json.dumps(
            {
                "type": "service_account",
                "client_email": "relais@example.iam.gserviceaccount.com",
                "token_uri": "https://oauth2.googleapis.com/token",
                "private_key": "-----BEGIN PRIVATE KEY-----\nS3CRETkeyMATERIAL\n-----END",
            }
        )
    )
    rbm_settings.RBM_SERVICE_ACCOUNT_FILE = str(key)
    monkeypatch.setattr(rbm, "tokens_for_file", rbm.ServiceAccountTokens)
    return key


def test_capability_failure_shows_a_generic_error_and_logs_the_detail(
    live_key, client_for, broken_rbm_key, caplog
):
    caplog.set_level(logging.INFO)
    response = client_for(live_key[1]).post(
        "/api/v1/capabilities",
        {"numbers": ["+33612345678"]},
        content_type="application/json",
        headers=ENGLISH,
    )
    assert response.status_code == 200
    [result] = response.json()["results"]
    assert result["capable"] is None
    assert result["error"] == "The RCS provider could not answer; try again later."
    for internal in ("PEM", "Google", "token", "key", str(broken_rbm_key)):
        assert internal not in response.content.decode()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "PEM" in logged  # the detail is in the server's log
    assert "S3CRET" not in logged
    assert not errors_logged(caplog)

"""Fixtures for the API tests: keys, an authenticated client, the seed's template, a running
Relais for the docs' examples."""

import pytest
from django.test import Client

from tests.factories import make_api_key, make_contact, make_seed_template
from tests.support.api import bearer

SEED_RECIPIENT = "+33612345678"


@pytest.fixture
def test_key(db):
    """(api_key, full_key) of a test-mode key."""
    return make_api_key(mode="test")


@pytest.fixture
def live_key(db):
    """(api_key, full_key) of a live-mode key."""
    return make_api_key(mode="live")


@pytest.fixture
def client_for():
    """client_for(full_key) → a test client sending that key on every request."""

    def build(full_key):
        return Client(headers=bearer(full_key))

    return build


@pytest.fixture
def api(test_key, client_for):
    """A client authenticated with a test key."""
    return client_for(test_key[1])


@pytest.fixture
def seed_template(db):
    """The seed's promo_soldes_v1, published, and an opted-in contact at SEED_RECIPIENT, in
    test data (for test keys) and in live data (for live keys)."""
    template, _version = make_seed_template()
    make_contact(phone=SEED_RECIPIENT, opted_in=True, test_mode=True)
    make_contact(phone=SEED_RECIPIENT, opted_in=True)
    return template


@pytest.fixture
def relais_at_url(live_server, test_key, monkeypatch):
    """A running Relais for the docs' examples: its address in RELAIS_URL, a test key in
    RELAIS_API_KEY."""
    monkeypatch.setenv("RELAIS_URL", live_server.url)
    monkeypatch.setenv("RELAIS_API_KEY", test_key[1])
    return live_server


@pytest.fixture
def relais_on_port(live_server, test_key, monkeypatch):
    """A running Relais as after `RELAIS_PORT=8102 make run`: only its port is given
    (RELAIS_PORT, no RELAIS_URL), a test key in RELAIS_API_KEY."""
    monkeypatch.delenv("RELAIS_URL", raising=False)
    monkeypatch.setenv("RELAIS_PORT", str(live_server.thread.port))
    monkeypatch.setenv("RELAIS_API_KEY", test_key[1])
    return live_server

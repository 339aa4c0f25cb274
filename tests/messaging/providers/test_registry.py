import pytest
from django.core.exceptions import ImproperlyConfigured

from messaging.providers import get_provider
from messaging.providers.rbm import RbmProvider
from messaging.providers.simulator import SimulatorProvider
from messaging.providers.twilio import TwilioProvider

TWILIO = {
    "TWILIO_ACCOUNT_SID": "ACa1b2c3d4e5f60718293a4b5c6d7e8f90",
    "TWILIO_AUTH_TOKEN": "token",
    "TWILIO_MESSAGING_SERVICE_SID": "",
    "TWILIO_SMS_FROM": "RELAIS",
    "TWILIO_API_BASE": "",
}


@pytest.fixture
def rbm_settings(settings, tmp_path):
    key_file = tmp_path / "key.json"
    key_file.write_text("{}")
    settings.RBM_AGENT_ID = "relais_demo_agent@rbm.goog"
    settings.RBM_SERVICE_ACCOUNT_FILE = str(key_file)
    settings.RBM_CLIENT_TOKEN = "client-token"
    settings.RBM_REGION = "europe"
    settings.RBM_API_BASE = ""
    return settings


def test_default_provider_is_the_configured_one(settings):
    settings.MESSAGING_PROVIDER = "simulator"
    settings.SIMULATOR_WEBHOOK_SECRET = "s3cret"
    settings.SIMULATOR_RCS_RATIO = 0.5
    provider = get_provider()
    assert isinstance(provider, SimulatorProvider)
    assert provider.rcs_ratio == 0.5
    assert provider.secret == b"s3cret"


def test_provider_can_be_named_by_dotted_path(settings):
    settings.SIMULATOR_WEBHOOK_SECRET = "s3cret"
    provider = get_provider("messaging.providers.simulator.SimulatorProvider")
    assert isinstance(provider, SimulatorProvider)


@pytest.mark.parametrize("name", ["carrier-pigeon", "no.such.module.Provider", "os.path.join"])
def test_unknown_provider_is_a_configuration_error(name):
    with pytest.raises(ImproperlyConfigured):
        get_provider(name)


def test_simulator_without_a_secret_names_the_variable(settings):
    settings.SIMULATOR_WEBHOOK_SECRET = ""
    with pytest.raises(ImproperlyConfigured, match="SIMULATOR_WEBHOOK_SECRET"):
        get_provider("simulator")


def test_twilio_is_built_from_settings(settings):
    for name, value in TWILIO.items():
        setattr(settings, name, value)
    provider = get_provider("twilio")
    assert isinstance(provider, TwilioProvider)
    assert provider.sms_from == "RELAIS"
    assert provider.api_base == "https://api.twilio.com"


@pytest.mark.parametrize("missing", ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"])
def test_twilio_explicitly_asked_for_checks_its_settings(settings, missing):
    for name, value in TWILIO.items():
        setattr(settings, name, value)
    setattr(settings, missing, "")
    with pytest.raises(ImproperlyConfigured, match=missing):
        get_provider("twilio")


def test_twilio_needs_a_sender(settings):
    for name, value in TWILIO.items():
        setattr(settings, name, value)
    settings.TWILIO_SMS_FROM = ""
    with pytest.raises(ImproperlyConfigured, match="TWILIO_MESSAGING_SERVICE_SID"):
        get_provider("twilio")


def test_rbm_is_built_from_settings(rbm_settings):
    rbm_settings.RBM_API_BASE = "http://127.0.0.1:8081"
    provider = get_provider("rbm")
    assert isinstance(provider, RbmProvider)
    assert provider.api_base == "http://127.0.0.1:8081"
    assert provider.agent_id == "relais_demo_agent@rbm.goog"


@pytest.mark.parametrize(
    "missing", ["RBM_AGENT_ID", "RBM_SERVICE_ACCOUNT_FILE", "RBM_CLIENT_TOKEN"]
)
def test_rbm_explicitly_asked_for_names_the_missing_setting(rbm_settings, missing):
    setattr(rbm_settings, missing, "")
    with pytest.raises(ImproperlyConfigured, match=missing):
        get_provider("rbm")


def test_rbm_key_file_must_exist(rbm_settings, tmp_path):
    rbm_settings.RBM_SERVICE_ACCOUNT_FILE = str(tmp_path / "missing.json")
    with pytest.raises(ImproperlyConfigured, match="RBM_SERVICE_ACCOUNT_FILE"):
        get_provider("rbm")


def test_a_provider_is_built_once_per_process_and_keeps_its_http_session(settings):
    settings.SIMULATOR_WEBHOOK_SECRET = "s3cret"
    provider = get_provider("simulator")
    assert get_provider("simulator") is provider
    assert get_provider("simulator").http is provider.http


def test_a_changed_setting_reaches_the_next_provider(settings):
    settings.SIMULATOR_WEBHOOK_SECRET = "s3cret"
    before = get_provider("simulator")
    settings.SIMULATOR_WEBHOOK_SECRET = "n3w"
    after = get_provider("simulator")
    assert after is not before
    assert after.secret == b"n3w"


def test_a_provider_that_cannot_be_built_says_why_on_every_call(settings):
    settings.SIMULATOR_WEBHOOK_SECRET = ""
    for _ in range(2):
        with pytest.raises(ImproperlyConfigured, match="SIMULATOR_WEBHOOK_SECRET"):
            get_provider("simulator")

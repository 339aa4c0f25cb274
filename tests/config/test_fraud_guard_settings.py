"""The fraud guards' settings read from the environment: countries and hourly ceilings."""

import phonenumbers
import pytest
from django.core.exceptions import ImproperlyConfigured

from config import env

REGIONS = phonenumbers.SUPPORTED_REGIONS


def test_allowed_countries_are_read_upper_case(monkeypatch):
    monkeypatch.setenv("SENDING_ALLOWED_COUNTRIES", "fr, gp ,NC")
    assert env.get_choice_list("SENDING_ALLOWED_COUNTRIES", ["FR"], REGIONS) == ["FR", "GP", "NC"]


def test_allowed_countries_default_when_unset(monkeypatch):
    monkeypatch.delenv("SENDING_ALLOWED_COUNTRIES", raising=False)
    assert env.get_choice_list("SENDING_ALLOWED_COUNTRIES", ["FR"], REGIONS) == ["FR"]


def test_an_unknown_country_is_named(monkeypatch):
    monkeypatch.setenv("SENDING_ALLOWED_COUNTRIES", "FR,FRA")
    with pytest.raises(ImproperlyConfigured, match="SENDING_ALLOWED_COUNTRIES: FRA"):
        env.get_choice_list("SENDING_ALLOWED_COUNTRIES", [], REGIONS, what="ISO country code")


def test_ceilings_are_read_per_country_with_a_default(monkeypatch):
    monkeypatch.setenv("SENDING_HOURLY_CEILINGS", "fr=1000, *=20")
    ceilings = env.get_int_map("SENDING_HOURLY_CEILINGS", {}, REGIONS | {"*"}, minimum=1)
    assert ceilings == {"FR": 1000, "*": 20}


def test_the_default_settings_serve_france_and_its_overseas_territories(settings):
    assert set(settings.SENDING_ALLOWED_COUNTRIES) == {
        "FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF",
    }  # fmt: skip
    assert settings.SENDING_HOURLY_CEILINGS["FR"] > settings.SENDING_HOURLY_CEILINGS["*"]

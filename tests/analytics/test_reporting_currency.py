"""REPORTING_CURRENCY: an ISO 4217 code with minor units, else a start-up error naming it."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import env


@pytest.mark.parametrize(("raw", "expected"), [(None, "EUR"), ("gbp", "GBP"), (" JPY ", "JPY")])
def test_a_currency_code_is_read(monkeypatch, raw, expected):
    if raw is None:
        monkeypatch.delenv("REPORTING_CURRENCY", raising=False)
    else:
        monkeypatch.setenv("REPORTING_CURRENCY", raw)
    assert env.get_currency("REPORTING_CURRENCY", "EUR") == expected


@pytest.mark.parametrize("raw", ["EURO", "€", "XAU", "", "EUX"])
def test_anything_else_is_refused_by_name(monkeypatch, raw):
    monkeypatch.setenv("REPORTING_CURRENCY", raw)
    with pytest.raises(ImproperlyConfigured, match="REPORTING_CURRENCY must be an ISO 4217"):
        env.get_currency("REPORTING_CURRENCY", "EUR")

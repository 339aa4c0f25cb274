"""Read settings from environment variables; a bad value is refused naming the variable."""

import os
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def get_str(name, default=""):
    """Return the variable as text, or the default when it is unset."""
    return os.environ.get(name, default).strip()


def get_bool(name, default=False):
    """Return the variable as a boolean; anything but a yes/no word is an error."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (1/0, yes/no), got {raw!r}.")


def get_int(name, default, minimum=None, maximum=None):
    """Return the variable as an integer within bounds."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}.")
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum}, got {value}.")
    return value


def get_float(name, default, minimum=None, maximum=None):
    """Return the variable as a number within bounds."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, got {raw!r}.") from None
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ImproperlyConfigured(f"{name} must be between {minimum} and {maximum}, got {value}.")
    return value


def get_decimal(name, default, places=4, maximum=Decimal("9999")):
    """Return the variable as a non-negative exact decimal (a price) with at most `places`
    decimal places."""
    raw = os.environ.get(name)
    text = default if raw is None or not raw.strip() else raw.strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ImproperlyConfigured(f"{name} must be a number such as 0.05, got {raw!r}.") from None
    if not value.is_finite() or value < 0 or value > maximum:
        raise ImproperlyConfigured(f"{name} must be between 0 and {maximum}, got {text!r}.")
    if value != value.quantize(Decimal(1).scaleb(-places)):
        raise ImproperlyConfigured(f"{name} takes at most {places} decimal places, got {text!r}.")
    return value


def get_list(name, default=()):
    """Return a comma-separated variable as a list of non-empty items."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def get_choice(name, default, choices):
    """Return the variable when it is one of the allowed values."""
    value = get_str(name, default)
    if value not in choices:
        allowed = ", ".join(sorted(choices))
        raise ImproperlyConfigured(f"{name} must be one of {allowed}, got {value!r}.")
    return value


def get_url(name, default="", schemes=("http", "https")):
    """Return the variable as an absolute URL without a trailing slash."""
    from urllib.parse import urlsplit

    value = get_str(name, default)
    if not value:
        return value
    parts = urlsplit(value)
    if parts.scheme not in schemes or not parts.netloc:
        wanted = " or ".join(schemes)
        raise ImproperlyConfigured(
            f"{name} must be an absolute {wanted} URL such as https://relais.example.com, "
            f"got {value!r}."
        )
    return value.rstrip("/")


def get_choice_list(name, default, choices, what="allowed value"):
    """Return a comma-separated variable as a list of allowed values (compared upper-case)."""
    values = [item.upper() for item in get_list(name, default)]
    unknown = [value for value in values if value not in choices]
    if unknown:
        raise ImproperlyConfigured(f"{name}: {', '.join(unknown)} is not a known {what}.")
    return values


def get_int_map(name, default, keys, minimum=0):
    """Return "KEY=number,KEY=number" as a dict; keys upper-case, each one of keys."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return dict(default)
    mapping = {}
    for item in raw.split(","):
        key, sep, number = item.partition("=")
        key = key.strip().upper()
        if not sep or key not in keys:
            raise ImproperlyConfigured(
                f"{name} must read like FR=50000,*=100 (a known key, =, a number), got {item!r}."
            )
        try:
            mapping[key] = int(number.strip())
        except ValueError:
            raise ImproperlyConfigured(f"{name}: {key} must be a whole number.") from None
        if mapping[key] < minimum:
            raise ImproperlyConfigured(f"{name}: {key} must be at least {minimum}.")
    return mapping


def get_currency(name, default):
    """Return an ISO 4217 currency code with minor units (EUR, USD, JPY…), upper-cased."""
    from iso4217 import Currency

    value = get_str(name, default).strip().upper()
    try:
        currency = Currency(value)
    except ValueError:
        currency = None
    if currency is None or currency.exponent is None:
        raise ImproperlyConfigured(
            f"{name} must be an ISO 4217 currency code such as EUR, got {value!r}."
        )
    return value

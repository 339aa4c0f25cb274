"""The provider settings check: a system check (check, migrate, runserver, rqworker) and the
guard of the web entry points, which run no system checks."""

from django.conf import settings
from django.core.checks import Error
from django.core.exceptions import ImproperlyConfigured

from . import provider_class


def check_provider_settings(app_configs=None, **kwargs):
    """Report each selected provider that is unknown or misses a setting, naming the variable."""
    errors = []
    for setting in ("MESSAGING_PROVIDER", "MESSAGING_SMS_PROVIDER"):
        name = getattr(settings, setting, "")
        if not name:
            continue
        try:
            cls = provider_class(name)
        except ImproperlyConfigured as exc:
            errors.append(Error(f"{setting}: {exc}", id="messaging.E001"))
            continue
        try:
            # Building reads and checks every setting the provider needs; it calls no network.
            cls.from_settings(settings)
        except ImproperlyConfigured as exc:
            errors.append(Error(f"{setting} is {name}: {exc}", id="messaging.E002"))
    return errors


def ensure_provider_settings():
    """Raise ImproperlyConfigured naming each variable at fault (gunicorn runs no system check)."""
    errors = check_provider_settings()
    if errors:
        raise ImproperlyConfigured("; ".join(error.msg for error in errors))

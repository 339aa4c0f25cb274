"""Messaging providers, picked by name in settings like Django's email backends."""

import threading

from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

from .base import BaseProvider
from .normalized import (
    CapabilityResult,
    Channel,
    EventType,
    OutboundMessage,
    ProviderError,
    ProviderEvent,
    SendResult,
    TrafficType,
)
from .webhooks import WebhookRejected, WebhookRequest

PROVIDERS = {
    "simulator": "messaging.providers.simulator.SimulatorProvider",
    "rbm": "messaging.providers.rbm.RbmProvider",
    "twilio": "messaging.providers.twilio.TwilioProvider",
    "locmem": "messaging.providers.locmem.LocmemProvider",
}

__all__ = [
    "PROVIDERS",
    "BaseProvider",
    "CapabilityResult",
    "Channel",
    "EventType",
    "OutboundMessage",
    "ProviderError",
    "ProviderEvent",
    "SendResult",
    "TrafficType",
    "WebhookRejected",
    "WebhookRequest",
    "get_provider",
    "provider_class",
    "reset_providers",
]

# Built providers by name: one per process, so their HTTP sessions keep connections alive.
_built: dict[str, BaseProvider] = {}
_built_lock = threading.Lock()


def provider_class(name: str) -> type[BaseProvider]:
    """Return the provider class for a short name or a dotted path."""
    path = PROVIDERS.get(name, name)
    if "." not in path:
        known = ", ".join(sorted(PROVIDERS))
        raise ImproperlyConfigured(
            f"The messaging provider {name!r} is unknown: use one of {known} or a dotted path."
        )
    try:
        cls = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(f"Cannot import messaging provider {path!r}: {exc}") from exc
    if not (isinstance(cls, type) and issubclass(cls, BaseProvider)):
        raise ImproperlyConfigured(f"{path!r} is not a messaging provider class.")
    return cls


def get_provider(name: str | None = None) -> BaseProvider:
    """Return the named provider (default MESSAGING_PROVIDER), built from settings once."""
    from django.conf import settings

    name = name or settings.MESSAGING_PROVIDER
    provider = _built.get(name)
    if provider is None:
        with _built_lock:
            provider = _built.get(name)
            if provider is None:
                # A provider that cannot be built is not kept: the next call says why again.
                provider = provider_class(name).from_settings(settings)
                _built[name] = provider
    return provider


def reset_providers(**kwargs):
    """Forget the built providers: the next get_provider builds them from settings again."""
    with _built_lock:
        _built.clear()


# Settings change only under tests (override_settings, pytest-django's settings), and any
# of them may be one a provider reads: a changed setting must reach the next send.
setting_changed.connect(reset_providers, dispatch_uid="messaging.providers.reset_providers")

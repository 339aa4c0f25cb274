"""Messaging providers, picked by name in settings like Django's email backends."""

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from .base import (
    BaseProvider,
    CapabilityResult,
    Channel,
    EventType,
    OutboundMessage,
    ProviderError,
    ProviderEvent,
    SendResult,
    TrafficType,
    WebhookRejected,
    WebhookRequest,
)

PROVIDERS = {
    "simulator": "messaging.providers.simulator.SimulatorProvider",
    "rbm": "messaging.providers.rbm.RbmProvider",
    "twilio": "messaging.providers.twilio.TwilioProvider",
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
]


def provider_class(name: str) -> type[BaseProvider]:
    """Return the provider class for a short name or a dotted path."""
    path = PROVIDERS.get(name, name)
    if "." not in path:
        known = ", ".join(sorted(PROVIDERS))
        raise ImproperlyConfigured(
            f"MESSAGING_PROVIDER {name!r} is unknown: use one of {known} or a dotted path."
        )
    try:
        cls = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(f"Cannot import messaging provider {path!r}: {exc}") from exc
    if not (isinstance(cls, type) and issubclass(cls, BaseProvider)):
        raise ImproperlyConfigured(f"{path!r} is not a messaging provider class.")
    return cls


def get_provider(name: str | None = None) -> BaseProvider:
    """Build the named provider (default MESSAGING_PROVIDER) from settings, checking them."""
    from django.conf import settings

    return provider_class(name or settings.MESSAGING_PROVIDER).from_settings(settings)

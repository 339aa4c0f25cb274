"""The router: which provider and which channel carry a message, and its RCS deadline."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from messaging.providers import get_provider
from messaging.providers.modes import SIMULATOR
from messaging.providers.normalized import Channel, TrafficType
from sending.models import Message

# How long an RCS message may stay undelivered before the SMS fallback goes out. A one-time
# code is useless after a minute; an order update can wait a little; a promotion can wait an
# hour (a phone offline for longer gets the SMS, which waits on the network the same way).
# A template's rcs_ttl_seconds and the API's rcs_ttl_seconds override these.
DEFAULT_RCS_TTL_SECONDS = {
    TrafficType.AUTHENTICATION: 60,
    TrafficType.TRANSACTION: 10 * 60,
    TrafficType.SERVICEREQUEST: 10 * 60,
    TrafficType.ACKNOWLEDGEMENT: 5 * 60,
    TrafficType.PROMOTION: 60 * 60,
}


def default_rcs_ttl(traffic_type):
    """The RCS deadline in seconds for a traffic type without a deadline of its own."""
    return DEFAULT_RCS_TTL_SECONDS.get(traffic_type, DEFAULT_RCS_TTL_SECONDS[TrafficType.PROMOTION])


def webhook_url(provider_name):
    """The public URL a provider posts its events to (Twilio signs exactly this URL)."""
    path = reverse("sending:webhook", kwargs={"provider": provider_name})
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def internal_webhook_url(provider_name):
    """The URL Relais posts its own simulated events to: its web server, not the public proxy."""
    path = reverse("sending:webhook", kwargs={"provider": provider_name})
    return settings.INTERNAL_BASE_URL.rstrip("/") + path


def provider_for(message, channel):
    """Return the provider that sends message on channel, or None when none can."""
    provider = get_provider(message.provider)
    if channel in provider.channels:
        return provider
    # RBM carries only RCS: its SMS fallback goes through a second provider, when configured.
    sms_provider = getattr(settings, "MESSAGING_SMS_PROVIDER", "")
    if channel == Channel.SMS and sms_provider and message.provider != SIMULATOR:
        provider = get_provider(sms_provider)
        if channel in provider.channels:
            return provider
    return None


@dataclass(frozen=True)
class Route:
    """Where a message goes now: a channel, or why it cannot go at all."""

    channel: Channel | None
    fallback_reason: str = ""
    failure: str = ""


def route(message, contact, rcs_possible):
    """Pick the channel for the next try of message (rcs_possible: the provider can send RCS)."""
    Reason = Message.FallbackReason
    if message.fallback_reason:
        return Route(Channel.SMS, message.fallback_reason)
    if message.policy == Message.Policy.SMS_ONLY:
        return Route(Channel.SMS)
    if not rcs_possible:
        if message.policy == Message.Policy.RCS_ONLY:
            return Route(None, failure=Message.Reason.RCS_UNAVAILABLE)
        return Route(Channel.SMS, Reason.RCS_UNAVAILABLE)
    # Unknown capability goes RCS: the send call itself is the cheapest capability check.
    if contact.known_rcs_capable is False:
        if message.policy == Message.Policy.RCS_ONLY:
            return Route(None, failure=Message.Reason.NOT_CAPABLE)
        return Route(Channel.SMS, Reason.NOT_CAPABLE)
    return Route(Channel.RCS)


def predict_channel(message, contact):
    """The channel a new message will most likely use (shown by the API as predicted)."""
    provider = get_provider(message.provider)
    chosen = route(message, contact, Channel.RCS in provider.channels)
    return chosen.channel or Channel.RCS

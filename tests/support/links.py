"""Tracked links as a message carries them, for asserting on what went out."""

from datetime import timedelta

import pytest

from messaging import links
from sending.services.tracking import tracked_url


def tracked(message, index):
    """The tracked URL of the link at index in message.links."""
    return tracked_url(links.encode(message.pk, index, links.settings_keys()[0]))


def sms_link(message, number=0):
    """The tracked URL of the message's number-th SMS link (0: the first)."""
    indexes = [i for i, link in enumerate(message.links) if link["channel"] == "sms"]
    return tracked(message, indexes[number])


LINKS = [
    {"cta": "cta_offres01", "url": "https://shop.example/soldes?ref=rcs", "channel": "rcs"},
    {"cta": "cta_offres01", "url": "https://shop.example/soldes", "channel": "sms"},
    {"cta": "sms-2", "url": "https://shop.example/aide#contact", "channel": "sms"},
]


def make_tracked_message(contact=None, links_=None, **overrides):
    """A delivered message carrying tracked links (LINKS unless given)."""
    from django.utils import timezone

    from tests.factories import make_contact, make_sent_message

    contact = contact or make_contact(opted_in=True)
    overrides.setdefault("delivered_at", timezone.now() - timedelta(hours=1))
    return make_sent_message(contact, links=LINKS if links_ is None else links_, **overrides)


def code_of(url):
    """The code at the end of a tracked URL."""
    return url.rsplit("/", 1)[1]


@pytest.fixture
def click_stream():
    """The Redis click stream, empty before and after the test; returns analytics.clickstream."""
    from analytics import clickstream

    clickstream.client().delete(clickstream.key(), f"{clickstream.key()}:drainer")
    yield clickstream
    clickstream.client().delete(clickstream.key(), f"{clickstream.key()}:drainer")

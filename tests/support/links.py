"""Tracked links as a message carries them, for asserting on what went out."""

from messaging import links
from sending.services.tracking import tracked_url


def tracked(message, index):
    """The tracked URL of the link at index in message.links."""
    return tracked_url(links.encode(message.pk, index, links.settings_keys()[0]))


def sms_link(message, number=0):
    """The tracked URL of the message's number-th SMS link (0: the first)."""
    indexes = [i for i, link in enumerate(message.links) if link["channel"] == "sms"]
    return tracked(message, indexes[number])

"""The simulated network's behaviour: reserved test numbers and what a tap on a button produces."""

import re
from dataclasses import dataclass

import phonenumbers
from django.utils.translation import gettext_lazy as _

from messaging import walk

from .helpers import cta_id_from_postback
from .normalized import EventType

ALL_FEATURES = [
    "REVOCATION",
    "RICHCARD_STANDALONE",
    "RICHCARD_CAROUSEL",
    "ACTION_CREATE_CALENDAR_EVENT",
    "ACTION_DIAL",
    "ACTION_OPEN_URL",
    "ACTION_SHARE_LOCATION",
    "ACTION_VIEW_LOCATION",
]
URL_RE = re.compile(r"https?://[^\s<>\"']+")


@dataclass(frozen=True)
class NumberProfile:
    """How a reserved test number always behaves."""

    label: str  # shown in the UI next to the demo numbers
    rcs_capable: bool = True
    rcs_delivered: bool = True
    failure: str | None = None  # "permanent" or "temporary": the send call itself fails
    delivery_delay: float = 2.0
    undelivered: bool = False
    reply: str | None = None
    taps_first: bool = False


# Mobile numbers in +33 6 99 00 00 0x, a block we keep for tests: document them, never send to
# them through a real provider.
RESERVED_NUMBERS = {
    "+33699000001": NumberProfile(_("RCS capable, delivered and read")),
    "+33699000002": NumberProfile(_("Never RCS capable; SMS delivered"), rcs_capable=False),
    "+33699000003": NumberProfile(
        _("RCS capable but never delivered (TTL fallback fires); SMS delivered"),
        rcs_delivered=False,
    ),
    "+33699000004": NumberProfile(_("Permanent failure on every channel"), failure="permanent"),
    "+33699000005": NumberProfile(_("Delivered after 30 seconds"), delivery_delay=30.0),
    "+33699000006": NumberProfile(_("Delivered, then replies STOP"), reply="STOP"),
    "+33699000007": NumberProfile(
        _("Delivered, read, taps the first button or link"), taps_first=True
    ),
    "+33699000008": NumberProfile(
        _("Temporary failure (retry later) on every channel"), failure="temporary"
    ),
    "+33699000009": NumberProfile(
        _("Never RCS capable; SMS accepted then undelivered"), rcs_capable=False, undelivered=True
    ),
}


# Mobile numbers in +33 7 57 00 xx xx: the demo audience of seed_demo, test contacts only.
# The simulator plays the network for them as for any number (capability, receipts, expiry),
# but not the people: their clicks, orders and STOP replies are acted out by the demo
# audience (integrations/demo.py) through the tracked links, the conversions service and the
# inbound webhook, so the simulator draws no tap, click or reply of its own for them.
DEMO_AUDIENCE_PREFIX = "+3375700"
DEMO_AUDIENCE_SIZE = 10_000


def demo_number(index):
    """The demo audience's number `index` (0 to DEMO_AUDIENCE_SIZE - 1)."""
    if not 0 <= index < DEMO_AUDIENCE_SIZE:
        raise ValueError(f"the demo audience has {DEMO_AUDIENCE_SIZE} numbers")
    return f"{DEMO_AUDIENCE_PREFIX}{index:04d}"


def is_demo_number(number):
    """True for a number of the demo audience's block."""
    return (
        isinstance(number, str)
        and number.startswith(DEMO_AUDIENCE_PREFIX)
        and len(number) == len(DEMO_AUDIENCE_PREFIX) + 4
    )


def is_plausible_number(number):
    """True when the number could exist (libphonenumber's view)."""
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(parsed)


def suggestions_of(content):
    """List the suggestions of an RBM contentMessage in display order (cards first, then chips)."""
    return [suggestion for _path, suggestion in walk.iter_suggestions(content)]


def weighted_index(count, draw):
    """Pick an index from one uniform draw, the first items more likely (as people tap)."""
    weights = [1.0 / (position + 1) for position in range(count)]
    target = draw * sum(weights)
    for index, weight in enumerate(weights):
        target -= weight
        if target < 0:
            return index
    return count - 1


def tap_event(suggestion, delay):
    """The event a tap on an RBM suggestion produces: an action is a click, a reply a reply."""
    if "action" in suggestion:
        action = suggestion["action"]
        url = (action.get("openUrlAction") or {}).get("url")
        extra = {
            "cta_id": suggestion.get("ctaId") or cta_id_from_postback(action.get("postbackData")),
            "text": action.get("text"),
            "url": url,
        }
        return (EventType.CLICKED, delay, extra)
    reply = suggestion.get("reply") or {}
    cta_id = suggestion.get("ctaId") or cta_id_from_postback(reply.get("postbackData"))
    extra = {"cta_id": cta_id, "text": reply.get("text")}
    return (EventType.REPLIED, delay, extra)

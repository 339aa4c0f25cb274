"""RBM limits, and the rules of RCS content that span several fields."""

import re
from datetime import datetime
from urllib.parse import urlsplit

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pydantic_core import PydanticCustomError

from messaging.content_errors import location, make_issue
from messaging.media_refs import check_reference, is_reference
from messaging.walk import iter_suggestions, read_key

# Limits from Google RBM (reference notes §1.3). Lengths are counted in Python code points,
# len(str), which is how RBM counts "characters": an emoji made of several code points
# (flags, skin tones, families) counts several. Placeholders like {{ prenom }} count as written.
TEXT_MAX = 3072
TITLE_MAX = 200
DESCRIPTION_MAX = 2000
LABEL_MAX = 25
POSTBACK_MAX = 2048
FALLBACK_URL_MAX = 2048
# RBM documents no limit for the other URLs; we use the fallback URL's limit so a pasted
# blob cannot eat the 250 KB budget unnoticed.
URL_MAX = 2048
CARD_SUGGESTIONS_MAX = 4
CHIPS_MAX = 11
CAROUSEL_MIN = 2
CAROUSEL_MAX = 10
CALENDAR_TITLE_MAX = 100
CALENDAR_DESCRIPTION_MAX = 500
# "250 KB" for the whole stringified message: read as 250,000 bytes of compact UTF-8 JSON,
# the stricter reading, which also leaves room for the few envelope fields.
MESSAGE_BYTES_MAX = 250_000

# What counts as a placeholder here: any {{ ... }}. messaging.variables decides which names are
# valid; validation only needs to skip them when it checks URLs, phone numbers and times.
PLACEHOLDER_RE = re.compile(r"\{\{[^{}]*\}\}")

ACTION_KEYS = (
    "openUrlAction",
    "dialAction",
    "viewLocationAction",
    "createCalendarEventAction",
    "shareLocationAction",
)

_RFC3339_RE = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")


def parse_timestamp(value):
    """Return the datetime of an RFC 3339 timestamp, or None when it is not one."""
    if not isinstance(value, str) or not _RFC3339_RE.fullmatch(value):
        return None
    try:
        return datetime.fromisoformat(value.upper())
    except ValueError:
        return None


def check_url(value):
    """Accept an absolute http(s) URL; {{ placeholders }} stand for any text."""
    bare = PLACEHOLDER_RE.sub("x", value)
    if not bare.lower().startswith(("https://", "http://")):
        raise PydanticCustomError("url_scheme", "URL must start with https:// or http://")
    if any(char.isspace() for char in bare):
        raise PydanticCustomError("url_space", "URL contains a space")
    try:
        host = urlsplit(bare).hostname
    except ValueError:
        host = None
    if not host:
        raise PydanticCustomError("url_host", "URL has no host")
    return value


def check_media_url(value):
    """Accept a media reference ("media:assets/…") or, like check_url, an absolute URL."""
    if is_reference(value):
        return check_reference(value)
    return check_url(value)


def check_phone(value):
    """Accept digits, +, * and # (what RBM dials), placeholders aside."""
    bare = PLACEHOLDER_RE.sub("", value)
    if not value or not re.fullmatch(r"[0-9+*#]*", bare):
        raise PydanticCustomError("phone_characters", "phone number has other characters")
    return value


def check_timestamp(value):
    """Accept an RFC 3339 date-time with an offset, or a value holding a placeholder."""
    if PLACEHOLDER_RE.search(value) is None and parse_timestamp(value) is None:
        raise PydanticCustomError("timestamp", "not an RFC 3339 timestamp")
    return value


def _list(value):
    return value if isinstance(value, list) else []


def rule_issues(data):
    """List the cross-field problems of content JSON, whatever its shape (pydantic reports that)."""
    if not isinstance(data, dict):
        return []
    issues = []
    present = [
        key for key in ("text", "richCard", "contentInfo") if read_key(data, key) is not None
    ]
    if not present:
        issues.append(make_issue((), _("add a text, a card or a media file")))
    elif len(present) > 1:
        issues.append(
            make_issue((), _("a message holds one text, one card or one media file, not several"))
        )
    rich = read_key(data, "richCard")
    if isinstance(rich, dict):
        issues += _rich_card_issues(rich)
    chips = read_key(data, "suggestions")
    if isinstance(chips, list) and len(chips) > CHIPS_MAX:
        message = ngettext(
            "%(count)d chip, the limit is %(limit)d",
            "%(count)d chips, the limit is %(limit)d",
            len(chips),
        ) % {"count": len(chips), "limit": CHIPS_MAX}
        issues.append(make_issue(("suggestions",), message))
    for path, suggestion in iter_suggestions(data):
        issues += _suggestion_issues(suggestion, path)
    issues += _duplicate_cta_issues(data)
    return issues


def _rich_card_issues(rich):
    issues = []
    standalone = read_key(rich, "standaloneCard")
    carousel = read_key(rich, "carouselCard")
    if standalone is None and carousel is None:
        issues.append(make_issue(("richCard",), _("choose a single card or a carousel")))
    elif standalone is not None and carousel is not None:
        issues.append(
            make_issue(("richCard",), _("a card is either a single card or a carousel, not both"))
        )
    if isinstance(standalone, dict):
        issues += _standalone_issues(standalone, ("richCard", "standaloneCard"))
    if isinstance(carousel, dict):
        issues += _carousel_issues(carousel, ("richCard", "carouselCard"))
    return issues


def _standalone_issues(standalone, path):
    issues = []
    horizontal = read_key(standalone, "cardOrientation") == "HORIZONTAL"
    if read_key(standalone, "thumbnailImageAlignment") is not None and not horizontal:
        issues.append(
            make_issue(
                (*path, "thumbnailImageAlignment"),
                _("image alignment applies only to horizontal cards"),
            )
        )
    card = read_key(standalone, "cardContent")
    if isinstance(card, dict):
        issues += _card_issues(card, (*path, "cardContent"))
        has_words = (
            read_key(card, "title")
            or read_key(card, "description")
            or read_key(card, "suggestions")
        )
        if horizontal and read_key(card, "media") is not None and not has_words:
            message = _(
                "a horizontal card with media also needs a title, a description or a button"
            )
            issues.append(make_issue((*path, "cardContent"), message))
    return issues


def _carousel_issues(carousel, path):
    issues = []
    cards = read_key(carousel, "cardContents")
    cards_path = (*path, "cardContents")
    if isinstance(cards, list) and len(cards) < CAROUSEL_MIN:
        message = ngettext(
            "%(count)d card, a carousel needs at least %(limit)d",
            "%(count)d cards, a carousel needs at least %(limit)d",
            len(cards),
        ) % {"count": len(cards), "limit": CAROUSEL_MIN}
        issues.append(make_issue(cards_path, message))
    elif isinstance(cards, list) and len(cards) > CAROUSEL_MAX:
        message = ngettext(
            "%(count)d card, the limit is %(limit)d",
            "%(count)d cards, the limit is %(limit)d",
            len(cards),
        ) % {"count": len(cards), "limit": CAROUSEL_MAX}
        issues.append(make_issue(cards_path, message))
    small = read_key(carousel, "cardWidth") == "SMALL"
    for index, card in enumerate(_list(cards)):
        if not isinstance(card, dict):
            continue
        issues += _card_issues(card, (*cards_path, index))
        if small and read_key(read_key(card, "media"), "height") == "TALL":
            message = _("tall media does not fit a small carousel card: choose short or medium")
            issues.append(make_issue((*cards_path, index, "media", "height"), message))
    return issues


def _card_issues(card, path):
    issues = []
    if (
        read_key(card, "media") is None
        and not read_key(card, "title")
        and not read_key(card, "description")
    ):
        issues.append(make_issue(path, _("add an image, a title or a description")))
    buttons = read_key(card, "suggestions")
    if isinstance(buttons, list) and len(buttons) > CARD_SUGGESTIONS_MAX:
        message = ngettext(
            "%(count)d button, the limit is %(limit)d",
            "%(count)d buttons, the limit is %(limit)d",
            len(buttons),
        ) % {"count": len(buttons), "limit": CARD_SUGGESTIONS_MAX}
        issues.append(make_issue((*path, "suggestions"), message))
    return issues


def _suggestion_issues(suggestion, path):
    issues = []
    reply = read_key(suggestion, "reply")
    action = read_key(suggestion, "action")
    if reply is None and action is None:
        issues.append(make_issue(path, _("choose a reply or an action for this button")))
    elif reply is not None and action is not None:
        issues.append(make_issue(path, _("a button is either a reply or an action, not both")))
    if isinstance(action, dict):
        issues += _action_issues(action, (*path, "action"))
    return issues


def _action_issues(action, path):
    issues = []
    kinds = [key for key in ACTION_KEYS if read_key(action, key) is not None]
    if not kinds:
        message = _(
            "choose what the button does: open a link, call, show a place, "
            "add an event or share the location"
        )
        issues.append(make_issue(path, message))
    elif len(kinds) > 1:
        issues.append(make_issue(path, _("a button does one thing: keep a single action")))
    open_url = read_key(action, "openUrlAction")
    if (
        read_key(open_url, "webviewViewMode") is not None
        and read_key(open_url, "application") != "WEBVIEW"
    ):
        message = _("the webview size applies only to links that open in a webview")
        issues.append(make_issue((*path, "openUrlAction", "webviewViewMode"), message))
    place = read_key(action, "viewLocationAction")
    if isinstance(place, dict):
        has_point = read_key(place, "latLong") is not None
        has_query = read_key(place, "query") is not None
        if not has_point and not has_query:
            message = _("give the coordinates of the place or a map search")
            issues.append(make_issue((*path, "viewLocationAction"), message))
        elif has_point and has_query:
            message = _("give either coordinates or a map search, not both")
            issues.append(make_issue((*path, "viewLocationAction"), message))
    event = read_key(action, "createCalendarEventAction")
    start = parse_timestamp(read_key(event, "startTime"))
    end = parse_timestamp(read_key(event, "endTime"))
    if start is not None and end is not None and end <= start:
        message = _("the event must end after it starts")
        issues.append(make_issue((*path, "createCalendarEventAction", "endTime"), message))
    return issues


def _duplicate_cta_issues(data):
    """Two buttons with one CTA id would merge their clicks in the reports."""
    issues = []
    seen = {}
    for path, suggestion in iter_suggestions(data):
        cta_id = read_key(suggestion, "ctaId")
        if not isinstance(cta_id, str) or not cta_id:
            continue
        if cta_id in seen:
            message = _("button id %(cta_id)s is already used by %(other)s") % {
                "cta_id": cta_id,
                "other": location(seen[cta_id]),
            }
            issues.append(make_issue((*path, "ctaId"), message))
        else:
            seen[cta_id] = path
    return issues

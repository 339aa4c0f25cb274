"""Errors of RCS content validation, named the way a marketer sees the message."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext, pgettext_lazy

# Field names as the editor shows them, keyed by the camelCase JSON key. They start the error
# messages ("label is 31 characters"): under the "content field" context a translation carries
# its article, so French can say "le libellé fait 31 caractères". (The context is written out
# in every call: makemessages only reads literal strings.)
FIELD_NAMES = {
    "text": pgettext_lazy("content field", "text"),
    "title": pgettext_lazy("content field", "title"),
    "description": pgettext_lazy("content field", "description"),
    "media": pgettext_lazy("content field", "media"),
    "height": pgettext_lazy("content field", "media height"),
    "contentInfo": pgettext_lazy("content field", "media file"),
    "fileUrl": pgettext_lazy("content field", "media link"),
    "thumbnailUrl": pgettext_lazy("content field", "thumbnail link"),
    "forceRefresh": pgettext_lazy("content field", "force refresh"),
    "richCard": pgettext_lazy("content field", "card"),
    "standaloneCard": pgettext_lazy("content field", "card"),
    "carouselCard": pgettext_lazy("content field", "carousel"),
    "cardOrientation": pgettext_lazy("content field", "orientation"),
    "thumbnailImageAlignment": pgettext_lazy("content field", "image alignment"),
    "cardWidth": pgettext_lazy("content field", "card width"),
    "cardContent": pgettext_lazy("content field", "card content"),
    "cardContents": pgettext_lazy("content field", "cards"),
    "suggestions": pgettext_lazy("content field", "buttons"),
    "reply": pgettext_lazy("content field", "reply"),
    "action": pgettext_lazy("content field", "action"),
    "postbackData": pgettext_lazy("content field", "postback data"),
    "fallbackUrl": pgettext_lazy("content field", "fallback link"),
    "ctaId": pgettext_lazy("content field", "button id"),
    "openUrlAction": pgettext_lazy("content field", "open link action"),
    "url": pgettext_lazy("content field", "link"),
    "application": pgettext_lazy("content field", "link target"),
    "webviewViewMode": pgettext_lazy("content field", "webview size"),
    "dialAction": pgettext_lazy("content field", "call action"),
    "phoneNumber": pgettext_lazy("content field", "phone number"),
    "viewLocationAction": pgettext_lazy("content field", "map action"),
    "latLong": pgettext_lazy("content field", "coordinates"),
    "latitude": pgettext_lazy("content field", "latitude"),
    "longitude": pgettext_lazy("content field", "longitude"),
    "label": pgettext_lazy("content field", "place name"),
    "query": pgettext_lazy("content field", "map search"),
    "createCalendarEventAction": pgettext_lazy("content field", "calendar action"),
    "startTime": pgettext_lazy("content field", "start time"),
    "endTime": pgettext_lazy("content field", "end time"),
    "shareLocationAction": pgettext_lazy("content field", "share location action"),
}

# The same JSON key means something else under some parents.
FIELD_NAMES_IN = {
    ("reply", "text"): pgettext_lazy("content field", "label"),
    ("action", "text"): pgettext_lazy("content field", "label"),
    ("createCalendarEventAction", "title"): pgettext_lazy("content field", "event title"),
    ("createCalendarEventAction", "description"): pgettext_lazy(
        "content field", "event description"
    ),
    ("openUrlAction", "description"): pgettext_lazy("content field", "webview description"),
}


@dataclass(frozen=True)
class ContentIssue:
    """One problem in a message: where it is (JSON path and words) and what is wrong."""

    path: tuple
    where: str
    message: str

    def __str__(self):
        # Translators: a problem in a message, e.g. "Card 3, button 2: label is 31 characters,
        # the limit is 25". French puts a no-break space before the colon.
        return _("%(where)s: %(message)s") % {"where": self.where, "message": self.message}


class ContentError(ValueError):
    """Raised when RCS content is refused; `issues` lists every problem found."""

    def __init__(self, issues):
        self.issues = list(issues)
        super().__init__("; ".join(str(issue) for issue in self.issues))


def make_issue(path, message):
    """Build an issue for `path`, naming its place in the message."""
    return ContentIssue(path=tuple(path), where=location(path), message=str(message))


def _index(path, position):
    """The 1-based number at `position` of `path`, or None when there is no index there."""
    if len(path) > position and isinstance(path[position], int):
        return path[position] + 1
    return None


def location(path):
    """Name the element at `path` as a user sees it: "Card 3, button 2", "Suggestion chip 1"..."""
    path = list(path)
    if path[:1] == ["suggestions"]:
        chip = _index(path, 1)
        if chip is None:
            return _("Suggestion chips")
        return _("Suggestion chip %(chip)d") % {"chip": chip}
    if path[:2] == ["richCard", "standaloneCard"]:
        button = _index(path, 4) if path[2:4] == ["cardContent", "suggestions"] else None
        if button is None:
            return _("Card")
        return _("Button %(button)d") % {"button": button}
    if path[:3] == ["richCard", "carouselCard", "cardContents"]:
        card = _index(path, 3)
        if card is None:
            return _("Carousel")
        button = _index(path, 5) if path[4:5] == ["suggestions"] else None
        if button is None:
            return _("Card %(card)d") % {"card": card}
        return _("Card %(card)d, button %(button)d") % {"card": card, "button": button}
    if path[:2] == ["richCard", "carouselCard"]:
        return _("Carousel")
    if path[:1] == ["richCard"]:
        return _("Card")
    if path[:1] == ["contentInfo"]:
        return _("Media")
    return _("Message")


def field_name(path):
    """Name the field at the end of `path` ("label", "event title"...)."""
    keys = [key for key in path if isinstance(key, str)]
    if not keys:
        return pgettext("content field", "message")
    key = keys[-1]
    if key == "suggestions" and len(keys) == 1:
        return pgettext("content field", "suggestion chips")
    parent = keys[-2] if len(keys) > 1 else None
    name = FIELD_NAMES_IN.get((parent, key)) or FIELD_NAMES.get(key)
    return str(name) if name is not None else key


def _choices(expected):
    """Turn pydantic's "'A' or 'B'" into "A, B" (the values are code names, never translated)."""
    return ", ".join(re.findall(r"'([^']*)'", expected))


def _number(value):
    """Show 90.0 as 90: pydantic turns the bounds of a float field into floats."""
    return int(value) if float(value).is_integer() else value


def issue_from_pydantic(error):
    """Translate one pydantic error dict into a ContentIssue, never exposing pydantic's wording."""
    path = tuple(error["loc"])
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if kind == "extra_forbidden":
        # The unknown key is the last step of the path: point at the element that holds it.
        message = _("unknown field “%(name)s”") % {"name": path[-1] if path else ""}
        return ContentIssue(path=path, where=location(path[:-1]), message=message)
    return make_issue(path, _message(kind, path, ctx, value))


def _message(kind, path, ctx, value):
    """The translated message for one pydantic error type at `path`."""
    field = field_name(path)
    if kind == "string_too_long":
        count = len(value) if isinstance(value, str) else ctx.get("max_length", 0) + 1
        return ngettext(
            "%(field)s is %(count)d character, the limit is %(limit)d",
            "%(field)s is %(count)d characters, the limit is %(limit)d",
            count,
        ) % {"field": field, "count": count, "limit": ctx.get("max_length", 0)}
    if kind == "string_too_short":
        return _("%(field)s is empty") % {"field": field}
    if kind == "missing":
        return _("%(field)s is missing") % {"field": field}
    if kind == "literal_error":
        return _("%(field)s must be one of: %(choices)s") % {
            "field": field,
            "choices": _choices(ctx.get("expected", "")),
        }
    if kind == "string_pattern_mismatch" and path[-1:] == ("ctaId",):
        return _("button id must be cta_ followed by 4 to 16 lower-case letters or digits")
    if kind == "url_scheme":
        return _("the %(field)s must start with https:// or http://") % {"field": field}
    if kind == "media_reference":
        return _("the %(field)s names no image of the media library") % {"field": field}
    if kind == "url_space":
        return _("the %(field)s contains a space") % {"field": field}
    if kind == "url_host":
        return _("the %(field)s has no domain name after https://") % {"field": field}
    if kind == "phone_characters":
        return _("the phone number may contain only digits, +, * and #")
    if kind == "timestamp":
        return _("%(field)s must be a date and time like 2026-05-01T09:00:00+02:00") % {
            "field": field
        }
    if kind == "string_type":
        return _("%(field)s must be text") % {"field": field}
    if kind in ("model_type", "model_attributes_type", "dict_type") and not path:
        return _("the content must be a JSON object")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return _("%(field)s must be an object") % {"field": field}
    if kind == "list_type":
        return _("%(field)s must be a list") % {"field": field}
    if kind in ("bool_type", "bool_parsing"):
        return _("%(field)s must be true or false") % {"field": field}
    if kind in ("float_type", "float_parsing", "finite_number"):
        return _("%(field)s must be a number") % {"field": field}
    if kind == "greater_than_equal":
        return _("%(field)s must be at least %(limit)s") % {
            "field": field,
            "limit": _number(ctx["ge"]),
        }
    if kind == "less_than_equal":
        return _("%(field)s must be at most %(limit)s") % {
            "field": field,
            "limit": _number(ctx["le"]),
        }
    return _("%(field)s is not valid") % {"field": field}

"""The one set of walkers over stored RCS content JSON: kind, cards, suggestions, strings, URLs.

Stored content is the dict form of messaging.content's schema (camelCase keys). Every reader
of that JSON goes through these functions, so its shape is spelled out in one place. They are
lenient: a draft with mistakes yields what it can and never raises; paths are tuples of keys
and list indexes from the content's root, as messaging.content_errors reports them.
"""

import functools

from pydantic.alias_generators import to_snake

# Keys whose value is a URL: links of buttons, media files and their thumbnails.
URL_FIELDS = frozenset({"url", "fallbackUrl", "fileUrl", "thumbnailUrl"})

STANDALONE_PATH = ("richCard", "standaloneCard")
CAROUSEL_PATH = ("richCard", "carouselCard")


def _dict(value):
    return value if isinstance(value, dict) else {}


def _list(value):
    return value if isinstance(value, list) else []


def content_kind(data):
    """Return "text", "card", "carousel", "media", "unknown" (another dict) or "empty"."""
    data = _dict(data)
    rich = _dict(data.get("richCard"))
    if "text" in data:
        return "text"
    if "standaloneCard" in rich:
        return "card"
    if "carouselCard" in rich:
        return "carousel"
    if "contentInfo" in data:
        return "media"
    return "unknown" if data else "empty"


def standalone_card(data):
    """Return the standaloneCard object of content JSON, or {} when there is none."""
    return _dict(_dict(_dict(data).get("richCard")).get("standaloneCard"))


def carousel_card(data):
    """Return the carouselCard object of content JSON, or {} when there is none."""
    return _dict(_dict(_dict(data).get("richCard")).get("carouselCard"))


def media_width(data):
    """Return the width a card's media shows at: STANDALONE, HORIZONTAL, or SMALL/MEDIUM."""
    kind = content_kind(data)
    if kind == "card":
        horizontal = standalone_card(data).get("cardOrientation") == "HORIZONTAL"
        return "HORIZONTAL" if horizontal else "STANDALONE"
    if kind == "carousel":
        return carousel_card(data).get("cardWidth", "MEDIUM")
    return ""


def iter_cards(data):
    """Yield (path, card) for the cards the message shows: its standalone card or its carousel's.

    A card that is not an object is yielded as {} so positions and counts stay right.
    """
    kind = content_kind(data)
    if kind == "card":
        yield (*STANDALONE_PATH, "cardContent"), _dict(standalone_card(data).get("cardContent"))
    elif kind == "carousel":
        cards = _list(carousel_card(data).get("cardContents"))
        for index, card in enumerate(cards):
            yield (*CAROUSEL_PATH, "cardContents", index), _dict(card)


def cards(data):
    """List the cards the message shows (see iter_cards)."""
    return [card for _path, card in iter_cards(data)]


def first_card(data):
    """Return the first card the message shows, or None for a text, a media file or nothing."""
    return next((card for _path, card in iter_cards(data)), None)


@functools.lru_cache(maxsize=256)
def _snake(key):
    # A handful of keys, read for every rendered message: pydantic's to_snake runs regexes.
    return to_snake(key)


def read_key(obj, key):
    """obj[key] for a camelCase key, also accepting its snake_case spelling; None if absent."""
    if not isinstance(obj, dict):
        return None
    if key in obj:
        return obj[key]
    return obj.get(_snake(key))


def _slots(suggestions, path):
    for index, suggestion in enumerate(_list(suggestions)):
        if isinstance(suggestion, dict):
            yield (*path, index), suggestion


def iter_suggestions(data):
    """Yield (path, suggestion) for every suggestion object: card buttons first, then chips.

    Validation walks this too, so it reads every place a suggestion may sit, even in content
    that mixes shapes, and accepts snake_case keys as pydantic does.
    """
    rich = read_key(data, "richCard")
    card = read_key(read_key(rich, "standaloneCard"), "cardContent")
    path = (*STANDALONE_PATH, "cardContent", "suggestions")
    yield from _slots(read_key(card, "suggestions"), path)
    cards_of_carousel = read_key(read_key(rich, "carouselCard"), "cardContents")
    for index, card in enumerate(_list(cards_of_carousel)):
        path = (*CAROUSEL_PATH, "cardContents", index, "suggestions")
        yield from _slots(read_key(card, "suggestions"), path)
    # Chips show under the message, after the card's own buttons.
    yield from _slots(read_key(data, "suggestions"), ("suggestions",))


def iter_values(data):
    """Yield (path, value) for data and every value inside it, depth first in document order."""
    stack = [((), data)]
    while stack:
        path, value = stack.pop()
        yield path, value
        if isinstance(value, dict):
            stack.extend(((*path, key), item) for key, item in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend(((*path, index), item) for index, item in reversed(list(enumerate(value))))


def iter_strings(data):
    """Yield (path, string) for every string in content JSON, in document order."""
    for path, value in iter_values(data):
        if isinstance(value, str):
            yield path, value


def field_name(path):
    """The key a value sits under; items of a list take the list's key (a list of URLs is URLs)."""
    return next((part for part in reversed(path) if isinstance(part, str)), None)


def iter_urls(data):
    """Yield (path, url) for every string under a URL key (URL_FIELDS), in document order."""
    for path, text in iter_strings(data):
        if field_name(path) in URL_FIELDS:
            yield path, text

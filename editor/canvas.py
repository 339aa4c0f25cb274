"""The editable blocks of a message: every field with its JSON path, its value and its limit.

The canvas template renders these; the editor's JavaScript writes each input back into the
content JSON at the field's path. Reading is lenient, so a draft with mistakes still shows.
"""

import json
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from editor.framing_slots import recommended_text, slot_framing
from editor.preview import BUTTON_ICONS
from messaging import walk
from messaging.content import suggestion_kind
from messaging.content_rules import (
    CALENDAR_DESCRIPTION_MAX,
    CALENDAR_TITLE_MAX,
    CARD_SUGGESTIONS_MAX,
    CAROUSEL_MAX,
    CAROUSEL_MIN,
    CHIPS_MAX,
    DESCRIPTION_MAX,
    LABEL_MAX,
    TEXT_MAX,
    TITLE_MAX,
)

CONTENT = "rcs_content"

# What each kind of button is called in the editor; its icon is the preview's.
BUTTON_LABELS = {
    "reply": _("Reply"),
    "open_url": _("Open link"),
    "dial": _("Call"),
    "view_location": _("Show location"),
    "calendar": _("Add to calendar"),
    "share_location": _("Share location"),
}
MEDIA_HEIGHTS = (("SHORT", _("Short")), ("MEDIUM", _("Medium")), ("TALL", _("Tall")))
CARD_WIDTHS = (("SMALL", _("Small")), ("MEDIUM", _("Medium")))
ORIENTATIONS = (("VERTICAL", _("Vertical")), ("HORIZONTAL", _("Horizontal")))
ALIGNMENTS = (("LEFT", _("Image on the left")), ("RIGHT", _("Image on the right")))


def _dict(value):
    return value if isinstance(value, dict) else {}


def _list(value):
    return value if isinstance(value, list) else []


def _text(value):
    if isinstance(value, bool) or value is None:
        return ""
    return str(value) if isinstance(value, str | int | float) else ""


def path_json(path):
    """The JSON text of a path, as the templates put it in data-path attributes."""
    return json.dumps(list(path), separators=(",", ":"))


class _Placed:
    """Something of the canvas at a JSON path; `index` and `count` when it sits in a list."""

    @property
    def path_json(self):
        return path_json(self.path)

    @property
    def number(self):
        return self.index + 1

    @property
    def is_first(self):
        return self.index == 0

    @property
    def is_last(self):
        return self.index == self.count - 1


@dataclass
class Field(_Placed):
    """One input: where it writes in the state, what it holds, and its limit if any."""

    path: tuple
    label: str
    value: str = ""
    limit: int | None = None
    widget: str = "text"  # text, textarea, url, tel, number, datetime, select
    # An optional field is removed from the JSON when emptied; a required one stays "".
    optional: bool = False
    placeholder: str = ""
    help: str = ""
    choices: tuple = ()
    variables: bool = True  # offer variable insertion
    # Emptying this input removes the object at this path instead (an image without a link).
    clear_path: tuple = ()

    @property
    def clear_path_json(self):
        return path_json(self.clear_path) if self.clear_path else ""

    @property
    def length(self):
        # RBM counts characters (code points), as does our validation.
        return len(self.value)

    @property
    def over(self):
        return self.limit is not None and self.length > self.limit

    @property
    def dom_id(self):
        return "f-" + "-".join(str(part) for part in self.path[1:])


def _select(path, label, value, choices):
    return Field(path, label, value, widget="select", choices=choices, variables=False)


@dataclass
class MediaBlock(_Placed):
    """An image slot: a card's media or the media-only message."""

    path: tuple
    width: str  # FILE, STANDALONE, HORIZONTAL, MEDIUM, SMALL: which crops of an asset apply
    file_url: str = ""
    thumbnail_url: str = ""
    height: Field | None = None

    @property
    def dom_id(self):
        return "m-" + "-".join(str(part) for part in self.path[1:])

    @property
    def framing(self):
        """The framing tool's data (editor.framing_slots), or None for a foreign image."""
        return slot_framing(self.file_url, self.width, self.height and self.height.value)

    @property
    def recommended(self):
        """The image size to upload for this slot, e.g. "1440 × 720 px"."""
        return recommended_text(self.width, self.height and self.height.value)

    @property
    def url_field(self):
        info_path = self.path if self.path[-1] == "contentInfo" else (*self.path, "contentInfo")
        return Field(
            (*info_path, "fileUrl"),
            _("Image link"),
            self.file_url,
            widget="url",
            placeholder="https://",
            variables=False,
            clear_path=self.path,
        )


@dataclass
class ButtonBlock(_Placed):
    path: tuple
    index: int
    count: int
    kind: str
    label: Field
    fields: list[Field] = field(default_factory=list)

    @property
    def kind_label(self):
        return BUTTON_LABELS[self.kind]

    @property
    def icon(self):
        return BUTTON_ICONS[self.kind]


@dataclass
class ButtonList(_Placed):
    path: tuple
    buttons: list[ButtonBlock]
    limit: int

    @property
    def over(self):
        return len(self.buttons) > self.limit


@dataclass
class CardBlock(_Placed):
    path: tuple
    index: int
    count: int
    title: Field
    description: Field
    media: MediaBlock
    buttons: ButtonList


@dataclass
class Canvas:
    """The message as editable blocks."""

    kind: str = "empty"  # empty, text, media, card, carousel, unknown
    text: Field | None = None
    media: MediaBlock | None = None
    orientation: Field | None = None
    alignment: Field | None = None
    card_width: Field | None = None
    cards: list[CardBlock] = field(default_factory=list)
    cards_path: tuple = ()
    chips: ButtonList | None = None
    carousel_min: int = CAROUSEL_MIN
    carousel_max: int = CAROUSEL_MAX

    @property
    def cards_path_json(self):
        return path_json(self.cards_path)

    @property
    def cards_over(self):
        return not CAROUSEL_MIN <= len(self.cards) <= CAROUSEL_MAX


def _button_fields(kind, body, path):
    """The inputs a button of this kind needs, besides its label."""
    if kind == "open_url":
        url = _dict(body.get("openUrlAction")).get("url")
        link = (*path, "openUrlAction", "url")
        return [Field(link, _("Link"), _text(url), widget="url", placeholder="https://")]
    if kind == "dial":
        number = _dict(body.get("dialAction")).get("phoneNumber")
        where = (*path, "dialAction", "phoneNumber")
        return [Field(where, _("Phone number"), _text(number), widget="tel", placeholder="+33…")]
    if kind == "view_location":
        place = _dict(body.get("viewLocationAction"))
        place_path = (*path, "viewLocationAction")
        if "latLong" in place:
            point = _dict(place.get("latLong"))
            return [
                Field(
                    (*place_path, "latLong", name),
                    label,
                    _text(point.get(name)),
                    widget="number",
                    variables=False,
                )
                for name, label in (("latitude", _("Latitude")), ("longitude", _("Longitude")))
            ]
        query = _text(place.get("query"))
        return [
            Field(
                (*place_path, "query"),
                _("Address or place"),
                query,
                optional=True,
                placeholder=_("12 rue de Rivoli, Paris"),
            )
        ]
    if kind == "calendar":
        event = _dict(body.get("createCalendarEventAction"))
        at = (*path, "createCalendarEventAction")

        def value(name):
            return _text(event.get(name))

        return [
            Field(
                (*at, "title"),
                _("Event title"),
                value("title"),
                limit=CALENDAR_TITLE_MAX,
                placeholder=_("What the calendar shows, e.g. Fitting at Maison Relais"),
            ),
            Field(
                (*at, "startTime"),
                _("Starts"),
                value("startTime")[:16],
                widget="datetime",
                variables=False,
            ),
            Field(
                (*at, "endTime"),
                _("Ends"),
                value("endTime")[:16],
                widget="datetime",
                variables=False,
            ),
            Field(
                (*at, "description"),
                _("Event description"),
                value("description"),
                limit=CALENDAR_DESCRIPTION_MAX,
                optional=True,
            ),
        ]
    return []


def _button(suggestion, path, index, count):
    suggestion = _dict(suggestion)
    kind = suggestion_kind(suggestion)
    body_key = "reply" if kind == "reply" else "action"
    body = _dict(suggestion.get(body_key))
    body_path = (*path, body_key)
    label = Field((*body_path, "text"), _("Label"), _text(body.get("text")), limit=LABEL_MAX)
    fields = _button_fields(kind, body, body_path)
    return ButtonBlock(path, index, count, kind, label, fields)


def _buttons(suggestions, path, limit):
    suggestions = _list(suggestions)
    count = len(suggestions)
    buttons = [
        _button(suggestion, (*path, index), index, count)
        for index, suggestion in enumerate(suggestions)
    ]
    return ButtonList(path, buttons, limit)


def _media(media, path, width):
    media = _dict(media)
    info = _dict(media.get("contentInfo"))
    height = None
    if width != "HORIZONTAL":
        value = _text(media.get("height")) or "MEDIUM"
        height = _select((*path, "height"), _("Image height"), value, MEDIA_HEIGHTS)
    file_url, thumbnail_url = _text(info.get("fileUrl")), _text(info.get("thumbnailUrl"))
    return MediaBlock(path, width, file_url, thumbnail_url, height)


def _card(card, path, index, count, width):
    card = _dict(card)
    title = Field(
        (*path, "title"), _("Title"), _text(card.get("title")), limit=TITLE_MAX, optional=True
    )
    description = Field(
        (*path, "description"),
        _("Description"),
        _text(card.get("description")),
        limit=DESCRIPTION_MAX,
        widget="textarea",
        optional=True,
    )
    media = _media(card.get("media"), (*path, "media"), width)
    buttons = _buttons(card.get("suggestions"), (*path, "suggestions"), CARD_SUGGESTIONS_MAX)
    return CardBlock(path, index, count, title, description, media, buttons)


def build_canvas(content):
    """Return the Canvas of content JSON (the template's rcs_content)."""
    content = _dict(content)
    root = (CONTENT,)
    canvas = Canvas(chips=_buttons(content.get("suggestions"), (*root, "suggestions"), CHIPS_MAX))
    canvas.kind = walk.content_kind(content)
    cards = list(walk.iter_cards(content))
    if canvas.kind == "text":
        text = _text(content.get("text"))
        canvas.text = Field((*root, "text"), _("Text"), text, limit=TEXT_MAX, widget="textarea")
    elif canvas.kind == "card":
        standalone = walk.standalone_card(content)
        base = (*root, *walk.STANDALONE_PATH)
        orientation = _text(standalone.get("cardOrientation")) or "VERTICAL"
        canvas.orientation = _select(
            (*base, "cardOrientation"), _("Layout"), orientation, ORIENTATIONS
        )
        if orientation == "HORIZONTAL":
            side = _text(standalone.get("thumbnailImageAlignment")) or "LEFT"
            path = (*base, "thumbnailImageAlignment")
            canvas.alignment = _select(path, _("Image side"), side, ALIGNMENTS)
        width = "HORIZONTAL" if orientation == "HORIZONTAL" else "STANDALONE"
        canvas.cards = [_card(card, (*root, *path), 0, 1, width) for path, card in cards]
    elif canvas.kind == "carousel":
        carousel = walk.carousel_card(content)
        base = (*root, *walk.CAROUSEL_PATH)
        width = _text(carousel.get("cardWidth")) or "MEDIUM"
        canvas.card_width = _select((*base, "cardWidth"), _("Card width"), width, CARD_WIDTHS)
        canvas.cards_path = (*base, "cardContents")
        canvas.cards = [
            _card(card, (*root, *path), index, len(cards), width)
            for index, (path, card) in enumerate(cards)
        ]
    elif canvas.kind == "media":
        info = _dict(content.get("contentInfo"))
        canvas.media = MediaBlock(
            (*root, "contentInfo"),
            "FILE",
            _text(info.get("fileUrl")),
            _text(info.get("thumbnailUrl")),
        )
    return canvas

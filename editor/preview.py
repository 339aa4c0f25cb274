"""What a message looks like filled with its sample values, for the preview templates.

The preview reads the content JSON loosely, so a draft with mistakes still shows; the
mistakes are listed beside it.
"""

from dataclasses import dataclass, field

from editor.services import fallback_text_for_sending, publish_problems
from editor.sms_text import as_tracked
from messaging import walk
from messaging.content import suggestion_kind
from messaging.sms import SmsAnalysis, analyze, explain
from messaging.variables import VariableError, compile_content, compile_text, sample_values

# Bootstrap Icons names, by what a button does.
BUTTON_ICONS = {
    "reply": "bi-reply",
    "open_url": "bi-box-arrow-up-right",
    "dial": "bi-telephone",
    "view_location": "bi-geo-alt",
    "share_location": "bi-crosshair",
    "calendar": "bi-calendar-plus",
}


@dataclass
class PreviewButton:
    label: str
    kind: str
    icon: str
    url: str = ""


@dataclass
class PreviewCard:
    title: str = ""
    description: str = ""
    image_url: str = ""
    thumbnail_url: str = ""
    height: str = "MEDIUM"
    buttons: list[PreviewButton] = field(default_factory=list)


@dataclass
class MessagePreview:
    """A message filled with sample values: RCS parts, SMS fallback, and what is wrong."""

    kind: str
    text: str = ""
    media_url: str = ""
    cards: list[PreviewCard] = field(default_factory=list)
    orientation: str = "VERTICAL"
    image_alignment: str = "LEFT"
    card_width: str = "STANDALONE"
    chips: list[PreviewButton] = field(default_factory=list)
    rcs_only: bool = False
    sms_text: str = ""
    sms: SmsAnalysis | None = None
    sms_explanation: str = ""
    brand: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _dict(value):
    return value if isinstance(value, dict) else {}


def _list(value):
    return value if isinstance(value, list) else []


def _str(value):
    return value if isinstance(value, str) else ""


def _button(suggestion):
    suggestion = _dict(suggestion)
    kind = suggestion_kind(suggestion)
    if kind == "reply":
        return PreviewButton(
            label=_str(_dict(suggestion["reply"]).get("text")), kind=kind, icon=BUTTON_ICONS[kind]
        )
    action = _dict(suggestion.get("action"))
    url = _str(_dict(action.get("openUrlAction")).get("url"))
    return PreviewButton(
        label=_str(action.get("text")), kind=kind, icon=BUTTON_ICONS[kind], url=url
    )


def _card(card, height_default="MEDIUM"):
    card = _dict(card)
    media = _dict(card.get("media"))
    info = _dict(media.get("contentInfo"))
    return PreviewCard(
        title=_str(card.get("title")),
        description=_str(card.get("description")),
        image_url=_str(info.get("fileUrl")),
        thumbnail_url=_str(info.get("thumbnailUrl")),
        height=_str(media.get("height")) or height_default,
        buttons=[_button(suggestion) for suggestion in _list(card.get("suggestions"))],
    )


def _fill(data, values):
    """Render content with values; "[name]" stands in for values nobody gave."""
    try:
        compiled = compile_content(data)
        return compiled.render({**{name: f"[{name}]" for name in compiled.names}, **values})
    except (VariableError, TypeError, ValueError):
        return data


def content_preview(data, values):
    """Return a MessagePreview of the RCS part of content JSON filled with values."""
    data = _dict(_fill(_dict(data), values))
    kind = walk.content_kind(data)
    # The preview shows nothing of content it cannot place.
    preview = MessagePreview(kind="empty" if kind == "unknown" else kind)
    if kind == "text":
        preview.text = _str(data.get("text"))
    elif kind == "card":
        standalone = walk.standalone_card(data)
        preview.orientation = _str(standalone.get("cardOrientation")) or "VERTICAL"
        preview.image_alignment = _str(standalone.get("thumbnailImageAlignment")) or "LEFT"
    elif kind == "carousel":
        preview.card_width = _str(walk.carousel_card(data).get("cardWidth")) or "MEDIUM"
    elif kind == "media":
        preview.media_url = _str(_dict(data["contentInfo"]).get("fileUrl"))
    preview.cards = [_card(card) for card in walk.cards(data)]
    preview.chips = [_button(suggestion) for suggestion in _list(data.get("suggestions"))]
    return preview


def _add_sms(preview, text, values):
    compiled = compile_text(text)
    values = {**{name: f"[{name}]" for name in compiled.names}, **values}
    try:
        preview.sms_text = compiled.render(values)
    except VariableError as exc:
        # A sample a link refuses (only dots): the preview shows the name in its place.
        preview.sms_text = compiled.render({**values, exc.name: f"[{exc.name}]"})
    # Links go out as tracked links: shown and counted as long as those.
    preview.sms_text = as_tracked(preview.sms_text)
    preview.sms = analyze(preview.sms_text)
    preview.sms_explanation = explain(preview.sms)


def preview_unsaved(template):
    """Return the preview of a template (saved or not) with its sample values, without problems."""
    try:
        values = sample_values(template.declared_variables())
    except VariableError:
        values = {}
    preview = content_preview(template.rcs_content, values)
    preview.rcs_only = template.rcs_only
    if not template.rcs_only:
        _add_sms(preview, fallback_text_for_sending(template), values)
    preview.brand = template.brand.snapshot() if template.brand_id else {}
    return preview


def preview_template(template):
    """Return the preview of a template being edited, with every problem stopping publication."""
    preview = preview_unsaved(template)
    problems, _issues = publish_problems(template) if template.brand_id else ({}, [])
    preview.problems = [message for messages in problems.values() for message in messages]
    return preview


def preview_version(version):
    """Return the preview of a published version, with its sample values and frozen brand."""
    values = sample_values(version.declared_variables())
    preview = content_preview(version.rcs_content, values)
    preview.rcs_only = version.rcs_only
    if not version.rcs_only:
        _add_sms(preview, version.sms_fallback, values)
    preview.brand = version.brand_snapshot
    return preview

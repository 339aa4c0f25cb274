"""The small picture of a message the template list shows: its first image, or a text snippet."""

from dataclasses import dataclass

from django.utils.text import Truncator

from messaging import walk

SNIPPET_CHARS = 70


@dataclass(frozen=True)
class MessageThumb:
    image: str = ""  # a media field value (reference or URL) of the first image
    text: str = ""  # else the first words of the message


def _str(value):
    return value if isinstance(value, str) else ""


def _image_of(info):
    info = info if isinstance(info, dict) else {}
    return _str(info.get("thumbnailUrl")) or _str(info.get("fileUrl"))


def message_thumb(content):
    """Return the MessageThumb of content JSON (a template's rcs_content)."""
    if not isinstance(content, dict):
        return MessageThumb()
    kind = walk.content_kind(content)
    if kind == "media":
        return MessageThumb(image=_image_of(content.get("contentInfo")))
    if kind == "text":
        return MessageThumb(text=Truncator(_str(content.get("text"))).chars(SNIPPET_CHARS))
    texts = []
    for card in walk.cards(content):
        media = card.get("media") if isinstance(card.get("media"), dict) else {}
        image = _image_of(media.get("contentInfo"))
        if image:
            return MessageThumb(image=image)
        texts.append(_str(card.get("title")) or _str(card.get("description")))
    text = next((t for t in texts if t), "")
    return MessageThumb(text=Truncator(text).chars(SNIPPET_CHARS))

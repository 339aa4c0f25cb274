"""What an image slot of the editor shows about framing: the cut of every height, and sizes."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from editor import framing
from editor.media import VARIANT_SIZES, recommended_size
from editor.media_urls import variant_key
from editor.models import MediaAsset

HEIGHT_LABELS = {
    "SHORT": gettext_lazy("Short"),
    "MEDIUM": gettext_lazy("Medium"),
    "TALL": gettext_lazy("Tall"),
}


def _ratio(key):
    width, height = VARIANT_SIZES[MediaAsset.Kind.CARD][key]
    return width / height


def cuts(width, current):
    """Return [{"key", "label", "ratio", "current"}]: each cut the image gets on this card.

    width is the card's (STANDALONE, MEDIUM, SMALL or HORIZONTAL); current its media height.
    """
    if width == "HORIZONTAL":
        return [
            {
                "key": "HORIZONTAL",
                "label": _("Beside the text"),
                "ratio": _ratio("HORIZONTAL"),
                "current": True,
            }
        ]
    found = []
    for height, label in HEIGHT_LABELS.items():
        if width == "SMALL" and height == "TALL":
            continue
        key = variant_key(height, width)
        found.append(
            {
                "key": key,
                "label": str(label),
                "ratio": round(_ratio(key), 4),
                "current": height == current,
            }
        )
    return found


def slot_framing(file_url, width, height):
    """Return what the framing tool of a slot needs, or None when the image cannot be framed.

    {"original": reference of the uncut image, "focus": [x, y], "cuts": cuts()}.
    """
    if width == "FILE":
        return None
    original = framing.original_ref(file_url)
    if not original:
        return None
    return {
        "original": original,
        "focus": list(framing.focus_of(file_url)),
        "cuts": cuts(width, height or "MEDIUM"),
    }


def recommended_text(width, height):
    """Return "1440 × 720 px" for this card width and media height ("" for a file message)."""
    if width == "FILE":
        return ""
    key_height = "MEDIUM" if width == "SMALL" and height == "TALL" else (height or "MEDIUM")
    pixels = recommended_size(key_height, width)
    return _("%(width)d × %(height)d px") % {"width": pixels[0], "height": pixels[1]}

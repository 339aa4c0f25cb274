"""What an image slot of the editor shows about framing: the cut of every height, and sizes."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from editor import framing
from editor.media import VARIANT_SIZES, recommended_size
from editor.media_urls import CARD_WIDTHS, MEDIA_HEIGHTS, variant_key
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
    if width == "SMALL" and current == "TALL":
        current = "MEDIUM"  # small cards have no tall media: phones show the medium cut
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


def _known(width, height):
    """(width, height) when the card can show media, with an unknown height read as MEDIUM;
    None for a width the content does not allow (the editor lists that problem elsewhere)."""
    if width != "HORIZONTAL" and width not in CARD_WIDTHS:
        return None
    return width, height if height in MEDIA_HEIGHTS else "MEDIUM"


def slot_framing(file_url, width, height):
    """Return what the framing tool of a slot needs, or None when the image cannot be framed.

    {"original": reference of the uncut image, "focus": [x, y], "cuts": cuts()}.
    """
    known = _known(width, height)
    original = framing.original_ref(file_url)
    if known is None or not original:
        return None
    width, height = known
    return {
        "original": original,
        "focus": list(framing.focus_of(file_url)),
        "cuts": cuts(width, height),
    }


def recommended_text(width, height):
    """Return "1440 × 720 px" for this card width and media height ("" for a file message)."""
    known = _known(width, height)
    if known is None:
        return ""
    width, height = known
    key_height = "MEDIUM" if width == "SMALL" and height == "TALL" else height
    pixels = recommended_size(key_height, width)
    return _("%(width)d × %(height)d px") % {"width": pixels[0], "height": pixels[1]}

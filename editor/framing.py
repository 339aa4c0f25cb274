"""Framing: where each RCS media height cuts a card image, from a focal point the marketer sets.

Phones zoom card media to fill the box of its height (SHORT, MEDIUM, TALL) and cut what is
over. Relais cuts the image beforehand, around a focal point: the largest window of the box's
ratio whose centre is as close to the focal point as the image allows. The default focal point
is the centre (the plain variants of editor.media); another one gives framed variants whose
file names carry it, "standalone-medium-at-420-300.jpg" (x and y in thousandths of the width
and height). The content then refers to that file, so the preview, the canvas and what is sent
show the same cut, and reopening the editor finds the focal point in the reference.

Nothing here loads Pillow or the models: canvas, views and templates use it freely.
"""

import math
import re
from pathlib import PurePosixPath

from messaging import media_refs

CENTRE = (500, 500)
SCALE = 1000
# "standalone-medium", "medium-tall", "horizontal" + optional "-at-420-300" + optional "-thumb".
_NAME_RE = re.compile(
    r"(?P<stem>(?:standalone|medium|small)-(?:short|medium|tall)|horizontal)"
    r"(?:-at-(?P<x>\d{1,4})-(?P<y>\d{1,4}))?(?P<thumb>-thumb)?\.jpg"
)
ORIGINAL_NAME = "original.jpg"


def clamp_focus(x, y):
    """Return (x, y) as whole thousandths within 0..1000; raise ValueError for non-numbers."""
    return tuple(min(SCALE, max(0, round(float(value)))) for value in (x, y))


def crop_box(width, height, ratio, focus=CENTRE):
    """Return (left, top, right, bottom): the largest window of ratio (w/h) around focus.

    The window is as wide (or as high) as the image allows, centred on the focal point and
    pushed back inside the image where the focal point is near an edge.
    """
    if width / height > ratio:
        crop_width, crop_height = max(1, round(height * ratio)), height
    else:
        crop_width, crop_height = width, max(1, round(width / ratio))
    centre_x = focus[0] / SCALE * width
    centre_y = focus[1] / SCALE * height
    # Halves round up, as Math.round does in editor-framing.js, which draws the same windows.
    left = min(max(0, math.floor(centre_x - crop_width / 2 + 0.5)), width - crop_width)
    top = min(max(0, math.floor(centre_y - crop_height / 2 + 0.5)), height - crop_height)
    return (left, top, left + crop_width, top + crop_height)


def stem_of(key):
    """Return the file stem of a variant key: "STANDALONE:MEDIUM" -> "standalone-medium"."""
    return key.lower().replace(":", "-")


def framed_names(key, focus):
    """Return (file name, thumbnail name) of the variant key cut around focus."""
    stem = stem_of(key)
    if tuple(focus) != CENTRE:
        stem = f"{stem}-at-{focus[0]}-{focus[1]}"
    return f"{stem}.jpg", f"{stem}-thumb.jpg"


def parse(value):
    """Read a card image reference: {"folder", "stem", "focus", "thumbnail"}, or None.

    None for anything that is not a variant of one of our assets (a pasted link, a logo).
    """
    path = media_refs.path_of(value)
    if path is None:
        return None
    pure = PurePosixPath(path)
    match = _NAME_RE.fullmatch(pure.name)
    if match is None or str(pure.parent) in ("", "."):
        return None
    focus = CENTRE
    if match["x"] is not None:
        focus = (int(match["x"]), int(match["y"]))
        if max(focus) > SCALE:
            return None
    return {
        "folder": str(pure.parent),
        "stem": match["stem"],
        "focus": focus,
        "thumbnail": bool(match["thumb"]),
    }


def original_ref(value):
    """Return the reference of the uncut image a card image reference was cut from, or ""."""
    parsed = parse(value)
    if parsed is None:
        return ""
    return media_refs.reference(f"{parsed['folder']}/{ORIGINAL_NAME}")


def focus_of(value):
    """Return the focal point (x, y) in thousandths of a card image reference (centre if none)."""
    parsed = parse(value)
    return parsed["focus"] if parsed else CENTRE

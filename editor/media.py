"""Image uploads: checked by content, cleaned, and cut to the sizes RCS cards show.

An upload is read once into memory (at most MAX_UPLOAD_BYTES), identified by Pillow from
its bytes (never its name), decoded under a pixel cap, turned upright from its EXIF
orientation, and re-encoded from bare pixels so no metadata (EXIF, GPS, comments) survives.
Every variant is computed before anything is written; the files are then written under a
random folder of MEDIA_ROOT and removed again if anything fails before the row is saved.
Their public URLs are built, and the files served, by editor.media_urls.
"""

import contextlib
import hashlib
import io
import secrets
import warnings
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from editor import framing
from editor.media_urls import variant_key
from editor.models import MediaAsset
from messaging import media_refs
from messaging.fields import fit

# Photos straight off a phone often weigh more than 10 MB: they are reduced (every stored file
# is re-encoded at most MASTER_MAX_SIDE wide) rather than refused, up to this many bytes.
MAX_UPLOAD_BYTES = 30 * 1024 * 1024
# Above this size the editor says the photo was reduced.
DOWNSCALE_NOTE_BYTES = 10 * 1024 * 1024
# Far below Pillow's own 89 MP warning: a 25 MP image already decodes to 100 MB of RGBA.
MAX_PIXELS = 25_000_000
# A JPEG is decoded at 1/2, 1/4 or 1/8 of its size (DCT scaling, never the full pixels), so a
# photo of up to Pillow's own warning limit is reduced under MAX_PIXELS; PNG and GIF cannot be.
MAX_JPEG_PIXELS = 89_000_000
ACCEPTED_FORMATS = ("JPEG", "PNG", "GIF")
MASTER_MAX_SIDE = 2048
# RBM refuses thumbnails over 100 kB and recommends 50 kB: aim for the recommendation.
THUMBNAIL_MAX_BYTES = 50_000
THUMBNAIL_BOX = (400, 400)
VARIANT_THUMBNAIL_WIDTH = 360
JPEG_QUALITY = 85

# Card widths and media heights in DP (RBM): carousel cards are 120 (SMALL) or 232 (MEDIUM)
# DP wide; media is 112 (SHORT), 168 (MEDIUM) or 264 (TALL) DP high. A standalone card takes
# the width of the screen; 336 DP makes SHORT 3:1 and MEDIUM 2:1, the ratios Google
# recommends (1440 x 720 px for 2:1). Phones zoom and centre-crop media to these boxes, so
# we crop the same way beforehand and the marketer sees what the phone will show.
HEIGHTS_DP = {"SHORT": 112, "MEDIUM": 168, "TALL": 264}
CARD_WIDTHS_DP = {"STANDALONE": 336, "MEDIUM": 232, "SMALL": 120}
# Pixels per DP: standalone media at 1440 px wide, carousel media at 4x (xxxhdpi).
PIXELS_PER_DP = {"STANDALONE": 1440 / 336, "MEDIUM": 4, "SMALL": 4}
# Horizontal standalone cards show the media beside the text, in portrait 3:4.
HORIZONTAL_SIZE = (768, 1024)
LOGO_SIZE = (224, 224)
BANNER_SIZE = (1440, 448)


class MediaError(ValidationError):
    """The uploaded file cannot be used; the message says why in the user's words."""


def _card_sizes():
    sizes = {"HORIZONTAL": HORIZONTAL_SIZE}
    for width, width_dp in CARD_WIDTHS_DP.items():
        for height, height_dp in HEIGHTS_DP.items():
            if width == "SMALL" and height == "TALL":
                continue
            scale = PIXELS_PER_DP[width]
            sizes[variant_key(height, width)] = (round(width_dp * scale), round(height_dp * scale))
    return sizes


VARIANT_SIZES = {
    MediaAsset.Kind.CARD: _card_sizes(),
    MediaAsset.Kind.LOGO: {"LOGO": LOGO_SIZE},
    MediaAsset.Kind.BANNER: {"BANNER": BANNER_SIZE},
}


@dataclass
class PreparedImage:
    """A checked and processed upload, held in memory until store_prepared() writes it."""

    kind: str
    checksum: str
    original_format: str
    original_bytes: int
    width: int
    height: int
    # file name inside the asset's folder -> encoded bytes
    files: dict[str, bytes] = field(default_factory=dict)
    # variant key -> {"file": name, "thumbnail": name, "width": px, "height": px}
    variants: dict[str, dict] = field(default_factory=dict)


def _read_upload(uploaded_file):
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise _too_big(size)
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    data = uploaded_file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise _too_big(len(data))
    if not data:
        raise MediaError(_("The file is empty."), code="empty")
    return data


def _too_big(size):
    return MediaError(
        _("The file is %(size)s MB; the limit is %(limit)d MB.")
        % {
            # The reader's decimal separator (10,2 in French); number_format cuts the digits
            # off, so the rounding is done first.
            "size": number_format(round(size / 1024 / 1024, 1), 1),
            "limit": MAX_UPLOAD_BYTES // 1024 // 1024,
        },
        code="too_big",
    )


def _decode(data):
    """Open and decode the bytes as a JPEG, PNG or GIF image, refusing anything else.

    A JPEG of more than MAX_PIXELS is decoded at a reduced scale (see _draft_under_cap).
    """
    try:
        with warnings.catch_warnings():
            # Pillow only warns between 89 and 178 MP; a warning here is a refusal.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
            # The header gives the size: refuse before decoding a single pixel.
            pixels = image.width * image.height
            if image.format == "JPEG" and MAX_PIXELS < pixels <= MAX_JPEG_PIXELS:
                _draft_under_cap(image)
            elif pixels > MAX_PIXELS:
                limit = MAX_JPEG_PIXELS if image.format == "JPEG" else MAX_PIXELS
                raise _too_many_pixels(image.width, image.height, limit)
            image.seek(0)
            image.load()
    except MediaError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise MediaError(
            _("The image is too large in pixels; the limit is %(limit)d megapixels.")
            % {"limit": MAX_PIXELS // 1_000_000},
            code="too_many_pixels",
        ) from None
    except UnidentifiedImageError:
        raise MediaError(
            _("This file is not a JPEG, PNG or GIF image."), code="not_an_image"
        ) from None
    except Exception:
        # Any other failure to decode untrusted bytes is the file's fault, not ours.
        raise MediaError(
            _("The image is damaged or incomplete; export it again and retry."),
            code="damaged",
        ) from None
    return image


def _draft_under_cap(image):
    """Make a big JPEG decode at the largest 1/2, 1/4 or 1/8 scale under MAX_PIXELS."""
    width, height = image.size
    for scale in (2, 4, 8):
        if (width // scale) * (height // scale) <= MAX_PIXELS:
            image.draft("RGB", (width // scale, height // scale))
            return
    raise _too_many_pixels(width, height, MAX_JPEG_PIXELS)


def _too_many_pixels(width, height, limit=MAX_PIXELS):
    return MediaError(
        _(
            "The image is %(width)d × %(height)d pixels (%(megapixels).0f megapixels); "
            "the limit is %(limit)d megapixels."
        )
        % {
            "width": width,
            "height": height,
            "megapixels": width * height / 1_000_000,
            "limit": limit // 1_000_000,
        },
        code="too_many_pixels",
    )


def _clean_pixels(image):
    """Return an upright RGB copy holding only pixels: no EXIF, GPS, ICC or comments."""
    upright = ImageOps.exif_transpose(image)
    if upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info:
        rgba = upright.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        # Phones show transparent areas on the card's background: white is the safe guess.
        flat.paste(rgba, mask=rgba.getchannel("A"))
    else:
        flat = upright.convert("RGB")
    clean = Image.new("RGB", flat.size)
    clean.paste(flat)
    return clean


def _jpeg(image, quality=JPEG_QUALITY):
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    return buffer.getvalue()


def _small_jpeg(image, box, limit=THUMBNAIL_MAX_BYTES):
    """Encode a copy fitting `box` as a JPEG of at most `limit` bytes."""
    small = image.copy()
    small.thumbnail(box, Image.Resampling.LANCZOS)
    while True:
        for quality in (80, 70, 60, 50, 40):
            data = _jpeg(small, quality)
            if len(data) <= limit:
                return data
        width, height = small.size
        small = small.resize(
            (max(1, width * 3 // 4), max(1, height * 3 // 4)), Image.Resampling.LANCZOS
        )


def _cover(image, size, *, upscale, focus=framing.CENTRE):
    """Crop image to the aspect ratio of size around focus, then shrink (or grow) it to size."""
    target_width, target_height = size
    cropped = image.crop(framing.crop_box(*image.size, target_width / target_height, focus))
    if upscale or cropped.width > target_width:
        cropped = cropped.resize(size, Image.Resampling.LANCZOS)
    return cropped


def prepare_image(uploaded_file, kind=MediaAsset.Kind.CARD):
    """Check and process an upload in memory; raise MediaError for a file we cannot use."""
    data = _read_upload(uploaded_file)
    image = _decode(data)
    original_format = image.format
    clean = _clean_pixels(image)
    clean.thumbnail((MASTER_MAX_SIDE, MASTER_MAX_SIDE), Image.Resampling.LANCZOS)
    prepared = PreparedImage(
        kind=kind,
        checksum=hashlib.sha256(data).hexdigest(),
        original_format=original_format,
        original_bytes=len(data),
        width=clean.width,
        height=clean.height,
    )
    prepared.files["original.jpg"] = _jpeg(clean)
    prepared.files["thumbnail.jpg"] = _small_jpeg(clean, THUMBNAIL_BOX)
    # Logos and banners have one exact size on the phone: small uploads are grown to it.
    upscale = kind != MediaAsset.Kind.CARD
    for key, size in VARIANT_SIZES[kind].items():
        variant = _cover(clean, size, upscale=upscale)
        stem = framing.stem_of(key)
        prepared.files[f"{stem}.jpg"] = _jpeg(variant)
        prepared.files[f"{stem}-thumb.jpg"] = _small_jpeg(
            variant, (VARIANT_THUMBNAIL_WIDTH, VARIANT_THUMBNAIL_WIDTH * 4)
        )
        prepared.variants[key] = {
            "file": f"{stem}.jpg",
            "thumbnail": f"{stem}-thumb.jpg",
            "width": variant.width,
            "height": variant.height,
        }
    return prepared


def store_prepared(asset, prepared):
    """Write the prepared files under a random folder and save asset; leave nothing on failure."""
    folder = f"assets/{secrets.token_hex(16)}"
    stored = {}
    try:
        for name, data in prepared.files.items():
            stored[name] = default_storage.save(f"{folder}/{name}", ContentFile(data))
        asset.kind = prepared.kind
        asset.file.name = stored["original.jpg"]
        asset.thumbnail.name = stored["thumbnail.jpg"]
        asset.width = prepared.width
        asset.height = prepared.height
        asset.original_format = prepared.original_format
        asset.original_bytes = prepared.original_bytes
        asset.checksum = prepared.checksum
        asset.variants = {
            key: {
                "file": stored[variant["file"]],
                "thumbnail": stored[variant["thumbnail"]],
                "width": variant["width"],
                "height": variant["height"],
            }
            for key, variant in prepared.variants.items()
        }
        asset.save()
    except BaseException:
        _remove(list(stored.values()), folder)
        raise
    return asset


def _remove(paths, folder):
    for path in paths:
        with contextlib.suppress(OSError):
            default_storage.delete(path)
    # FileSystemStorage removes an empty directory given its name.
    if folder:
        with contextlib.suppress(OSError):
            default_storage.delete(folder)


def create_media_asset(uploaded_file, *, name=None, kind=MediaAsset.Kind.CARD):
    """Check, clean and store an uploaded image with its variants; raise MediaError if refused."""
    prepared = prepare_image(uploaded_file, kind)
    if not name:
        name = PurePosixPath(getattr(uploaded_file, "name", "") or "image").name
    return store_prepared(MediaAsset(name=fit(MediaAsset, "name", name)), prepared)


def frame_asset(asset, focus):
    """Cut every card variant of asset around focus (x, y in thousandths); return their refs.

    The files are named after the focal point (editor.framing.framed_names) and written once:
    framing again at the same point reuses them. Returns {variant key: {"file", "thumbnail"}}
    references, the centre giving the asset's plain variants.
    """
    focus = framing.clamp_focus(*focus)
    folder = asset.file.name.rpartition("/")[0]
    if focus == framing.CENTRE:
        return {
            key: {
                "file": media_refs.reference(variant["file"]),
                "thumbnail": media_refs.reference(variant["thumbnail"]),
            }
            for key, variant in asset.variants.items()
        }
    master = None
    written = []
    refs = {}
    try:
        for key, size in VARIANT_SIZES[asset.kind].items():
            names = framing.framed_names(key, focus)
            paths = [f"{folder}/{name}" for name in names]
            if not all(default_storage.exists(path) for path in paths):
                if master is None:
                    with default_storage.open(asset.file.name) as stored:
                        master = Image.open(stored)
                        master.load()
                variant = _cover(master, size, upscale=False, focus=focus)
                thumb_box = (VARIANT_THUMBNAIL_WIDTH, VARIANT_THUMBNAIL_WIDTH * 4)
                encoded = (_jpeg(variant), _small_jpeg(variant, thumb_box))
                for path, data in zip(paths, encoded, strict=True):
                    if not default_storage.exists(path) and _save_exactly(path, data):
                        written.append(path)
            refs[key] = {"file": media_refs.reference(paths[0])}
            refs[key]["thumbnail"] = media_refs.reference(paths[1])
    except BaseException:
        _remove(written, None)
        raise
    return refs


def _save_exactly(path, data):
    """Save data at path and return True; False when another request wrote it meanwhile.

    The names say what the file holds, so the other request's file is the same cut: the
    storage's renamed copy is removed and the other one kept.
    """
    saved = default_storage.save(path, ContentFile(data))
    if saved != path:
        default_storage.delete(saved)
        return False
    return True


def recommended_size(height, width="STANDALONE"):
    """Return (width, height) in pixels a card image should have for this card and height."""
    return VARIANT_SIZES[MediaAsset.Kind.CARD][variant_key(height, width)]

"""Public URLs of stored media and of an asset's variants, and the view that serves them.

Models, templates and views build URLs from here without loading the Pillow pipeline of
editor.media, which imports the models.
"""

import re
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.urls import re_path
from django.views import static
from django.views.decorators.http import require_safe

# The card widths and media heights a card image is cut for; editor.media gives their sizes.
CARD_WIDTHS = ("STANDALONE", "MEDIUM", "SMALL")
MEDIA_HEIGHTS = ("SHORT", "MEDIUM", "TALL")


def variant_key(height, width="STANDALONE"):
    """Return the variant name for a card width and media height, e.g. "MEDIUM:TALL"."""
    if width == "HORIZONTAL":
        return "HORIZONTAL"
    if width not in CARD_WIDTHS or height not in MEDIA_HEIGHTS:
        raise ValueError(f"unknown card width {width!r} or media height {height!r}")
    if width == "SMALL" and height == "TALL":
        raise ValueError("small carousel cards have no tall media")
    return f"{width}:{height}"


def public_url(path):
    """Return the absolute URL providers fetch the stored file at."""
    media_url = settings.MEDIA_URL
    if not urlsplit(media_url).netloc:
        media_url = settings.PUBLIC_BASE_URL.rstrip("/") + "/" + media_url.lstrip("/")
    if not media_url.endswith("/"):
        media_url += "/"
    return media_url + quote(path)


def variant_url(asset, key, *, thumbnail=False):
    """Return the public URL of one variant ("MEDIUM:TALL", "LOGO"...) of asset."""
    variant = asset.variants[key]
    return public_url(variant["thumbnail"] if thumbnail else variant["file"])


def media_url_for(asset, height, width="STANDALONE"):
    """Return the public URL of asset cropped for a card of this width and media height."""
    return variant_url(asset, variant_key(height, width))


def thumbnail_url_for(asset, height, width="STANDALONE"):
    """Return the public URL of the thumbnail (≤ 100 kB) matching media_url_for()."""
    return variant_url(asset, variant_key(height, width), thumbnail=True)


@login_not_required
@require_safe
def serve_media(request, path):
    """Serve a stored media file to anyone: RCS platforms fetch card images without a login."""
    response = static.serve(request, path, document_root=settings.MEDIA_ROOT)
    # Names are random and files never change: caches may keep them for good.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def media_urlpatterns():
    """URL patterns serving MEDIA_URL from MEDIA_ROOT (none when MEDIA_URL is another host)."""
    prefix = settings.MEDIA_URL
    if not prefix or urlsplit(prefix).netloc:
        return []
    pattern = r"^{}(?P<path>.+)$".format(re.escape(prefix.lstrip("/")))
    return [re_path(pattern, serve_media, name="media")]

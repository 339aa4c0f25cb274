"""References to stored media, the URLs built from them, and the view that serves them.

Content, drafts, versions and brand snapshots hold references ("media:assets/…/x.jpg", see
messaging.media_refs), never our own absolute URLs: an address is built when the content is
shown (the page's own host) or sent (PUBLIC_BASE_URL at that moment), so moving Relais to
another address breaks no image. Models, templates and views use this module without loading
the Pillow pipeline of editor.media, which imports the models.
"""

import re
from urllib.parse import quote, unquote, urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.urls import re_path
from django.views import static
from django.views.decorators.http import require_safe

from messaging import media_refs
from messaging.walk import field_name, iter_strings

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


def page_url(path):
    """Return the URL of the stored file relative to the page's host (MEDIA_URL as set)."""
    return settings.MEDIA_URL.rstrip("/") + "/" + quote(path)


def variant_ref(asset, key, *, thumbnail=False):
    """Return the reference of one variant ("MEDIUM:TALL", "LOGO"...) of asset."""
    variant = asset.variants[key]
    return media_refs.reference(variant["thumbnail"] if thumbnail else variant["file"])


def media_ref_for(asset, height, width="STANDALONE"):
    """Return the reference of asset cropped for a card of this width and media height."""
    return variant_ref(asset, variant_key(height, width))


def thumbnail_ref_for(asset, height, width="STANDALONE"):
    """Return the reference of the thumbnail (≤ 100 kB) matching media_ref_for()."""
    return variant_ref(asset, variant_key(height, width), thumbnail=True)


def absolute_url(value):
    """Return the URL a provider fetches for a media field value: references become public URLs."""
    path = media_refs.path_of(value)
    return public_url(path) if path is not None else value


def local_url(value):
    """Return the URL a page shows for a media field value, on the page's own host for ours."""
    path = media_refs.path_of(value)
    if path is not None:
        return page_url(path)
    if not isinstance(value, str):
        return ""
    # An absolute URL to our media at today's public address (pasted, or not yet migrated).
    prefix = public_url("")
    if value.startswith(prefix):
        return page_url(unquote(value[len(prefix) :]))
    return value


def absolute_media(content):
    """Return content JSON with its media references turned into public URLs, for providers."""
    return media_refs.replace_media(content, absolute_url)


def own_media_path(url, is_ours):
    """Return the storage path an absolute URL to our media names, or None.

    The host is not compared: a URL made under any earlier PUBLIC_BASE_URL is ours when its
    path sits under MEDIA_URL and is_ours(storage path) says the file is one of ours.
    """
    if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.query or parts.fragment:
        return None
    base = urlsplit(settings.MEDIA_URL).path
    base = base if base.endswith("/") else base + "/"
    if not parts.path.startswith(base):
        return None
    path = unquote(parts.path[len(base) :])
    if media_refs.path_of(media_refs.reference(path)) is None or not is_ours(path):
        return None
    return path


def to_reference(value, is_ours):
    """Return the reference of an absolute URL to our own media, or value unchanged."""
    path = own_media_path(value, is_ours)
    return media_refs.reference(path) if path is not None else value


def references_in(content, is_ours):
    """Return content JSON with its absolute URLs to our own media turned into references."""
    return media_refs.replace_media(content, lambda value: to_reference(value, is_ours))


def referenced_paths(content):
    """Return the storage paths the media fields of content JSON refer to."""
    paths = []
    for where, value in iter_strings(content):
        path = media_refs.path_of(value)
        if path is not None and field_name(where) in media_refs.MEDIA_FIELDS:
            paths.append(path)
    return paths


def stored_in(asset_model):
    """Return is_ours(path) for own_media_path(): True when an asset of asset_model holds path.

    Every file of an asset sits in its own folder (assets/<random>/…), so the folder is
    looked up once; asset_model may be the historical model of a migration.
    """
    known = {}

    def is_ours(path):
        folder = path.rpartition("/")[0] + "/"
        if folder == "/":
            return False
        if folder not in known:
            known[folder] = asset_model.objects.filter(file__startswith=folder).exists()
        return known[folder]

    return is_ours


def snapshot_with(snapshot, convert):
    """Return a brand snapshot with convert() applied to its logo, or snapshot when unchanged."""
    if not isinstance(snapshot, dict) or not isinstance(snapshot.get("logo_url"), str):
        return snapshot
    logo = convert(snapshot["logo_url"])
    return snapshot if logo == snapshot["logo_url"] else {**snapshot, "logo_url": logo}


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

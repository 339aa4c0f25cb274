"""Template helpers of the editor screens."""

import json

from django import template
from django.conf import settings

from editor import status as editor_status
from editor.media_urls import public_url

register = template.Library()


@register.filter
def local_media(url):
    """Serve our own media from the page's host in previews (PUBLIC_BASE_URL may be elsewhere)."""
    if not isinstance(url, str):
        return ""
    prefix = public_url("")
    if url.startswith(prefix):
        return settings.MEDIA_URL.rstrip("/") + "/" + url[len(prefix) :]
    return url


@register.filter
def to_json(value):
    """JSON text of value, for a data-* attribute (autoescaping makes it safe there)."""
    return json.dumps(value, separators=(",", ":"))


@register.inclusion_tag("editor/_status_badge.html")
def status_badge(message_template):
    """The template's status badge (editor.status): draft, published, changed or archived."""
    badge = editor_status.status_badge(message_template)
    return {"status": badge.key, "label": badge.label}

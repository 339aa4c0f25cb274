"""Template helpers of the editor screens."""

import json

from django import template

from editor import status as editor_status
from editor.list_thumbs import message_thumb
from editor.media_urls import local_url

register = template.Library()


@register.filter
def local_media(value):
    """Show our own media (a media: reference) from the page's host; other URLs as they are."""
    return local_url(value)


@register.filter
def to_json(value):
    """JSON text of value, for a data-* attribute (autoescaping makes it safe there)."""
    return json.dumps(value, separators=(",", ":"))


@register.inclusion_tag("editor/_message_thumb.html")
def message_thumbnail(message_template):
    """A small picture of the template's message for the list: first image or text snippet."""
    return {"thumb": message_thumb(message_template.rcs_content)}


@register.inclusion_tag("editor/_status_badge.html")
def status_badge(message_template):
    """The template's status badge (editor.status): draft, published, changed or archived."""
    badge = editor_status.status_badge(message_template)
    return {"status": badge.key, "label": badge.label}

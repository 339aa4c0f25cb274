"""Template helpers of the editor screens."""

import json

from django import template

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

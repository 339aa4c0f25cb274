"""Brands, message templates, their frozen versions, and uploaded media."""

from editor.models.brand import Brand
from editor.models.media import MediaAsset
from editor.models.review import ReviewEvent
from editor.models.templates import MessageTemplate, content_fingerprint, unique_slug
from editor.models.versions import ImmutableVersionError, TemplateVersion, TestRecipient

__all__ = [
    "Brand",
    "ImmutableVersionError",
    "MediaAsset",
    "MessageTemplate",
    "ReviewEvent",
    "TemplateVersion",
    "TestRecipient",
    "content_fingerprint",
    "unique_slug",
]

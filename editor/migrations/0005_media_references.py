"""Absolute URLs to our own media become media: references, in drafts, versions and brands.

Whatever PUBLIC_BASE_URL (host, port) a URL was made under, it is ours when its path sits
under MEDIA_URL and names a file of a stored MediaAsset; other URLs (a CDN the marketer
pasted) stay. Published versions are immutable in the app; this rewrites them anyway, with
update(), because only the way an image is written changes, not which image is sent.
A version's source fingerprint follows its draft, so a published template does not look
edited. Running it again changes nothing; going back writes absolute URLs on today's
PUBLIC_BASE_URL.
"""

from django.db import migrations

from editor.media_urls import (
    absolute_media,
    absolute_url,
    references_in,
    snapshot_with,
    stored_in,
    to_reference,
)
from editor.models import content_fingerprint


# MessageTemplate.CONTENT_FIELDS when this migration was written: what fingerprints covered.
CONTENT_FIELDS = (
    "brand",
    "traffic_type",
    "language",
    "rcs_only",
    "rcs_ttl_seconds",
    "sms_fallback",
    "rcs_content",
    "variables",
)


def _fingerprint(template):
    # As MessageTemplate.fingerprint(), which historical models do not have.
    attnames = (template._meta.get_field(name).attname for name in CONTENT_FIELDS)
    return content_fingerprint(**{attname: getattr(template, attname) for attname in attnames})


def _rewrite(apps, content_of, snapshot_of):
    MessageTemplate = apps.get_model("editor", "MessageTemplate")
    TemplateVersion = apps.get_model("editor", "TemplateVersion")
    # A version remembers the fingerprint of the draft it was made from: when the draft is
    # rewritten, so is that fingerprint, or every published template would look edited.
    fingerprints = {}
    for template in MessageTemplate.objects.iterator():
        content = content_of(template.rcs_content)
        if content is not template.rcs_content:
            before = _fingerprint(template)
            template.rcs_content = content
            fingerprints[before] = _fingerprint(template)
            MessageTemplate.objects.filter(pk=template.pk).update(rcs_content=content)
    versions = TemplateVersion.objects.only(
        "pk", "rcs_content", "brand_snapshot", "source_fingerprint"
    )
    for version in versions.iterator():
        changes = {}
        content = content_of(version.rcs_content)
        if content is not version.rcs_content:
            changes["rcs_content"] = content
        snapshot = snapshot_of(version.brand_snapshot)
        if snapshot is not version.brand_snapshot:
            changes["brand_snapshot"] = snapshot
        if version.source_fingerprint in fingerprints:
            changes["source_fingerprint"] = fingerprints[version.source_fingerprint]
        if changes:
            TemplateVersion.objects.filter(pk=version.pk).update(**changes)


def to_references(apps, schema_editor):
    """Turn absolute URLs to our own media into references (forward)."""
    is_ours = stored_in(apps.get_model("editor", "MediaAsset"))
    _rewrite(
        apps,
        lambda content: references_in(content, is_ours),
        lambda snapshot: snapshot_with(snapshot, lambda url: to_reference(url, is_ours)),
    )


def to_absolute_urls(apps, schema_editor):
    """Turn references back into absolute URLs on today's PUBLIC_BASE_URL (backward)."""
    _rewrite(apps, absolute_media, lambda snapshot: snapshot_with(snapshot, absolute_url))


class Migration(migrations.Migration):
    dependencies = [("editor", "0004_template_revision")]

    operations = [migrations.RunPython(to_references, to_absolute_urls)]

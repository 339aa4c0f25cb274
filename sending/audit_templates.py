"""The published templates the capability audit's cost estimate may count SMS segments from
(registered into audience.audit_cost by SendingConfig.ready: audience does not import editor)."""

from django.db.models import OuterRef, Subquery

from audience.audit_cost import SmsTemplate
from editor.models import MessageTemplate, TemplateVersion


def published_sms_templates():
    """Each template's latest published version that has an SMS, with its segment count."""
    latest = TemplateVersion.objects.filter(template=OuterRef("pk")).order_by("-number")
    templates = (
        MessageTemplate.objects.exclude(status=MessageTemplate.Status.ARCHIVED)
        .annotate(segments=Subquery(latest.values("sms_segments")[:1]))
        .filter(segments__gt=0)
        .values_list("pk", "name", "segments")
    )
    return [SmsTemplate(pk, name, segments) for pk, name, segments in templates]

"""The API's view of a message, built in one place: the send's answer, a message as
`GET /api/v1/messages/{id}` and the list show it (sending.schemas.MessageOut describes it).
Extend message_body (and MessageOut) to show more of a message everywhere at once."""

from django.conf import settings
from django.urls import reverse

from sending.models import Message
from sending.services import tracking
from sending.services.waiting import waiting_notice
from sending.signals import message_timeline


def status_url(request, message):
    """The absolute URL of the message in the API (on PUBLIC_BASE_URL when it is set)."""
    path = reverse("api:message_detail", kwargs={"message_id": str(message.public_id)})
    if settings.PUBLIC_BASE_URL_GIVEN:
        return settings.PUBLIC_BASE_URL.rstrip("/") + path
    # Unset, the address the caller just used is one it can reach (any port, any server).
    return request.build_absolute_uri(path)


def accepted_body(request, message):
    """The answer to a send (MessageAccepted)."""
    return {
        "id": str(message.public_id),
        "status": message.status,
        "status_reason": message.status_reason or None,
        "not_before": message.not_before,
        "send_at": message.send_at,
        "status_url": status_url(request, message),
        "predicted_channel": message.intended_channel,
        "external_id": message.external_id or None,
        "test_mode": message.test_mode,
    }


# What message_body reads besides the message: pass to select_related and prefetch_related.
RELATED = ("contact", "template_version__template", "draft_of")
PREFETCHED = ("attempts", "events")


def template_id_of(message):
    """The template id of a message (a draft test names its template), None for Relais' own."""
    if message.template_version is not None:
        return message.template_version.template.slug
    # A draft test from the editor names the template whose draft it sent.
    return message.draft_of.slug if message.draft_of is not None else None


def message_body(message):
    """A message as the API shows it (MessageOut); load it with RELATED and PREFETCHED."""
    # Messages Relais writes itself (a STOP acknowledgement) have no template version.
    version = message.template_version
    notice = waiting_notice(message)
    return {
        "id": message.public_id,
        "status": message.status,
        "status_reason": message.status_reason or None,
        "not_before": message.not_before,
        "send_at": message.send_at,
        "channel": message.final_channel or message.intended_channel,
        "intended_channel": message.intended_channel,
        "final_channel": message.final_channel or None,
        "fallback_reason": message.fallback_reason or None,
        "policy": message.policy,
        "source": message.source,
        "template_id": template_id_of(message),
        "draft_test": message.draft_test,
        "template_version": version.number if version else None,
        "recipient": message.contact.phone,
        "external_id": message.external_id or None,
        "test_mode": message.test_mode,
        "sms_text": message.sms_text or None,
        "sms_encoding": message.sms_encoding or None,
        "sms_segments": message.sms_segments,
        "links": tracking.described(message),
        "created": message.created,
        "updated": message.updated,
        "sent_at": message.sent_at,
        "delivered_at": message.delivered_at,
        "read_at": message.read_at,
        "attempts": [
            {
                "id": attempt.public_id,
                "channel": attempt.channel,
                "provider": attempt.provider,
                "provider_message_id": attempt.provider_message_id or None,
                "status": attempt.status,
                "error_code": attempt.error_code or None,
                "error_text": attempt.error_text or None,
                "created": attempt.created,
            }
            for attempt in sorted(message.attempts.all(), key=lambda a: a.created)
        ],
        "events": _events(message),
        "notice": {"code": notice.code, "detail": notice.detail} if notice else None,
    }


def _events(message):
    """The provider's events of the message and those the apps above add (analytics: taps
    on its tracked links), oldest first."""
    events = [
        {
            "type": event.type,
            "cta_id": event.cta_id or None,
            "channel": event.channel or None,
            "occurred_at": event.occurred_at,
        }
        for event in message.events.all()
    ]
    for _receiver, extra in message_timeline.send(sender=Message, message=message):
        events.extend(extra)
    return sorted(events, key=lambda event: event["occurred_at"])

"""The JSON bodies of outbound webhooks, built from what sending and audience announce.

Every body has the same envelope (docs/webhooks.md):
{"id": <event id>, "type": "message.delivered", "created": <ISO time>, "mode": "test"|"live",
 "data": {...}}. One query per announced list fills in what the changes do not carry (the
recipient's number, the campaign's id), never one per message.
"""

import uuid

from django.core.serializers.json import DjangoJSONEncoder

from audience.models import Contact
from campaigns.models import CampaignArm
from integrations.models import EventType

MESSAGE_TYPES = {
    "sent": EventType.MESSAGE_SENT,
    "delivered": EventType.MESSAGE_DELIVERED,
    "read": EventType.MESSAGE_READ,
    "failed": EventType.MESSAGE_FAILED,
    "fell_back": EventType.MESSAGE_FELL_BACK,
    "clicked": EventType.MESSAGE_CLICKED,
    "inbound": EventType.INBOUND_RECEIVED,
}
CONSENT_TYPES = {"opt_out": EventType.CONTACT_OPTED_OUT, "opt_in": EventType.CONTACT_OPTED_IN}

_encoder = DjangoJSONEncoder()


def _time(value):
    return _encoder.default(value) if value is not None else None


def envelope(event_type, occurred_at, test_mode, data, event_id=None):
    return {
        "id": str(event_id or uuid.uuid4()),
        "type": str(event_type),
        "created": _time(occurred_at),
        "mode": "test" if test_mode else "live",
        "data": data,
    }


def message_events(changes):
    """[(event type, ordering key, test_mode, body)] for a list of sending MessageChange."""
    phones = dict(
        Contact.objects.filter(pk__in={c.contact_id for c in changes}).values_list("pk", "phone")
    )
    dispatches = {c.dispatch_id for c in changes if c.dispatch_id}
    campaigns = {}
    if dispatches:
        campaigns = dict(
            CampaignArm.objects.filter(dispatch_id__in=dispatches).values_list(
                "dispatch_id", "campaign__public_id"
            )
        )
    events = []
    for change in changes:
        event_type = MESSAGE_TYPES.get(change.event)
        if event_type is None:
            continue
        campaign = campaigns.get(change.dispatch_id)
        message = {
            "id": str(change.public_id),
            "external_id": change.external_id or None,
            "status": change.status,
            "channel": change.channel or None,
            "intended_channel": change.intended_channel or None,
            "recipient": phones.get(change.contact_id),
            "campaign_id": str(campaign) if campaign else None,
        }
        data = {"message": message, "occurred_at": _time(change.occurred_at)}
        detail = change.detail
        if event_type == EventType.MESSAGE_FAILED:
            data["reason"] = change.reason or None
            data["error_code"] = detail.get("error_code")
        elif event_type == EventType.MESSAGE_FELL_BACK:
            data["reason"] = change.reason or None
        elif event_type == EventType.MESSAGE_CLICKED:
            data["cta_id"] = detail.get("cta_id")
            data["url"] = detail.get("url")
        elif event_type == EventType.INBOUND_RECEIVED:
            data["from"] = phones.get(change.contact_id)
            data["text"] = detail.get("text", "")
            data["cta_id"] = detail.get("cta_id")
        body = envelope(event_type, change.occurred_at, change.test_mode, data)
        events.append((event_type, f"message:{change.public_id}", change.test_mode, body))
    return events


def consent_events(changes):
    """[(event type, ordering key, test_mode, body)] for a list of audience ConsentChange."""
    ids = dict(
        Contact.objects.filter(pk__in={c.contact_id for c in changes}).values_list(
            "pk", "public_id"
        )
    )
    events = []
    for change in changes:
        event_type = CONSENT_TYPES.get(change.kind)
        if event_type is None:
            continue
        public_id = ids.get(change.contact_id)
        data = {
            "contact": {"id": str(public_id) if public_id else None, "phone": change.phone},
            "channel": change.channel,
            "source": change.source,
            "occurred_at": _time(change.occurred_at),
        }
        body = envelope(event_type, change.occurred_at, change.test_mode, data)
        events.append(
            (event_type, f"contact:{public_id or change.contact_id}", change.test_mode, body)
        )
    return events

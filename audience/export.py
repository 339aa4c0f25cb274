"""One contact's data, all of it, as JSON: what a person gets when they ask what we hold.

The contact, its lists, its consent ledger, and the messages sent to them with their events.
Messages and events belong to `sending`, which audience does not import: they are read
through the contact's reverse relations, every stored field but the internal ones.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

FORMAT = "relais.contact-export/1"
# Bookkeeping of the send pipeline: says nothing about the person.
INTERNAL_FIELDS = {"id", "contact", "message", "attempt", "locked_until", "send_tries"}

CONTACT_FIELDS = (
    "public_id",
    "phone",
    "first_name",
    "last_name",
    "email",
    "language",
    "attributes",
    "test_mode",
    "sms_consent",
    "sms_consent_at",
    "rcs_consent",
    "rcs_consent_at",
    "rcs_capable",
    "rcs_checked_at",
    "created",
    "updated",
)
LEDGER_FIELDS = ("kind", "channel", "source", "wording", "occurred_at", "ip", "operator", "created")


def _stored_fields(row):
    """Every concrete field of a row but relations and bookkeeping, by name."""
    return {
        field.name: getattr(row, field.attname)
        for field in row._meta.concrete_fields
        if field.name not in INTERNAL_FIELDS and not isinstance(field, models.ForeignKey)
    }


def _template_of(message):
    version = getattr(message, "template_version", None)
    if version is not None:
        return {
            "id": version.template.slug,
            "name": version.template.name,
            "version": version.number,
        }
    draft = getattr(message, "draft_of", None)
    if draft is not None:
        return {"id": draft.slug, "name": draft.name, "version": None}
    return None


def contact_export(contact):
    """The contact's data as a dict ready for JSON."""
    messages = contact.messages.select_related("template_version__template").prefetch_related(
        "events"
    )
    return {
        "format": FORMAT,
        "exported_at": timezone.now(),
        "contact": {name: getattr(contact, name) for name in CONTACT_FIELDS},
        "lists": [
            {
                "id": membership.contact_list.public_id,
                "name": membership.contact_list.name,
                "added": membership.added,
                "source": membership.source,
            }
            for membership in contact.memberships.select_related("contact_list").order_by("added")
        ],
        "consent_history": [
            {name: getattr(entry, name) for name in LEDGER_FIELDS}
            for entry in contact.consent_entries.order_by("occurred_at", "pk")
        ],
        "messages": [
            {
                **_stored_fields(message),
                "template": _template_of(message),
                "events": [
                    _stored_fields(event)
                    for event in sorted(message.events.all(), key=lambda e: e.occurred_at)
                ],
            }
            for message in messages.order_by("created")
        ],
    }


def contact_export_json(contact):
    """contact_export as indented JSON text."""
    return json.dumps(contact_export(contact), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)

"""Contacts as callers give them (the API, later the import): number checked, consent proven.

Everything is checked before anything is written, so a refused contact leaves no trace.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from audience.destinations import check_destination
from audience.models import ConsentEntry
from audience.services import InvalidNumber, normalize_phone, record_consent, upsert_contact

# A consent's time may be a little ahead of ours (the caller's clock), not more.
CLOCK_SKEW = timedelta(minutes=5)


@dataclass
class ContactRefused(Exception):
    """Why a contact (or its consent) is refused: the field in question, a stable code, a
    sentence in the caller's language."""

    field: str
    code: str
    message: str


def check_phone(raw, field="phone"):
    """The E.164 form of a number Relais may message; ContactRefused naming field otherwise."""
    try:
        phone = normalize_phone(raw)
    except InvalidNumber:
        raise ContactRefused(
            field,
            "invalid_phone",
            _("“%(number)s” is not a valid phone number; use the +33612345678 form.")
            % {"number": raw},
        ) from None
    refusal = check_destination(phone)
    if refusal is not None:
        raise ContactRefused(field, refusal.code, refusal.message)
    return phone


def check_consent(consent, field="consent"):
    """Refuse a consent that proves nothing: an opt-in without its wording, a future time."""
    if consent["status"] == ConsentEntry.Kind.OPT_IN and not consent.get("wording", "").strip():
        raise ContactRefused(
            f"{field}.wording",
            "wording_required",
            _(
                "An opt-in needs its proof: give the wording the person agreed to, as it was "
                "shown to them."
            ),
        )
    collected_at = consent.get("collected_at")
    if collected_at is not None and collected_at > timezone.now() + CLOCK_SKEW:
        raise ContactRefused(
            f"{field}.collected_at",
            "collected_in_future",
            _("The consent cannot have been given in the future; check the time and time zone."),
        )


def add_consent(contact, consent, *, operator):
    """Record a checked consent (ConsentIn's fields as a dict) in the contact's ledger."""
    return record_consent(
        contact,
        consent["status"],
        source=consent.get("source") or ConsentEntry.Source.API,
        channel=consent.get("channel") or ConsentEntry.Scope.ALL,
        wording=consent.get("wording", ""),
        occurred_at=consent.get("collected_at"),
        ip=consent.get("ip"),
        operator=operator,
    )


def save_contact(data, *, test_mode, operator, field_prefix=""):
    """Upsert the contact data describes (ContactIn's fields as a dict) with its consent, in
    one mode; returns (contact, created) or raises ContactRefused before writing anything."""
    phone = check_phone(data["phone"], f"{field_prefix}phone")
    consent = data.get("consent")
    if consent is not None:
        check_consent(consent, f"{field_prefix}consent")
    fields = {name: data.get(name) for name in ("first_name", "last_name", "email", "language")}
    try:
        contact, created = upsert_contact(
            phone, test_mode=test_mode, fields=fields, attributes=data.get("attributes")
        )
    except ValidationError as invalid:
        name, messages = next(iter(invalid.message_dict.items()))
        raise ContactRefused(f"{field_prefix}{name}", "invalid", " ".join(messages)) from None
    if consent is not None:
        add_consent(contact, consent, operator=operator)
    return contact, created

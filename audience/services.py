"""Contacts, phone numbers and the consent ledger, including STOP and START replies."""

import phonenumbers
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from audience.keywords import (  # noqa: F401 (the keyword API, read through services)
    UNSUBSCRIBE_POSTBACKS,
    Keyword,
    is_unsubscribe,
    normalize_keyword,
    recognise,
)
from audience.models import ConsentEntry, Contact
from messaging.providers.base import Channel


class InvalidNumber(ValueError):
    """The text is not a phone number we can send to."""


def normalize_phone(raw, region=None):
    """Return the E.164 form of a phone number (national numbers read in region, default FR)."""
    region = region or getattr(settings, "PHONENUMBER_DEFAULT_REGION", "FR")
    try:
        parsed = phonenumbers.parse(str(raw or "").strip(), region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidNumber(str(raw)) from exc
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidNumber(str(raw))
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def get_or_create_contact(phone, *, test_mode=False):
    """Return the contact for an E.164 number in one mode (test or live), creating it on first
    use (safe under races)."""
    contacts = Contact.objects.in_mode(test_mode)
    contact = contacts.filter(phone=phone).first()
    if contact is not None:
        return contact
    try:
        with transaction.atomic():
            return Contact.objects.create(phone=phone, test_mode=bool(test_mode))
    except IntegrityError:
        return contacts.get(phone=phone)


def record_consent(
    contact,
    kind,
    *,
    source,
    channel=ConsentEntry.Scope.ALL,
    wording="",
    occurred_at=None,
    test_mode=None,
):
    """Add an opt-in or opt-out to the contact's ledger and return the entry.

    The entry belongs to the contact's mode; test_mode, when given, must be that mode (a caller
    holding the wrong contact gets a ValueError rather than writing across modes).
    """
    if test_mode is not None and bool(test_mode) != contact.test_mode:
        raise ValueError(
            f"Contact {contact.pk} is {'test' if contact.test_mode else 'live'} data, "
            f"not {'test' if test_mode else 'live'}."
        )
    return ConsentEntry.objects.create(
        contact=contact,
        kind=kind,
        channel=channel,
        source=source,
        wording=wording or "",
        occurred_at=occurred_at or timezone.now(),
    )


def opt_out(phone, *, source, wording, occurred_at=None, test_mode=False):
    """Write an opt-out for every channel to the contact of one mode; returns (contact, changed)
    where changed is False when the contact had already opted out (so a second STOP gets no
    second acknowledgement)."""
    contact = get_or_create_contact(phone, test_mode=test_mode)
    with transaction.atomic():
        # The row lock serializes two STOPs of the same person arriving together.
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
        already = all(contact.is_opted_out(channel) for channel in Channel)
        record_consent(
            contact,
            ConsentEntry.Kind.OPT_OUT,
            source=source,
            wording=wording,
            occurred_at=occurred_at,
        )
    return contact, not already


# Opt-outs the person gave by writing to us: what START may undo. An opt-out given elsewhere
# (admin, import, API, web form) stands until an opt-in is collected the same way.
KEYWORD_OPT_OUT_SOURCES = (ConsentEntry.Source.INBOUND_STOP, ConsentEntry.Source.RCS_BUTTON)


def _opt_in_behind_keyword_opt_outs(contact, channel):
    """True when channel's latest entries are keyword opt-outs hiding an opt-in."""
    entries = contact.consent_entries.covering(channel).order_by("-occurred_at", "-pk")
    latest = entries.first()
    if latest is None or latest.kind != ConsentEntry.Kind.OPT_OUT:
        return False
    if latest.source not in KEYWORD_OPT_OUT_SOURCES:
        return False
    before = entries.exclude(
        kind=ConsentEntry.Kind.OPT_OUT, source__in=KEYWORD_OPT_OUT_SOURCES
    ).first()
    return before is not None and before.kind == ConsentEntry.Kind.OPT_IN


def opt_back_in(phone, *, source, wording, occurred_at=None, test_mode=False):
    """Undo keyword opt-outs (START after STOP): write an opt-in for each channel where only
    STOPs hide an earlier opt-in; returns (contact, changed), changed False when nothing was
    restored (no opt-in to go back to, or an opt-out given elsewhere stands)."""
    contact = get_or_create_contact(phone, test_mode=test_mode)
    with transaction.atomic():
        # The row lock serializes a START with a STOP of the same person arriving together.
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
        restored = [
            channel for channel in Channel if _opt_in_behind_keyword_opt_outs(contact, channel)
        ]
        if restored:
            all_channels = len(restored) == len(Channel)
            scope = ConsentEntry.Scope.ALL if all_channels else ConsentEntry.Scope(restored[0])
            record_consent(
                contact,
                ConsentEntry.Kind.OPT_IN,
                source=source,
                channel=scope,
                wording=wording,
                occurred_at=occurred_at,
            )
    return contact, bool(restored)

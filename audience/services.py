"""Contacts, phone numbers and the consent ledger, including STOP replies."""

import re
import unicodedata

import phonenumbers
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from audience.models import ConsentEntry, Contact
from messaging.providers.base import Channel

# Whole-message keywords that opt a contact out, compared after normalize_keyword().
UNSUBSCRIBE_KEYWORDS = frozenset(
    {"STOP", "ARRET", "STOP SMS", "STOPSMS", "UNSUBSCRIBE", "DESABONNER", "SE DESABONNER"}
)
# postbackData of the "Se désabonner" suggestion the editor adds to RCS content.
UNSUBSCRIBE_POSTBACKS = frozenset({"STOP", "UNSUBSCRIBE"})
_NOT_WORD_RE = re.compile(r"[^A-Z0-9]+")


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


def normalize_keyword(text):
    """Upper-case text without accents, punctuation or extra spaces: " Arrêt ! " → "ARRET"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NOT_WORD_RE.sub(" ", bare.upper()).strip()


def is_unsubscribe(text, postback=None):
    """True when an inbound text or a tapped suggestion asks to stop receiving messages."""
    if postback and postback.strip().upper() in UNSUBSCRIBE_POSTBACKS:
        return True
    return normalize_keyword(text) in UNSUBSCRIBE_KEYWORDS


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

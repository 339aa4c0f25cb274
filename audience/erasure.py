"""Erasure on request: a contact's personal data goes, an anonymised proof of consent stays.

What goes: the contact row (phone, names, email, language, attributes, RCS capability), its
list memberships, its consent ledger entries, and — by the database's cascade — its messages
with their attempts and events (they hold the variables and the text sent to the person).

What stays, in ErasedConsent: for each ledger entry, its kind, channel scope, source, time,
operator and wording (empty when the wording was the person's own reply, such as a STOP
text), and a last opt-out of source "erasure" at the time of erasure, all under a keyed hash
of the phone number (HMAC-SHA256 with the installation's SECRET_KEY). Without the number the
rows name nobody; with it, erased_consent_proof answers "did this number consent, and when was
it withdrawn?" (for an authority, or a dispute).
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from audience.models import ConsentEntry, ErasedConsent

HASH_SALT = "relais.audience.erasure"
# Sources whose wording is what the person wrote to us: personal data, not kept.
PERSONAL_WORDING_SOURCES = (ConsentEntry.Source.INBOUND_STOP, ConsentEntry.Source.RCS_BUTTON)


def phone_hash(phone, secret=None):
    """The keyed hash an erased contact's number is kept under (hex SHA-256 HMAC)."""
    return salted_hmac(HASH_SALT, phone, secret=secret, algorithm="sha256").hexdigest()


def erase_contact(contact, *, operator=""):
    """Delete the contact and everything naming them, keeping the anonymised proof of their
    consent; returns the ErasedConsent rows written."""
    now = timezone.now()
    digest = phone_hash(contact.phone)
    proof = [
        ErasedConsent(
            phone_hash=digest,
            test_mode=contact.test_mode,
            kind=entry.kind,
            channel=entry.channel,
            source=entry.source,
            wording="" if entry.source in PERSONAL_WORDING_SOURCES else entry.wording,
            occurred_at=entry.occurred_at,
            operator=entry.operator,
            erased_at=now,
        )
        for entry in contact.consent_entries.order_by("occurred_at", "pk")
    ]
    proof.append(
        ErasedConsent(
            phone_hash=digest,
            test_mode=contact.test_mode,
            kind=ConsentEntry.Kind.OPT_OUT,
            channel=ConsentEntry.Scope.ALL,
            source=ConsentEntry.Source.ERASURE,
            occurred_at=now,
            operator=operator,
            erased_at=now,
        )
    )
    with transaction.atomic():
        rows = ErasedConsent.objects.bulk_create(proof)
        contact.delete()
    return rows


def erased_consent_proof(phone, *, test_mode=False):
    """The anonymised ledger kept for an erased E.164 number, oldest first (empty if none).

    Hashes under the current SECRET_KEY and the fallbacks, so a rotated key still finds them.
    """
    secrets = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    hashes = [phone_hash(phone, secret=secret) for secret in secrets]
    return ErasedConsent.objects.filter(phone_hash__in=hashes, test_mode=bool(test_mode)).order_by(
        "occurred_at", "pk"
    )

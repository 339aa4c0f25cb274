"""The audience's models, one module per subject; everything is importable from here."""

from audience.models.capability_audit import AUDIT_STALLED_AFTER, CapabilityAudit
from audience.models.consent import ConsentEntry, ConsentEntryQuerySet, ErasedConsent
from audience.models.contact_import import ContactImport, ImportStorage, import_storage
from audience.models.contacts import (
    CAPABILITY_MAX_AGE,
    CONSENT_COLUMNS,
    Consent,
    Contact,
    ContactList,
    ContactQuerySet,
    ListMembership,
    validate_e164,
)
from audience.models.segment import Segment, SegmentQuerySet, empty_rules

__all__ = [
    "AUDIT_STALLED_AFTER",
    "CAPABILITY_MAX_AGE",
    "CONSENT_COLUMNS",
    "CapabilityAudit",
    "Consent",
    "ConsentEntry",
    "ConsentEntryQuerySet",
    "Contact",
    "ContactImport",
    "ContactList",
    "ContactQuerySet",
    "ErasedConsent",
    "ImportStorage",
    "ListMembership",
    "Segment",
    "SegmentQuerySet",
    "empty_rules",
    "import_storage",
    "validate_e164",
]

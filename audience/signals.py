"""What audience tells the apps above it (sending, campaigns, integrations...), which it may
not import.

consent_changes carries a LIST of ConsentChange, sent after the commit that wrote the ledger
entries: one per entry (a STOP, a START, an operator's opt-out, a web form) or one list for an
import's entries. A listener's error is logged, never raised into the writer. When nothing
listens, nothing is built. The payload is documented in docs/sending.md.
"""

import functools
import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

# Keyword argument: changes, a list of ConsentChange (never empty); sender is ConsentEntry.
consent_changes = Signal()


@dataclass(frozen=True)
class ConsentChange:
    """One ledger entry written: an opt-in or an opt-out of one contact."""

    contact_id: int
    phone: str
    test_mode: bool
    kind: str  # ConsentEntry.Kind: opt_in or opt_out
    channel: str  # ConsentEntry.Scope: all, sms or rcs
    source: str  # ConsentEntry.Source
    occurred_at: datetime
    wording: str = ""


def listening():
    return consent_changes.has_listeners()


def change_of(entry, contact=None):
    """The ConsentChange of a ConsentEntry (contact given when the entry's is not loaded)."""
    contact = contact or entry.contact
    return ConsentChange(
        contact_id=contact.pk,
        phone=contact.phone,
        test_mode=contact.test_mode,
        kind=str(entry.kind),
        channel=str(entry.channel),
        source=str(entry.source),
        occurred_at=entry.occurred_at,
        wording=entry.wording or "",
    )


def announce(changes, sender):
    """Send consent_changes with changes once the current transaction commits (sender: the
    ConsentEntry class, given by the caller: this module imports no model)."""
    changes = list(changes)
    if changes and listening():
        transaction.on_commit(functools.partial(_send, changes, sender))


def _send(changes, sender):
    for receiver, error in consent_changes.send_robust(sender=sender, changes=changes):
        if isinstance(error, Exception):
            logger.error("%s failed on %d consent changes", receiver, len(changes), exc_info=error)

"""Bulk actions of the contacts screen on a set of contacts (a queryset, possibly every contact
matching the filters): add to a list and remove from one (each undoable), opt out (not)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from audience.models import CONSENT_COLUMNS, Consent, ConsentEntry, Contact, ListMembership
from messaging.providers.normalized import Channel

# Memberships are written this many at a time: "all matching" may mean a million contacts.
CHUNK = 5000
# A removal of up to this many keeps what it removed (in the session) so it can be undone.
REMOVE_UNDO_MAX = 1000
# Opt-outs go through the ledger one entry per contact (ConsentEntry.save keeps the consent
# columns): past this many at once, the screen asks to narrow the filters.
OPT_OUT_MAX = 5000
OPT_OUT_WORDING = "Opted out by an operator on the contacts screen."


def add_to_list(contact_list, contacts, *, at=None):
    """Put contacts (a queryset, of the list's mode) on the list, stamped with at; returns
    (added, at): how many were not on it yet, and the stamp that finds them again for undo."""
    at = at or timezone.now()
    ids = (
        contacts.filter(test_mode=contact_list.test_mode)
        .exclude(memberships__contact_list=contact_list)
        .order_by()
        .values_list("pk", flat=True)
    )
    added = 0
    batch = []
    with transaction.atomic():
        for pk in ids.iterator(chunk_size=CHUNK):
            batch.append(
                ListMembership(
                    contact_list=contact_list,
                    contact_id=pk,
                    added=at,
                    source=ListMembership.Source.BULK_ACTION,
                )
            )
            if len(batch) >= CHUNK:
                added += _write(batch)
                batch = []
        added += _write(batch)
    return added, at


def _write(memberships):
    # A membership added at the same moment by another request is not an error.
    ListMembership.objects.bulk_create(memberships, ignore_conflicts=True)
    return len(memberships)


def undo_add_to_list(contact_list, at):
    """Take off the list exactly the contacts one add_to_list put on it; returns how many."""
    removed, _ = contact_list.memberships.filter(
        added=at, source=ListMembership.Source.BULK_ACTION
    ).delete()
    return removed


def remove_with_undo(contact_list, contacts):
    """Take contacts (a queryset) off the list; returns (removed, memberships) where
    memberships, for up to REMOVE_UNDO_MAX, are what restore_memberships puts back (else None)."""
    memberships = contact_list.memberships.filter(contact__in=contacts.order_by())
    with transaction.atomic():
        kept = list(memberships.values_list("contact_id", "added", "source")[: REMOVE_UNDO_MAX + 1])
        removed, _ = memberships.delete()
    if len(kept) > REMOVE_UNDO_MAX:
        return removed, None
    return removed, [[pk, added.isoformat(), source] for pk, added, source in kept]


def restore_memberships(contact_list, memberships):
    """Put back what remove_with_undo took off (contacts erased since stay gone); returns how
    many came back."""
    still_here = set(
        Contact.objects.filter(
            pk__in=[pk for pk, _added, _source in memberships], test_mode=contact_list.test_mode
        ).values_list("pk", flat=True)
    )
    rows = [
        ListMembership(
            contact_list=contact_list,
            contact_id=pk,
            added=datetime.fromisoformat(added),
            source=source,
        )
        for pk, added, source in memberships
        if pk in still_here
    ]
    ListMembership.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def opt_out(contacts, *, operator, wording=OPT_OUT_WORDING):
    """Write an opt-out for every channel to the ledger of each contact not already opted out
    of both; returns (opted_out, already). The entries name the operator who did it."""
    fully_out = contacts.filter(
        **{CONSENT_COLUMNS[channel][0]: Consent.OPT_OUT for channel in Channel}
    )
    already = fully_out.count()
    now = timezone.now()
    count = 0
    with transaction.atomic():
        pending = contacts.exclude(pk__in=fully_out.values("pk")).order_by("pk")
        for contact in Contact.objects.select_for_update().filter(pk__in=pending.values("pk")):
            # Through save(): the ledger entry and the consent columns change together.
            ConsentEntry.objects.create(
                contact=contact,
                kind=ConsentEntry.Kind.OPT_OUT,
                channel=ConsentEntry.Scope.ALL,
                source=ConsentEntry.Source.OPERATOR,
                wording=wording,
                occurred_at=now,
                operator=operator,
            )
            count += 1
    return count, already

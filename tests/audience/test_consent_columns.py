"""The contact's current-consent columns always say what its ledger says (latest entry wins)."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from audience.models import Consent, ConsentEntry, Contact
from audience.services import opt_back_in, opt_out, record_consent
from messaging.providers.normalized import Channel
from tests.factories import make_contact

BASE = timezone.now().replace(microsecond=0)

ENTRIES = st.lists(
    st.tuples(
        st.sampled_from(ConsentEntry.Kind.values),
        st.sampled_from(ConsentEntry.Scope.values),
        # Few distinct times: equal times (decided by the later row) and entries arriving
        # after a newer one are common.
        st.integers(min_value=0, max_value=6),
    ),
    max_size=12,
)


def ledger_says(contact, channel):
    """What the ledger alone says about channel, computed here without the columns."""
    entry = ConsentEntry.objects.filter(contact=contact).latest_covering(channel)
    return entry.kind if entry is not None else Consent.NONE


class TestColumnsFollowTheLedger(TestCase):
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(entries=ENTRIES)
    def test_columns_never_disagree_with_the_ledger(self, entries):
        contact = make_contact()
        for kind, scope, hours in entries:
            record_consent(
                contact,
                kind,
                source=ConsentEntry.Source.API,
                channel=scope,
                occurred_at=BASE - timedelta(hours=hours),
            )
            stored = Contact.objects.get(pk=contact.pk)
            for channel in Channel:
                assert stored.consent(channel) == ledger_says(contact, channel)
                assert contact.consent(channel) == stored.consent(channel)
            promotable = set(Contact.objects.filter(pk=contact.pk).promotable(Channel.SMS))
            assert (contact in promotable) == (ledger_says(contact, Channel.SMS) == "opt_in")


def test_an_older_entry_arriving_later_does_not_overwrite_a_newer_state(db):
    contact = make_contact()
    now = timezone.now()
    record_consent(contact, "opt_out", source="inbound_stop", occurred_at=now)
    record_consent(contact, "opt_in", source="import", occurred_at=now - timedelta(days=30))
    contact.refresh_from_db()
    assert (contact.sms_consent, contact.rcs_consent) == ("opt_out", "opt_out")
    assert contact.sms_consent_at == now


def test_a_channel_scoped_entry_changes_only_its_channel(db):
    contact = make_contact(opted_in=True)
    record_consent(contact, "opt_out", source="inbound_stop", channel="sms")
    contact.refresh_from_db()
    assert (contact.sms_consent, contact.rcs_consent) == ("opt_out", "opt_in")
    assert list(Contact.objects.promotable("rcs")) == [contact]
    assert list(Contact.objects.promotable("sms")) == []


def test_stop_and_start_keep_the_columns(db):
    contact = make_contact(phone="+33612345678", test_mode=True, opted_in=True)
    opt_out("+33612345678", source="inbound_stop", wording="STOP", test_mode=True)
    contact.refresh_from_db()
    assert contact.is_opted_out("sms") and contact.is_opted_out("rcs")
    opt_back_in("+33612345678", source="inbound_stop", wording="START", test_mode=True)
    contact.refresh_from_db()
    assert contact.allows_promotions("sms") and contact.allows_promotions("rcs")


def test_with_consent_annotates_the_kind_or_none(db):
    yes = make_contact(opted_in=True)
    never = make_contact()
    annotated = dict(Contact.objects.with_consent("rcs").values_list("pk", "consent"))
    assert annotated == {yes.pk: "opt_in", never.pk: None}


def test_the_migration_fills_the_columns_from_the_ledger(db):
    migration = import_module("audience.migrations.0004_fill_consent_columns")
    now = timezone.now()
    stopped, sms_only, never = make_contact(), make_contact(), make_contact()
    # Written around save() (as rows existing before the columns were), so the columns are empty.
    ConsentEntry.objects.bulk_create(
        [
            ConsentEntry(contact=stopped, kind="opt_in", source="import", occurred_at=now),
            ConsentEntry(contact=stopped, kind="opt_out", source="inbound_stop", occurred_at=now),
            ConsentEntry(
                contact=stopped,
                kind="opt_in",
                source="import",
                occurred_at=now - timedelta(days=1),
            ),
            ConsentEntry(contact=sms_only, kind="opt_in", channel="sms", source="api"),
        ]
    )
    assert Contact.objects.filter(sms_consent="none").count() == 3

    migration.fill_consent_columns(apps, None)

    columns = {c.pk: (c.sms_consent, c.rcs_consent) for c in Contact.objects.all()}
    assert columns == {
        stopped.pk: ("opt_out", "opt_out"),
        sms_only.pk: ("opt_in", "none"),
        never.pk: ("none", "none"),
    }


@pytest.mark.parametrize("kind", ["opt_in", "opt_out"])
def test_the_ledger_keeps_ip_and_operator(db, kind):
    contact = make_contact()
    entry = record_consent(
        contact, kind, source="web_form", ip="203.0.113.9", operator="Shop back office"
    )
    entry.refresh_from_db()
    assert (entry.ip, entry.operator) == ("203.0.113.9", "Shop back office")

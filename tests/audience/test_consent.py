"""Consent: a ledger where the latest entry wins, checked at submit and again at send time."""

from datetime import timedelta

import pytest
from django.utils import timezone

from audience.models import ConsentEntry, Contact
from sending import services
from sending.models import Message
from tests.factories import make_consent, make_contact
from tests.support.sending import ALWAYS_RCS, NEVER_RCS, RCS_NEVER_DELIVERED

pytestmark = pytest.mark.usefixtures("network")


def send(version, phone, **options):
    return services.submit_message(
        template_id=version.template.slug,
        recipient=phone,
        variables={"prenom": "Camille"},
        **options,
    )


def opt_out(contact, **overrides):
    return make_consent(
        contact,
        kind=ConsentEntry.Kind.OPT_OUT,
        source=ConsentEntry.Source.INBOUND_STOP,
        **overrides,
    )


def test_latest_entry_wins(db):
    contact = make_contact()
    now = timezone.now()
    assert not contact.allows_promotions()
    make_consent(contact, occurred_at=now - timedelta(days=10))
    assert contact.allows_promotions()
    opt_out(contact, occurred_at=now - timedelta(days=5), wording="STOP")
    assert not contact.allows_promotions()
    assert contact.is_opted_out()
    make_consent(contact, occurred_at=now - timedelta(days=1), source=ConsentEntry.Source.API)
    assert contact.allows_promotions()


def test_an_entry_recorded_late_counts_at_its_own_time(db):
    contact = make_contact()
    now = timezone.now()
    opt_out(contact, occurred_at=now - timedelta(days=1))
    # An import of an old opt-in does not undo yesterday's STOP.
    make_consent(contact, occurred_at=now - timedelta(days=30), source=ConsentEntry.Source.IMPORT)
    assert contact.is_opted_out()


def test_channel_scope(db):
    contact = make_contact(opted_in=True)
    opt_out(contact, channel=ConsentEntry.Scope.SMS)
    assert contact.allows_promotions("rcs")
    assert not contact.allows_promotions("sms")


def test_queryset_annotation_agrees_with_the_ledger(db):
    yes = make_contact(opted_in=True)
    stopped = make_contact(opted_in=True)
    opt_out(stopped)
    make_contact()  # never asked
    sms_only_stop = make_contact(opted_in=True)
    opt_out(sms_only_stop, channel=ConsentEntry.Scope.SMS)

    assert set(Contact.objects.promotable("sms")) == {yes}
    assert set(Contact.objects.promotable("rcs")) == {yes, sms_only_stop}


def test_ledger_entries_are_never_rewritten(db):
    entry = make_consent(make_contact())
    entry.kind = ConsentEntry.Kind.OPT_OUT
    with pytest.raises(ValueError):
        entry.save()


def test_promotion_to_contact_without_opt_in_is_refused(promo, jobs):
    with pytest.raises(services.SendRefused) as refused:
        send(promo, ALWAYS_RCS)
    assert (refused.value.field, refused.value.code) == ("recipient", "no_consent")
    assert not Message.objects.exists()


def test_promotion_to_opted_out_contact_is_refused(promo, jobs):
    contact = make_contact(phone=ALWAYS_RCS, opted_in=True)
    opt_out(contact)
    with pytest.raises(services.SendRefused) as refused:
        send(promo, ALWAYS_RCS)
    assert (refused.value.field, refused.value.code) == ("recipient", "recipient_opted_out")
    assert refused.value.status == 422


def test_opt_out_between_submit_and_send_suppresses_the_message(promo, opted_in, jobs):
    contact = opted_in(ALWAYS_RCS)
    message = send(promo, ALWAYS_RCS)
    opt_out(contact, wording="STOP")

    jobs.run()

    message.refresh_from_db()
    assert message.status == Message.Status.SUPPRESSED
    assert message.status_reason == Message.Reason.OPTED_OUT
    assert not message.attempts.exists()


def test_opt_out_before_the_fallback_suppresses_the_sms(promo, opted_in, jobs):
    contact = opted_in(RCS_NEVER_DELIVERED)
    message = send(promo, RCS_NEVER_DELIVERED)
    jobs.run(until=60)
    opt_out(contact, channel=ConsentEntry.Scope.SMS)

    jobs.run()

    message.refresh_from_db()
    assert message.status == Message.Status.SUPPRESSED
    assert [a.channel for a in message.attempts.all()] == ["rcs"]


def test_transactional_messages_need_no_opt_in_and_ignore_opt_outs(transactional, jobs):
    contact = make_contact(phone=NEVER_RCS)
    opt_out(contact)
    message = send(transactional, NEVER_RCS)

    jobs.run()

    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED
    assert message.final_channel == "sms"

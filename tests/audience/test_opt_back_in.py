"""START gives back what keyword opt-outs took away, and nothing else."""

from audience.models import ConsentEntry, Contact
from audience.services import opt_back_in, opt_out
from tests.factories import make_consent, make_contact

PHONE = "+33612345678"


def start(phone=PHONE):
    return opt_back_in(phone, source=ConsentEntry.Source.INBOUND_STOP, wording="START")


def stop(phone=PHONE, source=ConsentEntry.Source.INBOUND_STOP):
    return opt_out(phone, source=source, wording="STOP")


def test_start_after_stop_restores_the_opt_in(db):
    contact = make_contact(phone=PHONE, opted_in=True)
    stop()

    _contact, changed = start()

    assert changed
    entry = contact.consent_entries.first()
    assert (entry.kind, entry.channel, entry.source, entry.wording) == (
        ConsentEntry.Kind.OPT_IN,
        ConsentEntry.Scope.ALL,
        ConsentEntry.Source.INBOUND_STOP,
        "START",
    )
    assert set(Contact.objects.promotable("sms")) == {contact}
    assert contact.allows_promotions("rcs")


def test_start_after_several_stops_and_the_unsubscribe_button(db):
    contact = make_contact(phone=PHONE, opted_in=True)
    stop()
    stop(source=ConsentEntry.Source.RCS_BUTTON)
    stop()

    assert start()[1]
    assert contact.allows_promotions("sms") and contact.allows_promotions("rcs")
    # A second START has nothing left to give back.
    assert not start()[1]
    assert contact.consent_entries.filter(kind=ConsentEntry.Kind.OPT_IN).count() == 2


def test_start_restores_only_the_channel_that_was_opted_in(db):
    contact = make_contact(phone=PHONE)
    make_consent(contact, channel=ConsentEntry.Scope.SMS)
    stop()

    assert start()[1]

    assert contact.consent_entries.first().channel == ConsentEntry.Scope.SMS
    assert contact.allows_promotions("sms")
    assert not contact.allows_promotions("rcs")


def test_start_without_an_earlier_opt_in_gives_no_consent(db):
    contact = make_contact(phone=PHONE)
    stop()

    assert not start()[1]

    assert not contact.allows_promotions("sms")
    assert contact.consent_entries.filter(kind=ConsentEntry.Kind.OPT_IN).count() == 0


def test_start_does_not_undo_an_opt_out_given_elsewhere(db):
    contact = make_contact(phone=PHONE, opted_in=True)
    stop()
    make_consent(contact, kind=ConsentEntry.Kind.OPT_OUT, source=ConsentEntry.Source.ADMIN)

    assert not start()[1]
    assert contact.is_opted_out("sms")


def test_start_does_not_undo_an_import_opt_out_followed_by_a_stop(db):
    contact = make_contact(phone=PHONE, opted_in=True)
    make_consent(contact, kind=ConsentEntry.Kind.OPT_OUT, source=ConsentEntry.Source.IMPORT)
    stop()

    assert not start()[1]
    assert contact.is_opted_out("sms")


def test_start_from_a_contact_already_subscribed_changes_nothing(db):
    contact = make_contact(phone=PHONE, opted_in=True)

    assert not start()[1]
    assert contact.consent_entries.count() == 1

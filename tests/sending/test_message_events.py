"""sending.signals.message_events: one list per batch, one change per message event, sent
after the commit; nothing built when nobody listens. audience.signals.consent_changes too."""

import pytest

from audience import signals as audience_signals
from audience.models import Contact
from sending import services, signals
from sending.models import Message
from tests.factories import make_contact, make_dispatch, make_published_template
from tests.support.sending import NEVER_RCS, PERMANENT_FAILURE, post_inbound

pytestmark = pytest.mark.django_db

SPEC = {"prenom": {"field": "first_name", "default": "client"}}


@pytest.fixture
def heard():
    """The lists of changes message_events delivered, one entry per signal."""
    calls = []

    def receiver(sender, changes, **kwargs):
        calls.append(list(changes))

    signals.message_events.connect(receiver, weak=False)
    yield calls
    signals.message_events.disconnect(receiver)


def run(jobs, captured, until=0):
    with captured(execute=True):
        jobs.run(until=until)


def test_a_batch_announces_its_sent_messages_in_one_signal(
    jobs, network, heard, django_capture_on_commit_callbacks
):
    _template, version = make_published_template(slug="promo_events")
    ids = [make_contact(opted_in=True, test_mode=True).pk for _ in range(30)]
    dispatch = make_dispatch(version)
    services.snapshot_audience(dispatch, Contact.objects.filter(pk__in=ids), SPEC)

    run(jobs, django_capture_on_commit_callbacks)

    sent_lists = [c for c in heard if c and {x.event for x in c} == {"sent"}]
    big = max(sent_lists, key=len)
    # One signal carries the whole chunk (30 < CHUNK): not one per message.
    assert len(big) >= 20
    change = big[0]
    message = Message.objects.get(pk=change.message_id)
    assert change.public_id == message.public_id
    assert change.dispatch_id == dispatch.pk
    assert change.test_mode is True
    assert change.status == "sent"
    assert change.channel in ("rcs", "sms")
    assert change.detail["provider"] == "simulator"


def test_receipts_fallbacks_and_failures_are_announced_per_message(
    jobs, network, heard, opted_in, transactional, django_capture_on_commit_callbacks
):
    opted_in(NEVER_RCS)
    opted_in(PERMANENT_FAILURE)
    with django_capture_on_commit_callbacks(execute=True):
        unreachable = services.submit_message(
            template_id="suivi_commande",
            recipient=NEVER_RCS,
            variables={"prenom": "Léa"},
            external_id="cmd-1",
        )
        failing = services.submit_message(
            template_id="suivi_commande", recipient=PERMANENT_FAILURE, variables={"prenom": "Léa"}
        )
    run(jobs, django_capture_on_commit_callbacks, until=3600)

    events = {}
    for changes in heard:
        for change in changes:
            events.setdefault(change.message_id, []).append(change.event)
    assert "sent" in events[unreachable.pk]
    assert events[unreachable.pk][-1] in ("delivered", "read", "sent")
    by_id = {c.message_id: c for changes in heard for c in changes}
    assert by_id[unreachable.pk].external_id == "cmd-1"
    assert "failed" in events[failing.pk] or "fell_back" in events[failing.pk]
    failed = [c for changes in heard for c in changes if c.event == "failed"]
    assert all(c.reason for c in failed)


def test_an_inbound_reply_is_announced_with_its_text(
    jobs, network, heard, opted_in, transactional, django_capture_on_commit_callbacks
):
    contact = opted_in("+33611223344")
    with django_capture_on_commit_callbacks(execute=True):
        message = services.submit_message(
            template_id="suivi_commande", recipient=contact.phone, variables={"prenom": "Léa"}
        )
    run(jobs, django_capture_on_commit_callbacks)
    heard.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert post_inbound(contact.phone, "Merci, à demain").status_code == 200

    inbound = [c for changes in heard for c in changes if c.event == "inbound"]
    assert [(c.message_id, c.detail["text"]) for c in inbound] == [(message.pk, "Merci, à demain")]


def test_nothing_is_built_when_nobody_listens(jobs, network, monkeypatch, transactional):
    # The apps above (integrations) listen in a full installation: take them off for this test.
    monkeypatch.setattr(signals.message_events, "receivers", [])
    signals.message_events.sender_receivers_cache.clear()
    assert not signals.listening()

    def refuse(*args, **kwargs):
        raise AssertionError("a change was built with no receiver")

    monkeypatch.setattr(signals, "change_of", refuse)
    contact = make_contact(opted_in=True, test_mode=True, phone=NEVER_RCS)
    services.submit_message(
        template_id="suivi_commande",
        recipient=contact.phone,
        variables={"prenom": "Léa"},
        test_mode=True,
    )
    jobs.run(until=3600)
    assert Message.objects.get().status in ("sent", "delivered", "read")


def test_a_stop_is_announced_as_a_consent_change(
    jobs, network, opted_in, django_capture_on_commit_callbacks
):
    heard = []

    def receiver(sender, changes, **kwargs):
        heard.extend(changes)

    audience_signals.consent_changes.connect(receiver, weak=False)
    try:
        contact = opted_in("+33611223355", test_mode=True)
        heard.clear()
        with django_capture_on_commit_callbacks(execute=True):
            post_inbound(contact.phone, "STOP")
    finally:
        audience_signals.consent_changes.disconnect(receiver)

    assert [(c.contact_id, c.kind, c.source) for c in heard] == [
        (contact.pk, "opt_out", "inbound_stop")
    ]

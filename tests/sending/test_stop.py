"""STOP and the "Se désabonner" button: opt-out at once, in the ledger, one acknowledgement."""

import base64
import hashlib
import hmac
import json
import uuid

import pytest
from django.test import Client

from audience import services as audience_services
from audience.models import ConsentEntry, Contact
from sending import services
from sending.models import Event, Message
from tests.factories import make_contact
from tests.support.providers import CLIENT_TOKEN
from tests.support.sending import REPLIES_STOP, post_inbound, post_twilio_inbound

pytestmark = pytest.mark.usefixtures("network")


@pytest.mark.parametrize(
    "text",
    [
        "STOP",
        "stop",
        "  Stop. ",
        "STOP!",
        "ARRET",
        "Arrêt",
        "arrêt !",
        "STOP SMS",
        "stop sms",
        "UNSUBSCRIBE",
        "Unsubscribe",
        "DESABONNER",
        "désabonner",
        "Se désabonner",
        "« STOP »",
    ],
)
def test_unsubscribe_words_in_any_case_with_accents_and_punctuation(text):
    assert audience_services.is_unsubscribe(text)


@pytest.mark.parametrize("text", ["", "Stopper la livraison ?", "Oui", "STOP ou encore", "top"])
def test_other_texts_are_not_an_unsubscribe(text):
    assert not audience_services.is_unsubscribe(text)


def test_the_unsubscribe_button_postback_counts():
    assert audience_services.is_unsubscribe("Je ne veux plus", postback="STOP")
    assert not audience_services.is_unsubscribe("Voir", postback="cta_offres01")


def send(version, phone):
    # The simulator's STOPs reach test contacts only: these sends are test sends.
    return services.submit_message(
        template_id=version.template.slug,
        recipient=phone,
        variables={"prenom": "Camille"},
        test_mode=True,
    )


def acks(phone):
    return Message.objects.filter(contact__phone=phone, traffic_type="ACKNOWLEDGEMENT")


def test_stop_reply_opts_out_and_gets_one_acknowledgement(promo, opted_in, jobs):
    contact = opted_in(REPLIES_STOP, test_mode=True)
    message = send(promo, REPLIES_STOP)

    jobs.run()

    entry = contact.consent_entries.first()
    assert (entry.kind, entry.source, entry.wording) == (
        ConsentEntry.Kind.OPT_OUT,
        ConsentEntry.Source.INBOUND_STOP,
        "STOP",
    )
    contact.refresh_from_db()
    assert not contact.allows_promotions("sms") and not contact.allows_promotions("rcs")
    stop = Event.objects.get(type="text", attempt__message=message)
    assert stop.text == "STOP"
    # The acknowledgement answers on the channel the STOP came from. This test number replies
    # STOP to every message, the acknowledgement too: that second STOP gets no second answer.
    [ack] = acks(REPLIES_STOP)
    assert ack.policy == Message.Policy.RCS_WITH_FALLBACK
    assert ack.final_channel == "rcs"
    assert ack.status in (Message.Status.DELIVERED, Message.Status.READ)
    assert ack.sms_text
    assert ack.test_mode
    assert Event.objects.filter(type="text").count() == 2
    assert contact.consent_entries.filter(kind="opt_out").count() == 2


def test_promotions_are_refused_after_a_stop(promo, opted_in, jobs):
    opted_in(REPLIES_STOP, test_mode=True)
    send(promo, REPLIES_STOP)
    jobs.run()

    with pytest.raises(services.SendRefused) as refused:
        send(promo, REPLIES_STOP)
    assert refused.value.code == "recipient_opted_out"


def test_a_replayed_stop_is_acknowledged_once(db, jobs):
    # A simulated STOP that answers no message is test data.
    contact = make_contact(phone="+33612345678", opted_in=True, test_mode=True)
    event_id = str(uuid.uuid4())
    assert post_inbound("+33612345678", " Arrêt ", event_id=event_id).status_code == 200
    assert post_inbound("+33612345678", " Arrêt ", event_id=event_id).status_code == 200
    jobs.run(until=0)

    assert contact.consent_entries.filter(kind="opt_out").count() == 1
    [ack] = acks("+33612345678")
    assert ack.policy == Message.Policy.SMS_ONLY
    assert ack.source == Message.Source.ACKNOWLEDGEMENT
    assert ack.final_channel == "sms"
    # The acknowledgement job running twice (RQ is at-least-once) sends nothing more.
    from sending.services import webhooks as ingestion

    ingestion.acknowledge_opt_out(Event.objects.get().pk)
    assert acks("+33612345678").count() == 1


def test_stop_from_an_unknown_number_is_still_honoured(db, jobs):
    post_inbound("06 12 34 56 79", "stop")
    contact = Contact.objects.get(phone="+33612345679")
    assert contact.is_opted_out()


def test_rbm_unsubscribe_button_opts_out_with_its_source(rbm_settings, db, jobs):
    contact = make_contact(phone="+33612345678", opted_in=True)
    data = {
        "senderPhoneNumber": "+33612345678",
        "messageId": "MsUnsub1",
        "sendTime": "2026-03-02T09:17:41.220Z",
        "suggestionResponse": {"postbackData": "STOP", "text": "Se désabonner", "type": "REPLY"},
    }
    raw = json.dumps(data).encode()
    envelope = {"message": {"data": base64.b64encode(raw).decode(), "messageId": "1"}}
    signature = base64.b64encode(hmac.new(CLIENT_TOKEN.encode(), raw, hashlib.sha512).digest())
    response = Client().post(
        "/webhooks/rbm/",
        data=json.dumps(envelope),
        content_type="application/json",
        headers={"X-Goog-Signature": signature.decode()},
    )

    assert response.status_code == 200
    entry = contact.consent_entries.first()
    assert (entry.kind, entry.source, entry.wording) == (
        ConsentEntry.Kind.OPT_OUT,
        ConsentEntry.Source.RCS_BUTTON,
        "Se désabonner",
    )
    [job] = jobs.pending
    assert (job.name, job.queue) == ("acknowledge_opt_out", "webhooks")
    jobs.run(until=0)
    [ack] = acks("+33612345678")
    assert (ack.provider, ack.intended_channel) == ("rbm", "rcs")


def test_twilio_inbound_stop_opts_out(settings, db, jobs):
    contact = make_contact(phone="+33612345678", opted_in=True)

    response = post_twilio_inbound(settings, "+33612345678", "Stop")

    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.is_opted_out()
    assert contact.consent_entries.first().source == ConsentEntry.Source.INBOUND_STOP

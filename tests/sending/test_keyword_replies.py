"""STOP, START and HELP replies through the signed webhook: consent changes, one answer each."""

import uuid

import pytest
from django.contrib.auth.models import User

from audience.models import ConsentEntry, Contact
from sending import services
from sending.models import Message
from sending.services import replies
from sending.services.test_send import send_test
from tests.factories import make_brand, make_contact, make_published_template, make_template
from tests.support.sending import ALWAYS_RCS, post_inbound

pytestmark = pytest.mark.usefixtures("network")

# The simulator's replies are test data (docs/api.md, "Test and live"): the contacts here are
# test contacts, and the messages they answer are test messages.

# A reserved simulator number: every message to it is delivered, so the answers' status is known.
PHONE = ALWAYS_RCS


def answers(phone=PHONE):
    return Message.objects.filter(
        contact__phone=phone, source=Message.Source.ACKNOWLEDGEMENT
    ).order_by("created", "pk")


def send(version, phone=PHONE):
    return services.submit_message(
        template_id=version.template.slug,
        recipient=phone,
        variables={"prenom": "Camille"},
        test_mode=True,
    )


# Each was missed before: the person kept getting promotions.
LOST_OPT_OUTS = ["stop merci", "Stop svp", "Arrêter", "STOPPER", "STOP 36111", "Stop SMS svp"]
LOST_OPT_OUTS += ["S T O P", "st0p"]


@pytest.mark.parametrize("text", LOST_OPT_OUTS)
def test_the_opt_outs_that_were_lost_now_opt_out(db, jobs, text):
    contact = make_contact(phone=PHONE, opted_in=True, test_mode=True)

    assert post_inbound(PHONE, text).status_code == 200
    jobs.run()

    entry = contact.consent_entries.first()
    assert (entry.kind, entry.source, entry.wording) == (
        ConsentEntry.Kind.OPT_OUT,
        ConsentEntry.Source.INBOUND_STOP,
        text,
    )
    assert answers().count() == 1


def test_a_sentence_with_a_stop_word_changes_nothing(db, jobs):
    contact = make_contact(phone=PHONE, opted_in=True, test_mode=True)

    post_inbound(PHONE, "Ne stoppez pas ma commande, merci")
    jobs.run()

    assert contact.allows_promotions("sms")
    assert not answers().exists()


def test_start_after_stop_opts_back_in_and_is_acknowledged_once(promo, jobs):
    contact = make_contact(phone=PHONE, opted_in=True, test_mode=True)
    assert post_inbound(PHONE, "Stop merci").status_code == 200
    jobs.run()
    with pytest.raises(services.SendRefused):
        send(promo)

    event_id = str(uuid.uuid4())
    assert post_inbound(PHONE, "Start svp", event_id=event_id).status_code == 200
    # The provider retries the same event: recorded and answered once.
    assert post_inbound(PHONE, "Start svp", event_id=event_id).status_code == 200
    jobs.run()

    ledger = [(e.kind, e.source, e.wording) for e in contact.consent_entries.order_by("pk")]
    assert ledger[1:] == [
        (ConsentEntry.Kind.OPT_OUT, ConsentEntry.Source.INBOUND_STOP, "Stop merci"),
        (ConsentEntry.Kind.OPT_IN, ConsentEntry.Source.INBOUND_STOP, "Start svp"),
    ]
    assert contact in Contact.objects.promotable("sms")
    stop_answer, start_answer = answers()
    assert start_answer.sms_text != stop_answer.sms_text
    assert "STOP" in start_answer.sms_text
    assert start_answer.status in (Message.Status.DELIVERED, Message.Status.READ)
    # The job running again (RQ is at-least-once) sends nothing more.
    [job] = [job for job in jobs.done if job.name == "acknowledge_opt_in"]
    replies.acknowledge_opt_in(*job.args)
    assert answers().count() == 2
    send(promo)


def test_start_without_a_stop_before_gives_no_consent_and_no_answer(db, jobs):
    contact = make_contact(phone=PHONE, test_mode=True)

    assert post_inbound(PHONE, "START").status_code == 200
    jobs.run()

    assert not contact.consent_entries.exists()
    assert not answers().exists()


def test_help_is_answered_with_the_brand_of_the_latest_message(db, jobs):
    make_contact(phone=PHONE, opted_in=True, test_mode=True)
    other = make_brand(name="Autre", help_reply="Autre marque : 01 00 00 00 00.")
    make_published_template(slug="autre", brand=other)
    brand = make_brand(help_reply="Maison Relais : service client au 01 23 45 67 89.")
    _template, version = make_published_template(slug="soldes", brand=brand)
    send(version)
    jobs.run()

    event_id = str(uuid.uuid4())
    assert post_inbound(PHONE, "Aide svp", event_id=event_id).status_code == 200
    assert post_inbound(PHONE, "Aide svp", event_id=event_id).status_code == 200
    jobs.run()

    [answer] = answers()
    assert answer.sms_text == "Maison Relais : service client au 01 23 45 67 89."
    assert answer.traffic_type == "ACKNOWLEDGEMENT"
    assert answer.status in (Message.Status.DELIVERED, Message.Status.READ)
    # HELP is no opt-out: the contact still gets promotions.
    assert Contact.objects.test().get(phone=PHONE).allows_promotions("sms")


def test_help_after_a_draft_test_answers_with_the_drafts_brand(db, jobs):
    make_brand(name="Autre", help_reply="Autre marque : aide.")
    brand = make_brand(name="Zeste", help_reply="Zeste : service client au 01 23 45 67 89.")
    template = make_template(brand=brand)
    user = User.objects.create_user("marie")
    send_test(template, PHONE, user=user, consent=True, draft=True)
    jobs.run()

    post_inbound(PHONE, "Aide")
    jobs.run()

    [answer] = answers()
    assert answer.sms_text == "Zeste : service client au 01 23 45 67 89."


def test_help_without_a_help_text_names_the_brand_and_stop(promo, jobs):
    make_contact(phone=PHONE, opted_in=True, test_mode=True)
    send(promo)
    jobs.run()

    post_inbound(PHONE, "HELP")
    jobs.run()

    [answer] = answers()
    assert promo.template.brand.name in answer.sms_text
    assert "STOP" in answer.sms_text


def test_help_from_someone_we_never_wrote_to_gets_the_first_brand(db, jobs):
    make_brand(name="Zeste", help_reply="Zeste : aide.")
    make_brand(name="Atelier", help_reply="Atelier : aide.")

    post_inbound("+33612345679", "info")
    jobs.run()

    [answer] = answers("+33612345679")
    assert answer.sms_text == "Atelier : aide."


def test_a_tapped_button_labelled_like_a_keyword_is_not_help(db, jobs):
    make_brand(help_reply="Aide.")

    post_inbound(PHONE, "Infos", event_type="replied")
    jobs.run()

    assert not answers().exists()

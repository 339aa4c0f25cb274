"""Every URL a message carries goes out as a tracked link, on both send paths."""

import pytest
from django.utils import timezone

from audience.models import Contact
from messaging import links, sms
from sending import services
from sending.models import Message
from sending.services import tracking
from tests.factories import make_contact, make_dispatch, make_published_template
from tests.support.batches import claim_batch
from tests.support.links import sms_link, tracked
from tests.support.sending import ALWAYS_RCS, NEVER_RCS

pytestmark = pytest.mark.django_db

BUTTON = {"cta": "cta_offres01", "url": "https://shop.example/soldes", "channel": "rcs"}


def send(version, phone, **options):
    return services.submit_message(
        template_id=version.template.slug,
        recipient=phone,
        variables={"prenom": "Camille"},
        **options,
    )


def button_url(rcs_content):
    card = rcs_content["richCard"]["standaloneCard"]["cardContent"]
    return card["suggestions"][0]["action"]["openUrlAction"]["url"]


def test_an_rcs_button_goes_out_as_a_tracked_link(promo, opted_in, locmem, jobs, settings):
    settings.LINK_BASE_URL = "https://rl.example"
    opted_in(ALWAYS_RCS)
    send(promo, ALWAYS_RCS)
    jobs.run(until=0)

    [call] = locmem.outbox
    message = Message.objects.get()
    assert button_url(call.rcs_content) == tracked(message, 0)
    assert tracked(message, 0).startswith("https://rl.example/l/")
    # The SMS link to the same page joins the button's funnel (same CTA id), as an SMS link.
    assert message.links == [BUTTON, {**BUTTON, "channel": "sms"}]
    assert links.decode(tracked(message, 0).rsplit("/", 1)[1], links.settings_keys()[0]) == (
        message.pk,
        0,
    )


def test_the_sms_fallback_carries_the_tracked_link_counted_in_its_segments(
    promo, opted_in, locmem, jobs, settings
):
    settings.LOCMEM_CHANNELS = ["sms"]
    opted_in(NEVER_RCS)
    send(promo, NEVER_RCS)
    jobs.run(until=0)

    [call] = locmem.outbox
    message = Message.objects.get()
    assert call.sms_text == message.sms_text
    assert sms_link(message) in call.sms_text
    assert "https://shop.example/soldes" not in call.sms_text
    analysis = sms.analyze(message.sms_text)
    assert (message.sms_encoding, message.sms_segments) == (analysis.encoding, analysis.segments)


def test_a_batch_gives_each_message_its_own_codes_from_one_shared_body(jobs):
    _template, version = make_published_template(slug="promo_liens")
    ids = [make_contact(opted_in=True, test_mode=True, phone=ALWAYS_RCS).pk]
    ids += [make_contact(opted_in=True, test_mode=True).pk for _ in range(3)]
    dispatch = make_dispatch(version)
    # One value for all: the batch renders one RCS body and shares it.
    message_ids = services.snapshot_audience(
        dispatch, Contact.objects.filter(pk__in=ids), {"prenom": {"value": "Léa"}}
    )

    now = timezone.now()
    prepared = claim_batch(dispatch, message_ids, now=now, until=now)

    rcs = [item for item in prepared if item.rcs_content is not None]
    assert rcs
    for item in rcs:
        assert button_url(item.rcs_content) == tracked(item.message, 0)
    for message in Message.objects.filter(dispatch=dispatch):
        assert message.links[0] == BUTTON
        assert sms_link(message) in message.sms_text
    assert len({tracked(item.message, 0) for item in prepared}) == len(prepared) == 4


def test_a_second_pass_keeps_the_codes_and_does_not_track_twice(promo, opted_in, db):
    opted_in(ALWAYS_RCS)
    message = send(promo, ALWAYS_RCS)
    body = {"suggestions": [{"action": {"openUrlAction": {"url": "https://x.example"}}}]}
    message.rcs_content, message.template_version = body, None
    message.template_version_id = None
    message.sms_text = "Voir https://x.example/a, ou https://x.example/a. Fin"

    tracking.track(message, body)
    first = (list(message.links), message.sms_text)
    again = tracking.track(message, body)

    assert (message.links, message.sms_text) == first
    assert message.links == [
        {"cta": "rcs-1", "url": "https://x.example", "channel": "rcs"},
        {"cta": "sms-1", "url": "https://x.example/a", "channel": "sms"},
    ]
    # The punctuation after a link stays in the sentence; the same link twice is one code.
    assert message.sms_text == f"Voir {tracked(message, 1)}, ou {tracked(message, 1)}. Fin"
    assert again["suggestions"][0]["action"]["openUrlAction"]["url"] == tracked(message, 0)
    # The shared body is never changed in place.
    assert body["suggestions"][0]["action"]["openUrlAction"]["url"] == "https://x.example"

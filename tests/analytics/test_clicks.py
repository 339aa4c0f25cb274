"""Clicks written by the drainer: totals and uniques, bots, suspected bots, redelivery."""

from datetime import timedelta

import pytest
from django.utils import timezone

from analytics import services
from analytics.models import Click
from messaging.providers.normalized import EventType, ProviderEvent
from sending.models import Message
from sending.services import ingest
from tests.support.links import code_of, make_tracked_message, tracked

pytestmark = pytest.mark.django_db

PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Mobile Safari/537.36"
)
SCANNER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Safari/537.36"
)
PREVIEWS = [
    "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 GoogleMessages",
    "Google-PageRenderer Google (+https://developers.google.com/+/web/snippet/)",
    "WhatsApp/2.23.20.0 A",
    "facebookexternalhit/1.1 Facebot Twitterbot/1.0",
    "TelegramBot (like TwitterBot)",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "python-requests/2.32.0",
    "",
]


def tap(client, message, index=0, user_agent=PHONE, language="fr-FR"):
    headers = {"User-Agent": user_agent}
    if language:
        headers["Accept-Language"] = language
    response = client.get(f"/l/{code_of(tracked(message, index))}", headers=headers)
    assert response.status_code == 302
    return response


def test_every_tap_counts_and_a_person_counts_once_per_button(client, click_stream):
    message = make_tracked_message()
    for _ in range(3):
        tap(client, message, 0)
    tap(client, message, 1)  # the same button's link in the SMS: the same funnel
    tap(client, message, 2)

    assert services.drain_clicks() == 5

    clicks = Click.objects.filter(message=message)
    assert clicks.counted().count() == 5
    assert clicks.unique_count() == 2
    assert sorted(clicks.filter(is_unique=True).values_list("cta_id", flat=True)) == [
        "cta_offres01",
        "sms-2",
    ]
    assert {(c.channel, c.cta_index) for c in clicks} == {("rcs", 0), ("sms", 1), ("sms", 2)}
    first = clicks.order_by("occurred_at").first()
    message.refresh_from_db()
    assert message.clicked_at == first.occurred_at
    assert first.click_id and first.stream_id and first.source == "link"
    # Nothing is left: a second pass writes nothing.
    assert services.drain_clicks() == 0
    assert Click.objects.count() == 5


def test_one_batch_stamps_the_first_tap_of_each_message_and_keeps_an_earlier_one(
    client, click_stream
):
    earlier = timezone.now() - timedelta(minutes=30)
    messages = [make_tracked_message() for _ in range(3)]
    Message.objects.filter(pk=messages[2].pk).update(clicked_at=earlier)
    for message in messages:
        tap(client, message, 0)
        tap(client, message, 2)

    assert services.drain_clicks() == 6

    for message in messages[:2]:
        message.refresh_from_db()
        first = Click.objects.filter(message=message).order_by("occurred_at").first()
        assert message.clicked_at == first.occurred_at
    messages[2].refresh_from_db()
    assert messages[2].clicked_at == earlier


@pytest.mark.parametrize("user_agent", PREVIEWS)
def test_link_previews_and_crawlers_are_redirected_but_not_counted(
    client, click_stream, user_agent
):
    message = make_tracked_message()
    tap(client, message, user_agent=user_agent)
    services.drain_clicks()

    click = Click.objects.get()
    assert click.kind == Click.Kind.BOT
    assert not click.is_unique
    message.refresh_from_db()
    assert message.clicked_at is None
    # The person who then taps is the unique click.
    tap(client, message)
    services.drain_clicks()
    assert Click.objects.unique_count() == 1


def test_a_head_request_is_a_preview(client, click_stream):
    message = make_tracked_message()
    client.head(f"/l/{code_of(tracked(message, 0))}", headers={"User-Agent": PHONE})
    services.drain_clicks()
    assert Click.objects.get().agent == Click.Agent.PREVIEW


def test_a_data_centre_client_seconds_after_delivery_is_a_suspected_bot(client, click_stream):
    just_delivered = make_tracked_message(delivered_at=timezone.now() - timedelta(seconds=2))
    long_delivered = make_tracked_message()
    tap(client, just_delivered, user_agent=SCANNER)
    tap(client, just_delivered, user_agent=PHONE, language="")
    tap(client, long_delivered, user_agent=SCANNER)
    tap(client, just_delivered, user_agent=PHONE)
    services.drain_clicks()

    kinds = list(Click.objects.order_by("occurred_at", "pk").values_list("kind", "agent"))
    assert kinds == [
        ("suspected_bot", "datacentre"),
        ("suspected_bot", "datacentre"),
        ("human", "datacentre"),
        ("human", "browser"),
    ]
    assert Click.objects.filter(message=just_delivered).unique_count() == 1


def test_a_batch_written_but_not_acknowledged_is_not_written_twice(client, click_stream):
    message = make_tracked_message()
    for _ in range(4):
        tap(client, message)
    connection = click_stream.client()
    click_stream.ensure_group(connection)
    entries = connection.xreadgroup(
        click_stream.GROUP, click_stream.CONSUMER, {click_stream.key(): ">"}, 10
    )[0][1]
    # A drainer that committed, then died before XACK.
    services.write_clicks(entries)

    assert services.drain_clicks() == 4
    assert Click.objects.count() == 4
    assert connection.xpending(click_stream.key(), click_stream.GROUP)["pending"] == 0


def test_a_batch_that_fails_before_its_commit_is_written_by_the_next_pass(
    client, click_stream, monkeypatch
):
    message = make_tracked_message()
    for _ in range(3):
        tap(client, message)

    def crash(*args, **kwargs):
        raise RuntimeError("killed mid-batch")

    with monkeypatch.context() as patch:
        patch.setattr(Click.objects, "bulk_create", crash)
        with pytest.raises(RuntimeError):
            services.drain_clicks()
    assert Click.objects.count() == 0

    assert services.drain_clicks() == 3
    assert Click.objects.count() == 3
    assert Click.objects.unique_count() == 1


def test_clicks_of_a_deleted_message_are_dropped(client, click_stream):
    message = make_tracked_message()
    tap(client, message)
    Message.objects.filter(pk=message.pk).delete()

    assert services.drain_clicks() == 1
    assert Click.objects.count() == 0


def postback(message, event_id, event_type=EventType.CLICKED, cta_id="cta_offres01"):
    attempt = message.attempts.create(channel="rcs", provider="simulator", status="delivered")
    return ProviderEvent(
        type=event_type,
        provider_event_id=event_id,
        provider_message_id=None,
        attempt_id=attempt.public_id,
        number=message.contact.phone,
        cta_id=cta_id,
        channel="rcs",
    )


def test_a_button_tap_reported_by_the_provider_joins_the_buttons_funnel(client, click_stream):
    message = make_tracked_message()

    ingest("simulator", [postback(message, "tap-1")])
    tap(client, message, 0)
    services.drain_clicks()

    tapped = Click.objects.get(source=Click.Source.POSTBACK)
    assert (tapped.cta_id, tapped.cta_index, tapped.is_unique) == ("cta_offres01", 0, True)
    assert tapped.event.provider_event_id == "tap-1"
    link = Click.objects.get(source=Click.Source.LINK)
    assert (link.cta_id, link.is_unique) == ("cta_offres01", False)
    assert Click.objects.unique_count() == 1
    message.refresh_from_db()
    assert message.clicked_at == tapped.occurred_at


def test_a_replayed_postback_and_a_reply_chip_tap(click_stream):
    message = make_tracked_message()
    event = postback(message, "tap-2", EventType.REPLIED, cta_id="cta_rappel01")

    ingest("simulator", [event])
    ingest("simulator", [event])

    click = Click.objects.get()
    assert (click.cta_id, click.cta_index, click.is_unique) == ("cta_rappel01", None, True)

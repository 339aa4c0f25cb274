"""The hourly ceiling per country: a burst pauses that country, alerts once, holds the messages
(never loses them) and lifts at the next hour or by hand; test mode counts apart."""

import logging
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.utils import timezone

from sending import services
from sending.models import Message, SendingPause
from sending.services import ceiling
from tests.factories import make_api_key
from tests.support.api import bearer

pytestmark = pytest.mark.django_db

FRENCH = [f"+3361234567{index}" for index in range(10)]
GUADELOUPE = "+590690123456"


@pytest.fixture(autouse=True)
def low_ceilings(settings):
    """France may take 2 sends an hour here, every other country 5; counters start at zero."""
    settings.SENDING_HOURLY_CEILINGS = {"FR": 2, "*": 5}
    settings.ADMINS = [("Ops", "ops@shop.example")]
    client = ceiling._client(django_settings.REDIS_URL)
    prefix = django_settings.CACHES["default"]["KEY_PREFIX"]
    keys = client.keys(f"{prefix}:ceiling:*")
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def half_past(monkeypatch):
    """Run each test as if it started at half past the hour: a test started at 10:59:59 would
    otherwise see its pause end, and its counters reset, half way through."""
    real_now = timezone.now
    start = real_now()
    offset = start - (ceiling.window_start(start) + timedelta(minutes=30))
    monkeypatch.setattr(timezone, "now", lambda: real_now() - offset)


@pytest.fixture
def send(transactional, jobs, django_capture_on_commit_callbacks):
    """send(*numbers, test_mode=False) submits and runs what is due now; returns the messages."""

    def submit_and_run(*numbers, test_mode=False):
        with django_capture_on_commit_callbacks(execute=True):
            messages = [
                services.submit_message(
                    template_id=transactional.template.slug,
                    recipient=number,
                    variables={"prenom": "Camille"},
                    # One provider call per message, and no RCS deadline to follow.
                    policy="sms_only",
                    test_mode=test_mode,
                )
                for number in numbers
            ]
            jobs.run(until=jobs.clock)
        for message in messages:
            message.refresh_from_db()
        return messages

    return submit_and_run


def test_past_the_ceiling_messages_to_that_country_are_held_not_lost(send, locmem, jobs):
    first, second, third = send(*FRENCH[:3])
    assert [sent.to for sent in locmem.outbox] == FRENCH[:2]
    assert (first.status, second.status) == (Message.Status.SENT, Message.Status.SENT)
    assert third.status == Message.Status.QUEUED
    assert third.status_reason == Message.Reason.COUNTRY_PAUSED
    assert "FR" in third.status_detail
    pause = SendingPause.objects.get()
    assert (pause.country, pause.test_mode, pause.ceiling) == ("FR", False, 2)
    # Its send job waits for the end of the hour, and the reconciler would re-drive it.
    assert third.locked_until == pause.until
    assert [(job.name, job.args) for job in jobs.pending] == [("send_message", (third.pk,))]
    assert third in Message.objects.stuck(pause.until + timedelta(minutes=11))
    assert third not in Message.objects.stuck(pause.until - timedelta(minutes=1))


def test_the_api_shows_the_held_message_as_queued_with_its_reason(send, locmem, client):
    *_sent, held = send(*FRENCH[:3])
    _key, full_key = make_api_key(mode="live")
    response = client.get(f"/api/v1/messages/{held.public_id}", headers=bearer(full_key))
    body = response.json()
    assert (body["status"], body["status_reason"]) == ("queued", "country_paused")


def test_the_alert_is_raised_once_per_country_and_hour(send, locmem, caplog):
    with caplog.at_level(logging.ERROR, logger="sending.services.ceiling"):
        send(*FRENCH[:5])
        send(*FRENCH[5:7])
    alerts = [record for record in caplog.records if record.name == "sending.services.ceiling"]
    assert len(alerts) == 1
    assert "FR" in alerts[0].getMessage()
    assert len(mail.outbox) == 1
    assert "FR" in mail.outbox[0].subject
    assert "/admin/sending/sendingpause/" in mail.outbox[0].body
    assert mail.outbox[0].to == ["ops@shop.example"]
    assert SendingPause.objects.count() == 1
    assert len(locmem.outbox) == 2


def test_other_countries_keep_sending_under_their_own_ceiling(send, locmem, settings):
    settings.SENDING_ALLOWED_COUNTRIES = ["FR", "GP"]
    send(*FRENCH[:4])
    (guadeloupe,) = send(GUADELOUPE)
    assert guadeloupe.status == Message.Status.SENT
    assert list(SendingPause.objects.values_list("country", flat=True)) == ["FR"]


def test_test_mode_counts_apart_from_live(send, locmem):
    send(*FRENCH[:3], test_mode=True)
    assert SendingPause.objects.get().test_mode is True
    live = send(*FRENCH[3:5])
    assert [message.status for message in live] == [Message.Status.SENT] * 2
    assert ceiling.sent_this_hour("FR", test_mode=False) == 2
    assert ceiling.sent_this_hour("FR", test_mode=True) == 2


def test_the_pause_lifts_by_itself_at_the_next_hour(send, locmem, jobs, monkeypatch):
    *_sent, held = send(*FRENCH[:3])
    next_hour = SendingPause.objects.get().until + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: next_hour)
    jobs.run()
    held.refresh_from_db()
    assert held.status == Message.Status.SENT
    assert held.status_reason == ""
    assert [sent.to for sent in locmem.outbox] == FRENCH[:3]


def test_an_admin_lifts_the_pause_and_the_held_messages_go_at_once(
    english, send, locmem, jobs, admin_client, django_capture_on_commit_callbacks
):
    held = send(*FRENCH[:4])[2:]
    pause = SendingPause.objects.get()
    page = admin_client.get("/admin/sending/sendingpause/").content.decode()
    assert "PAUSED: messages held" in page
    assert "Lift the pause" in page
    # The messages list says why queued messages do not move.
    page = admin_client.get("/admin/sending/message/").content.decode()
    assert "Sending to FR is paused until" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/sending/sendingpause/",
            {"action": "lift_pause", "_selected_action": [pause.pk]},
            follow=True,
        )
    assert "1 pause lifted; 2 held messages are being sent." in response.content.decode()
    jobs.run(until=jobs.clock)
    for message in held:
        message.refresh_from_db()
        assert message.status == Message.Status.SENT
    pause.refresh_from_db()
    assert pause.lifted_by == "admin"
    # Lifted for the rest of the hour: more sends to France go out, with no second alert.
    (later,) = send(FRENCH[4])
    assert later.status == Message.Status.SENT
    assert SendingPause.objects.count() == 1
    assert "Sending to FR is paused" not in admin_client.get("/admin/sending/message/").text

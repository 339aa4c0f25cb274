"""send_at: a message scheduled up to 35 days ahead goes out then (its delayed job, or
the reconciler when the job is lost), with quiet hours and the frequency cap applied at that
time; POST /api/v1/messages/{id}/cancel stops it while it is scheduled or queued."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from sending.models import Attempt, Message
from sending.services import pipeline
from tests.factories import make_api_key, make_sent_message
from tests.support.api import bearer

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
PHONE = "+33612345678"
# A Wednesday morning in Paris: the window is open.
WEDNESDAY = datetime(2026, 12, 9, 10, 0, tzinfo=PARIS)


@pytest.fixture
def api(db):
    # A live key: its messages go through the configured provider (locmem here).
    _key, secret = make_api_key(mode="live")
    return Client(headers=bearer(secret))


def post(api, template, **extra):
    body = {"template_id": template.slug, "recipient": PHONE, "variables": {"prenom": "Léa"}}
    return api.post("/api/v1/messages", {**body, **extra}, content_type="application/json")


def cancel(api, message_id):
    return api.post(f"/api/v1/messages/{message_id}/cancel")


def at(moment):
    return moment.astimezone(UTC).isoformat()


@pytest.mark.parametrize(
    "ahead",
    [timedelta(minutes=-5, seconds=-1), timedelta(days=35, seconds=1), timedelta(hours=-1)],
)
def test_send_at_over_5_minutes_past_or_35_days_ahead_is_refused_naming_it(
    promo, opted_in, api, time_machine, ahead
):
    opted_in(PHONE)
    time_machine.move_to(WEDNESDAY, tick=False)
    response = post(api, promo.template, send_at=at(WEDNESDAY + ahead))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_send_at"
    assert body["errors"][0]["field"] == "send_at"
    assert not Message.objects.exists()


def test_send_at_without_a_time_zone_is_refused(promo, opted_in, api):
    opted_in(PHONE)
    response = post(api, promo.template, send_at="2026-12-24T09:00:00")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "send_at"


def test_a_scheduled_message_waits_then_goes_at_its_time(
    promo, opted_in, locmem, jobs, api, time_machine
):
    opted_in(PHONE)
    time_machine.move_to(WEDNESDAY, tick=False)
    send_at = WEDNESDAY + timedelta(days=2, hours=1)

    response = post(api, promo.template, send_at=at(send_at), policy="sms_only")

    assert response.status_code == 202
    body = response.json()
    assert (body["status"], body["send_at"]) == ("scheduled", "2026-12-11T10:00:00Z")
    assert api.get(body["status_url"]).json()["status"] == "scheduled"
    # Its job is due at send_at, not before.
    delay = (send_at - WEDNESDAY).total_seconds()
    assert jobs.run(until=delay - 1) == 0
    assert locmem.outbox == []

    time_machine.move_to(send_at, tick=False)
    assert jobs.run(until=delay) == 1

    assert len(locmem.outbox) == 1
    detail = api.get(body["status_url"]).json()
    assert detail["status"] == "sent"
    assert detail["send_at"] == "2026-12-11T10:00:00Z"


def test_a_job_that_runs_early_sends_nothing_and_comes_back_at_the_time(
    promo, opted_in, locmem, jobs, api, time_machine
):
    opted_in(PHONE)
    time_machine.move_to(WEDNESDAY, tick=False)
    body = post(api, promo.template, send_at=at(WEDNESDAY + timedelta(hours=1))).json()
    message = Message.objects.get(public_id=body["id"])

    pipeline.send_message(message.pk)  # a duplicate job, or a clock ahead

    message.refresh_from_db()
    assert message.status == Message.Status.SCHEDULED
    assert locmem.outbox == []
    assert not Attempt.objects.exists()
    assert [job.due - jobs.clock for job in jobs.pending] == [3600, 3600]


def test_a_lost_job_is_redriven_by_the_reconciler_after_send_at(
    promo, opted_in, locmem, jobs, api, time_machine
):
    opted_in(PHONE)
    time_machine.move_to(WEDNESDAY, tick=False)
    send_at = WEDNESDAY + timedelta(hours=3)
    body = post(api, promo.template, send_at=at(send_at)).json()
    jobs.pending.clear()  # Redis lost it

    time_machine.move_to(send_at + timedelta(minutes=5), tick=False)
    assert pipeline.reconcile_stuck_messages() == 0  # a job may still be on its way
    time_machine.move_to(send_at + timedelta(minutes=11), tick=False)
    assert pipeline.reconcile_stuck_messages() == 1
    jobs.run(until=jobs.clock)

    assert len(locmem.outbox) == 1
    assert api.get(body["status_url"]).json()["status"] == "sent"


def test_quiet_hours_apply_when_a_scheduled_promotion_goes(
    promo, opted_in, locmem, jobs, api, time_machine, promotion_rules
):
    opted_in(PHONE)
    time_machine.move_to(WEDNESDAY, tick=False)
    # Sunday noon in Paris: closed until Monday 08:00.
    sunday = datetime(2026, 12, 13, 12, 0, tzinfo=PARIS)
    body = post(api, promo.template, send_at=at(sunday)).json()
    assert body["status"] == "scheduled"

    time_machine.move_to(sunday, tick=False)
    jobs.run(until=(sunday - WEDNESDAY).total_seconds())

    detail = api.get(body["status_url"]).json()
    assert (detail["status"], detail["status_reason"]) == ("queued", "quiet_hours")
    assert detail["not_before"] == "2026-12-14T07:00:00Z"
    assert locmem.outbox == []
    monday = datetime(2026, 12, 14, 8, 0, tzinfo=PARIS)
    time_machine.move_to(monday, tick=False)
    jobs.run(until=(monday - WEDNESDAY).total_seconds())
    assert api.get(body["status_url"]).json()["status"] == "sent"


def test_the_frequency_cap_applies_when_a_scheduled_promotion_goes(
    promo, opted_in, locmem, jobs, api, time_machine, promotion_rules
):
    contact = opted_in(PHONE)
    time_machine.move_to(WEDNESDAY, tick=False)
    send_at = WEDNESDAY + timedelta(hours=6)
    body = post(api, promo.template, send_at=at(send_at)).json()
    # Scheduled for later, it does not count against a promotion sent now...
    now = post(api, promo.template).json()
    assert (now["status"], now["status_reason"]) == ("queued", None)
    make_sent_message(contact, promo, sent_at=WEDNESDAY)

    # ...but at its time, the one sent 6 hours before caps it.
    time_machine.move_to(send_at, tick=False)
    jobs.run(until=(send_at - WEDNESDAY).total_seconds())

    detail = api.get(body["status_url"]).json()
    assert (detail["status"], detail["status_reason"]) == ("suppressed", "frequency_cap")


def test_a_scheduled_message_can_be_cancelled_and_then_never_goes(
    promo, opted_in, locmem, jobs, api, time_machine
):
    opted_in(PHONE)
    time_machine.move_to(WEDNESDAY, tick=False)
    send_at = WEDNESDAY + timedelta(hours=1)
    body = post(api, promo.template, send_at=at(send_at)).json()

    response = cancel(api, body["id"])

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert cancel(api, body["id"]).json()["status"] == "cancelled"  # again: the same
    time_machine.move_to(send_at, tick=False)
    jobs.run(until=3600)
    assert locmem.outbox == []
    assert api.get(body["status_url"]).json()["status"] == "cancelled"
    cancelled = api.get("/api/v1/messages", {"status": "cancelled"}).json()["results"]
    assert [item["id"] for item in cancelled] == [body["id"]]


def test_a_queued_message_can_be_cancelled_before_its_job_runs(promo, opted_in, locmem, jobs, api):
    opted_in(PHONE)
    body = post(api, promo.template).json()
    assert cancel(api, body["id"]).json()["status"] == "cancelled"
    jobs.run()
    assert locmem.outbox == []


def test_a_sent_message_cannot_be_cancelled(promo, opted_in, locmem, jobs, api):
    opted_in(PHONE)
    body = post(api, promo.template).json()
    jobs.run()

    response = cancel(api, body["id"])

    assert response.status_code == 409
    problem = response.json()
    assert problem["code"] == "not_cancellable"
    assert "sent" in problem["detail"]
    assert api.get(body["status_url"]).json()["status"] == "sent"


def test_a_queued_message_a_provider_already_has_cannot_be_cancelled(
    promo, opted_in, locmem, jobs, api
):
    # Its RCS attempt went out and it is queued again for its SMS fallback.
    opted_in(PHONE)
    body = post(api, promo.template).json()
    jobs.run()
    message = Message.objects.get(public_id=body["id"])
    Message.objects.filter(pk=message.pk).update(status=Message.Status.QUEUED)
    assert cancel(api, body["id"]).status_code == 409


def test_cancel_of_an_unknown_or_other_mode_message_is_404(promo, opted_in, api):
    opted_in(PHONE)
    body = post(api, promo.template).json()
    _key, test_secret = make_api_key(mode="test")
    other_mode = Client(headers=bearer(test_secret))
    assert cancel(other_mode, body["id"]).status_code == 404
    assert cancel(api, "7c9e6679-7425-40de-944b-e07fc1f90ae7").status_code == 404
    assert cancel(api, "nope").status_code == 404

"""Quiet hours for promotions: the French window (Monday–Saturday 08:00–20:00 local time, no
Sundays, no public holidays) across weekends, holidays and DST changes, and what it does to an
API send: accepted, held with the time it goes, sent when the window opens."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from messaging.providers.normalized import TrafficType
from sending import services
from sending.models import Message
from sending.services import pipeline, quiet_hours
from tests.factories import make_api_key
from tests.support.api import bearer

PARIS = ZoneInfo("Europe/Paris")


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


def utc(*args):
    return datetime(*args, tzinfo=UTC)


@pytest.fixture(autouse=True)
def french_rules(promotion_rules):
    return promotion_rules


# The window itself


def test_saturday_1959_is_open_and_2000_is_closed_until_monday_0800():
    assert quiet_hours.is_open("FR", paris(2026, 12, 5, 19, 59))
    assert not quiet_hours.is_open("FR", paris(2026, 12, 5, 20, 0))
    assert quiet_hours.next_open("FR", paris(2026, 12, 5, 20, 0)) == utc(2026, 12, 7, 7, 0)


def test_an_open_moment_is_its_own_next_opening_in_utc():
    at = paris(2026, 12, 5, 19, 59, 59)
    opens = quiet_hours.next_open("FR", at)
    assert opens == at and opens.tzinfo == UTC


def test_sunday_waits_for_monday_0800_and_a_weekday_morning_for_0800():
    assert not quiet_hours.is_open("FR", paris(2026, 12, 6, 12, 0))
    assert quiet_hours.next_open("FR", paris(2026, 12, 6, 12, 0)) == utc(2026, 12, 7, 7, 0)
    assert not quiet_hours.is_open("FR", paris(2026, 12, 7, 7, 59))
    assert quiet_hours.next_open("FR", paris(2026, 12, 7, 7, 59)) == utc(2026, 12, 7, 7, 0)
    assert quiet_hours.is_open("FR", paris(2026, 12, 7, 8, 0))
    # After 20:00 on a weekday: the next morning.
    assert quiet_hours.next_open("FR", paris(2026, 12, 8, 21, 30)) == utc(2026, 12, 9, 7, 0)


@pytest.mark.parametrize(
    ("closed", "opens"),
    [
        # 14 July 2026 is a Tuesday: Wednesday morning.
        (paris(2026, 7, 14, 10, 0), paris(2026, 7, 15, 8, 0)),
        # 1 May 2026 is a Friday: Saturday is open.
        (paris(2026, 5, 1, 9, 0), paris(2026, 5, 2, 8, 0)),
        # Saturday evening before Easter: Sunday, then Easter Monday (6 April 2026), then Tuesday.
        (paris(2026, 4, 4, 20, 30), paris(2026, 4, 7, 8, 0)),
    ],
)
def test_a_french_public_holiday_waits_for_the_next_open_day(closed, opens):
    assert not quiet_hours.is_open("FR", closed)
    assert quiet_hours.next_open("FR", closed) == opens


def test_easter_monday_moves_with_easter_as_the_holidays_package_computes_it():
    # Easter Monday is 29 March in 2027: after the weekend of the DST change, Tuesday 08:00 CEST.
    assert not quiet_hours.is_open("FR", paris(2027, 3, 29, 10, 0))
    assert quiet_hours.next_open("FR", paris(2027, 3, 27, 21, 0)) == utc(2027, 3, 30, 6, 0)


def test_the_window_opens_at_0800_local_on_both_sides_of_the_march_change():
    # Clocks go forward on Sunday 29 March 2026: Friday opens at 07:00 UTC, Monday at 06:00 UTC.
    assert quiet_hours.next_open("FR", utc(2026, 3, 27, 6, 30)) == utc(2026, 3, 27, 7, 0)
    assert quiet_hours.next_open("FR", paris(2026, 3, 28, 20, 0)) == utc(2026, 3, 30, 6, 0)
    assert quiet_hours.is_open("FR", utc(2026, 3, 30, 6, 0))
    assert not quiet_hours.is_open("FR", utc(2026, 3, 30, 5, 59))
    # ...and it closes at 20:00 local: 18:00 UTC in summer.
    assert not quiet_hours.is_open("FR", utc(2026, 3, 30, 18, 0))


def test_the_window_opens_at_0800_local_on_both_sides_of_the_october_change():
    # Clocks go back on Sunday 25 October 2026: Saturday closes at 18:00 UTC (20:00 CEST),
    # Monday opens at 07:00 UTC (08:00 CET).
    assert quiet_hours.is_open("FR", utc(2026, 10, 24, 17, 59))
    assert not quiet_hours.is_open("FR", utc(2026, 10, 24, 18, 0))
    assert quiet_hours.next_open("FR", utc(2026, 10, 24, 18, 0)) == utc(2026, 10, 26, 7, 0)
    assert not quiet_hours.is_open("FR", utc(2026, 10, 26, 6, 30))
    # ...and closes at 20:00 CET: 19:00 UTC in winter.
    assert quiet_hours.is_open("FR", utc(2026, 10, 26, 18, 59))
    assert not quiet_hours.is_open("FR", utc(2026, 10, 26, 19, 0))


def test_overseas_numbers_follow_their_own_clock_and_holidays():
    # Saturday 18:30 in Paris is 21:30 in Réunion: closed there, until Monday 08:00 there.
    at = utc(2026, 12, 5, 17, 30)
    assert quiet_hours.is_open("FR", at)
    assert not quiet_hours.is_open("RE", at)
    assert quiet_hours.next_open("RE", at) == utc(2026, 12, 7, 4, 0)
    # 27 May, the abolition of slavery, is a holiday in Guadeloupe, not in mainland France.
    wednesday = paris(2026, 5, 27, 16, 0)
    assert quiet_hours.is_open("FR", wednesday)
    assert not quiet_hours.is_open("GP", wednesday)


def test_a_country_the_rules_do_not_name_gets_mainland_frances_window():
    assert quiet_hours.policy_for("BE") == quiet_hours.policy_for("FR")
    assert not quiet_hours.is_open("US", paris(2026, 12, 6, 12, 0))
    assert quiet_hours.next_open(None, paris(2026, 12, 6, 12, 0)) == utc(2026, 12, 7, 7, 0)


def test_closed_until_answers_once_per_closed_country_of_a_batch():
    # Saturday 18:30 in Paris, 21:30 in Réunion, 13:30 in Guadeloupe.
    at = utc(2026, 12, 5, 17, 30)
    closed = quiet_hours.closed_until(["FR", "RE", "RE", "GP", "FR"], at)
    assert closed == {"RE": utc(2026, 12, 7, 4, 0)}


def test_policy_none_keeps_every_hour_open(settings):
    settings.QUIET_HOURS_POLICY = "none"
    sunday_night = paris(2026, 12, 6, 3, 0)
    assert quiet_hours.is_open("FR", sunday_night)
    assert quiet_hours.next_open("FR", sunday_night) == sunday_night


def test_an_unknown_policy_name_is_a_configuration_error(settings):
    settings.QUIET_HOURS_POLICY = "de"
    with pytest.raises(ImproperlyConfigured, match="QUIET_HOURS_POLICY"):
        quiet_hours.is_open("FR", paris(2026, 12, 7, 9, 0))


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="aware"):
        quiet_hours.is_open("FR", datetime(2026, 12, 7, 9, 0))


def test_only_promotions_wait():
    assert quiet_hours.applies_to(TrafficType.PROMOTION)
    for exempt in (
        TrafficType.TRANSACTION,
        TrafficType.AUTHENTICATION,
        TrafficType.ACKNOWLEDGEMENT,
    ):
        assert not quiet_hours.applies_to(exempt)


# What it does to a send


@pytest.fixture
def api(db):
    # A live key: its messages go through the configured provider (locmem here).
    _key, secret = make_api_key(mode="live")
    return Client(headers=bearer(secret))


def post(api, template, recipient, **extra):
    body = {"template_id": template.slug, "recipient": recipient, "variables": {"prenom": "Léa"}}
    return api.post("/api/v1/messages", {**body, **extra}, content_type="application/json")


PHONE = "+33612345678"


def test_a_promotion_sent_in_a_closed_window_is_accepted_and_goes_when_it_opens(
    promo, opted_in, locmem, jobs, api, time_machine
):
    opted_in(PHONE)
    time_machine.move_to(paris(2026, 12, 5, 20, 30), tick=False)  # Saturday evening

    response = post(api, promo.template, PHONE, policy="sms_only")

    assert response.status_code == 202
    body = response.json()
    assert (body["status"], body["status_reason"]) == ("queued", "quiet_hours")
    assert body["not_before"] == "2026-12-07T07:00:00Z"
    detail = api.get(body["status_url"]).json()
    assert (detail["status"], detail["status_reason"]) == ("queued", "quiet_hours")
    assert detail["not_before"] == "2026-12-07T07:00:00Z"
    # Its job waits for Monday: nothing is due now, nothing went out.
    assert jobs.run(until=jobs.clock) == 0
    assert locmem.outbox == []

    time_machine.move_to(paris(2026, 12, 7, 8, 0), tick=False)
    jobs.run(until=jobs.clock + timedelta(days=2).total_seconds())

    assert len(locmem.outbox) == 1
    detail = api.get(body["status_url"]).json()
    assert (detail["status"], detail["status_reason"]) == ("sent", None)
    assert detail["not_before"] == "2026-12-07T07:00:00Z"
    assert detail["sent_at"] == "2026-12-07T07:00:00Z"


def test_the_reconciler_sends_a_held_promotion_whose_job_was_lost_once_the_window_opens(
    promo, opted_in, locmem, jobs, time_machine
):
    opted_in(PHONE)
    time_machine.move_to(paris(2026, 12, 5, 21, 0), tick=False)
    message = services.submit_message(
        template_id=promo.template.slug, recipient=PHONE, variables={"prenom": "Léa"}
    )
    jobs.pending.clear()  # Redis lost the delayed job

    time_machine.move_to(paris(2026, 12, 6, 15, 0), tick=False)
    assert services.reconcile_stuck_messages() == 0

    time_machine.move_to(paris(2026, 12, 7, 8, 11), tick=False)
    assert services.reconcile_stuck_messages() == 1
    jobs.run(until=jobs.clock)

    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert [call.to for call in locmem.outbox] == [PHONE]


def test_a_window_that_closed_between_submit_and_claim_holds_the_message(
    promo, opted_in, locmem, jobs, time_machine
):
    opted_in(PHONE)
    time_machine.move_to(paris(2026, 12, 5, 19, 59, 50), tick=False)
    message = services.submit_message(
        template_id=promo.template.slug, recipient=PHONE, variables={"prenom": "Léa"}
    )
    assert message.status_reason == ""

    time_machine.move_to(paris(2026, 12, 5, 20, 0, 5), tick=False)
    jobs.run(until=jobs.clock)

    message.refresh_from_db()
    assert (message.status, message.status_reason) == ("queued", "quiet_hours")
    assert message.not_before == utc(2026, 12, 7, 7, 0)
    assert message.locked_until == message.not_before
    assert locmem.outbox == []
    [job] = jobs.pending
    assert job.name == "send_message"
    assert (
        job.due - jobs.clock
        == (utc(2026, 12, 7, 7, 0) - utc(2026, 12, 5, 19, 0, 5)).total_seconds()
    )


def test_transactional_traffic_goes_on_a_sunday(transactional, locmem, jobs, time_machine):
    time_machine.move_to(paris(2026, 12, 6, 22, 0), tick=False)
    message = services.submit_message(
        template_id=transactional.template.slug, recipient=PHONE, variables={"prenom": "Léa"}
    )
    jobs.run(until=jobs.clock)
    message.refresh_from_db()
    assert message.status == Message.Status.SENT and message.not_before is None


def test_a_test_send_from_the_editor_goes_on_a_sunday(promo, opted_in, locmem, jobs, time_machine):
    opted_in(PHONE, test_mode=True)
    time_machine.move_to(paris(2026, 12, 6, 22, 0), tick=False)
    message = services.submit_message(
        template_id=promo.template.slug,
        recipient=PHONE,
        variables={"prenom": "Léa"},
        source=Message.Source.EDITOR_TEST,
        test_mode=True,
    )
    jobs.run(until=jobs.clock)
    message.refresh_from_db()
    assert message.status == Message.Status.SENT


def test_with_policy_none_a_promotion_goes_on_a_sunday_night(
    promo, opted_in, locmem, jobs, time_machine, settings
):
    settings.QUIET_HOURS_POLICY = "none"
    opted_in(PHONE)
    time_machine.move_to(paris(2026, 12, 6, 3, 0), tick=False)
    message = services.submit_message(
        template_id=promo.template.slug, recipient=PHONE, variables={"prenom": "Léa"}
    )
    jobs.run(until=jobs.clock)
    message.refresh_from_db()
    assert message.status == Message.Status.SENT


def test_an_sms_fallback_due_after_the_window_closed_waits_for_it(
    promo, opted_in, locmem, jobs, time_machine
):
    opted_in(PHONE)
    time_machine.move_to(paris(2026, 12, 5, 19, 30), tick=False)
    message = services.submit_message(
        template_id=promo.template.slug,
        recipient=PHONE,
        variables={"prenom": "Léa"},
        rcs_ttl_seconds=3600,
    )
    jobs.run(until=jobs.clock)
    assert [call.channel for call in locmem.outbox] == ["rcs"]

    # The RCS deadline passes at 20:30: the SMS is a new promotion on the phone, so it waits.
    time_machine.move_to(paris(2026, 12, 5, 20, 30), tick=False)
    jobs.run(until=jobs.clock + 3600)
    message.refresh_from_db()
    assert (message.status, message.status_reason) == ("queued", "quiet_hours")
    assert message.fallback_reason == Message.FallbackReason.RCS_EXPIRED
    assert message.not_before == utc(2026, 12, 7, 7, 0)
    assert [call.channel for call in locmem.outbox] == ["rcs"]

    time_machine.move_to(paris(2026, 12, 7, 8, 0), tick=False)
    jobs.run()
    assert [call.channel for call in locmem.outbox] == ["rcs", "sms"]


def test_a_run_that_died_calling_the_provider_is_finished_not_held(
    promo, opted_in, locmem, jobs, time_machine, settings
):
    # The provider takes a repeated attempt id as the same message (as RBM does).
    settings.LOCMEM_IDEMPOTENT = True
    opted_in(PHONE)
    time_machine.move_to(paris(2026, 12, 5, 19, 58), tick=False)
    message = services.submit_message(
        template_id=promo.template.slug, recipient=PHONE, variables={"prenom": "Léa"}
    )
    jobs.pending.clear()
    claim = pipeline.claim_message(message.pk)  # ...and the worker dies during the call
    assert claim is not None

    time_machine.move_to(paris(2026, 12, 5, 20, 15), tick=False)
    assert services.reconcile_stuck_messages() == 1
    jobs.run(until=jobs.clock)

    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    # The same attempt, called again: the provider may have had it at 19:58 already.
    assert [call.attempt_id for call in locmem.outbox] == [claim.outbound.attempt_id]

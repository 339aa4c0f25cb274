"""Each routing branch, end to end with the simulator's reserved numbers and its events."""

import pytest
from django.db import IntegrityError

from audience.models import Contact
from messaging.providers.normalized import ProviderError
from sending import services
from sending.models import Attempt, Message
from tests.factories import make_contact
from tests.support.sending import (
    ALWAYS_RCS,
    NEVER_RCS,
    PERMANENT_FAILURE,
    RCS_NEVER_DELIVERED,
    SMS_UNDELIVERED,
    TEMPORARY_FAILURE,
)

pytestmark = pytest.mark.usefixtures("network")


def send(version, phone, **options):
    return services.submit_message(
        template_id=version.template.slug,
        recipient=phone,
        variables={"prenom": "Camille"},
        **options,
    )


def attempts(message):
    return [(a.channel, a.status) for a in message.attempts.order_by("created", "pk")]


def test_capable_number_gets_rcs_delivered_then_read(promo, opted_in, jobs):
    # Test mode: the simulator's answers are kept on test contacts only.
    opted_in(ALWAYS_RCS, test_mode=True)
    message = send(promo, ALWAYS_RCS, test_mode=True)
    assert message.status == Message.Status.QUEUED
    assert message.intended_channel == "rcs"

    jobs.run(until=60)

    message.refresh_from_db()
    assert message.status == Message.Status.READ
    assert message.final_channel == "rcs"
    assert message.fallback_reason == ""
    assert message.delivered_at is not None and message.read_at is not None
    assert attempts(message) == [("rcs", "read")]
    assert set(message.events.values_list("type", flat=True)) == {"delivered", "read"}
    assert Contact.objects.test().get(phone=ALWAYS_RCS).rcs_capable is True


def test_rcs_goes_out_as_rbm_content_with_variables_filled(promo, opted_in, locmem, jobs):
    opted_in(ALWAYS_RCS)
    send(promo, ALWAYS_RCS)
    jobs.run(until=0)

    [call] = locmem.outbox
    card = call.rcs_content["richCard"]["standaloneCard"]["cardContent"]
    assert card["title"] == "Camille, -40 % sur tout"
    # ctaId is ours: RBM gets it as the postbackData.
    assert card["suggestions"][0]["action"]["postbackData"] == "cta_offres01"
    assert "ctaId" not in card["suggestions"][0]
    assert call.traffic_type == "PROMOTION"
    assert call.ttl_seconds == 3600
    assert call.status_callback_url == "http://localhost:8000/webhooks/locmem/"


def test_known_non_capable_contact_gets_the_sms_directly(promo, jobs):
    contact = make_contact(phone=NEVER_RCS, opted_in=True, test_mode=True)
    services.check_capabilities([NEVER_RCS], test_mode=True)
    contact.refresh_from_db()
    assert contact.rcs_capable is False

    message = send(promo, NEVER_RCS, test_mode=True)
    assert message.intended_channel == "sms"
    jobs.run(until=60)

    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED
    assert message.final_channel == "sms"
    assert message.fallback_reason == Message.FallbackReason.NOT_CAPABLE
    assert attempts(message) == [("sms", "delivered")]


def test_sms_text_is_rendered_and_measured_at_submit(promo, opted_in):
    opted_in(NEVER_RCS)
    message = send(promo, NEVER_RCS)
    assert message.sms_text == (
        "Camille, -40 % sur tout ce week-end : https://shop.example/soldes\nSTOP au 36111"
    )
    assert message.sms_encoding == "GSM-7"
    assert message.sms_segments == 1


def test_number_not_reachable_over_rcs_at_send_falls_back_to_sms(promo, opted_in, jobs):
    # Capability unknown: RCS is tried, the network says not reachable.
    opted_in(NEVER_RCS, test_mode=True)
    message = send(promo, NEVER_RCS, test_mode=True)
    assert message.intended_channel == "rcs"

    jobs.run(until=60)

    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED
    assert message.intended_channel == "rcs"
    assert message.final_channel == "sms"
    assert message.fallback_reason == Message.FallbackReason.NOT_REACHABLE
    assert attempts(message) == [("rcs", "failed"), ("sms", "delivered")]
    assert Contact.objects.test().get(phone=NEVER_RCS).rcs_capable is False


def test_capable_but_never_delivered_gets_the_sms_after_the_deadline(promo, opted_in, jobs):
    opted_in(RCS_NEVER_DELIVERED)
    message = send(promo, RCS_NEVER_DELIVERED)

    jobs.run(until=3599)
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.final_channel == "rcs"
    assert "check_rcs_deadline" in jobs.names()

    jobs.run()
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED
    assert message.final_channel == "sms"
    assert message.fallback_reason == Message.FallbackReason.RCS_EXPIRED
    # The deadline job and the simulated TTL revocation both fire: one SMS all the same.
    assert attempts(message) == [("rcs", "expired"), ("sms", "delivered")]


def test_a_short_deadline_from_the_api_call_applies(promo, opted_in, jobs):
    opted_in(RCS_NEVER_DELIVERED)
    message = send(promo, RCS_NEVER_DELIVERED, rcs_ttl_seconds=10)
    assert message.rcs_ttl_seconds == 10

    jobs.run(until=30)

    message.refresh_from_db()
    assert message.final_channel == "sms"
    assert message.status == Message.Status.DELIVERED


def test_deadline_job_does_nothing_once_rcs_was_delivered(promo, opted_in, jobs):
    opted_in(ALWAYS_RCS)
    message = send(promo, ALWAYS_RCS)
    jobs.run(until=60)
    rcs = message.attempts.get()

    assert services.check_rcs_deadline(message.pk, str(rcs.public_id)) is False

    message.refresh_from_db()
    assert message.status == Message.Status.READ
    assert attempts(message) == [("rcs", "read")]


def test_rcs_only_to_a_non_capable_number_fails_with_the_reason(promo, opted_in, jobs):
    opted_in(NEVER_RCS)
    message = send(promo, NEVER_RCS, policy="rcs_only")

    jobs.run()

    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.status_reason == Message.Reason.NOT_REACHABLE
    assert attempts(message) == [("rcs", "failed")]


def test_rcs_only_to_a_known_non_capable_number_is_not_even_tried(promo, jobs):
    make_contact(phone=NEVER_RCS, opted_in=True, rcs_capable=False)
    Contact.objects.filter(phone=NEVER_RCS).update(rcs_checked_at="2099-01-01T00:00:00Z")
    message = send(promo, NEVER_RCS, policy="rcs_only")

    jobs.run()

    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.status_reason == Message.Reason.NOT_CAPABLE
    assert attempts(message) == []


def test_rcs_only_never_delivered_expires_without_sms(promo, opted_in, jobs):
    opted_in(RCS_NEVER_DELIVERED)
    message = send(promo, RCS_NEVER_DELIVERED, policy="rcs_only")

    jobs.run()

    message.refresh_from_db()
    assert message.status == Message.Status.EXPIRED
    assert message.status_reason == Message.Reason.RCS_EXPIRED
    assert attempts(message) == [("rcs", "expired")]


def test_sms_only_goes_straight_to_sms(promo, opted_in, jobs):
    opted_in(ALWAYS_RCS)
    message = send(promo, ALWAYS_RCS, policy="sms_only")
    assert message.intended_channel == "sms"

    jobs.run(until=60)

    message.refresh_from_db()
    assert message.final_channel == "sms"
    assert message.fallback_reason == ""
    assert attempts(message) == [("sms", "delivered")]


def test_permanent_failure_falls_back_once_then_fails(promo, opted_in, jobs):
    opted_in(PERMANENT_FAILURE)
    message = send(promo, PERMANENT_FAILURE)

    jobs.run()

    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.status_reason == Message.Reason.REFUSED
    assert message.fallback_reason == Message.FallbackReason.RCS_FAILED
    assert attempts(message) == [("rcs", "failed"), ("sms", "failed")]
    assert message.attempts.get(channel="sms").error_code == "SIM_PERMANENT_FAILURE"


def test_undelivered_sms_fails_the_message(promo, opted_in, jobs):
    contact = opted_in(SMS_UNDELIVERED)
    contact.remember_capability(False)
    contact.save()
    message = send(promo, SMS_UNDELIVERED)

    jobs.run()

    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.status_reason == Message.Reason.UNDELIVERED
    assert attempts(message) == [("sms", "failed")]


def test_transient_errors_retry_the_same_attempt_with_backoff(promo, opted_in, jobs):
    opted_in(TEMPORARY_FAILURE)
    message = send(promo, TEMPORARY_FAILURE)

    jobs.run(until=0)
    message.refresh_from_db()
    assert message.status == Message.Status.QUEUED
    assert message.locked_until is not None
    assert attempts(message) == [("rcs", "retry")]
    [retry] = jobs.pending
    assert (retry.name, retry.due) == ("send_message", 60)  # the simulator asks for 60 s

    jobs.run()
    message.refresh_from_db()
    # RCS kept failing: the SMS was tried as many times, then the message gave up.
    assert attempts(message) == [("rcs", "failed"), ("sms", "failed")]
    assert message.status == Message.Status.FAILED
    assert message.status_reason == Message.Reason.RETRIES_EXHAUSTED
    assert jobs.clock > 3600


def test_at_most_one_sms_fallback_per_message(promo, opted_in, jobs):
    opted_in(NEVER_RCS)
    message = send(promo, NEVER_RCS)
    jobs.run()

    assert services.request_fallback(message.pk, Message.FallbackReason.RCS_EXPIRED) is False
    jobs.run()
    assert message.attempts.filter(channel="sms").count() == 1
    with pytest.raises(IntegrityError):
        Attempt.objects.create(message=message, channel="sms", provider="simulator")


def test_provider_that_falls_back_itself_is_not_doubled(promo, opted_in, locmem, settings, jobs):
    settings.LOCMEM_HANDLES_FALLBACK = True
    opted_in(RCS_NEVER_DELIVERED)
    message = send(promo, RCS_NEVER_DELIVERED)

    jobs.run()

    message.refresh_from_db()
    assert [call.channel for call in locmem.outbox] == ["rcs"]
    assert message.rcs_deadline is None
    assert "check_rcs_deadline" not in [job.name for job in jobs.done]

    # Twilio reports that its own fallback delivered the message as an SMS.
    rcs = message.attempts.get()
    services.apply_event(rcs, "delivered", channel="sms")
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED
    assert message.final_channel == "sms"
    assert message.fallback_reason == Message.FallbackReason.PROVIDER_FALLBACK
    assert attempts(message) == [("rcs", "delivered")]


def test_provider_failure_without_fallback_channel_fails_the_message(
    promo, opted_in, locmem, settings, jobs
):
    settings.LOCMEM_CHANNELS = ["rcs"]
    locmem.errors.append(ProviderError("404", permanent=True, not_reachable=True))
    opted_in(NEVER_RCS)
    message = send(promo, NEVER_RCS)

    jobs.run()

    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.status_reason == Message.Reason.NO_SMS_PROVIDER


def test_provider_without_rcs_sends_sms(promo, opted_in, locmem, settings, jobs):
    settings.LOCMEM_CHANNELS = ["sms"]
    opted_in(ALWAYS_RCS)
    message = send(promo, ALWAYS_RCS)
    assert message.intended_channel == "sms"

    jobs.run()

    message.refresh_from_db()
    assert [call.channel for call in locmem.outbox] == ["sms"]
    assert message.fallback_reason == Message.FallbackReason.RCS_UNAVAILABLE

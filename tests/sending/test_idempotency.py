"""A send job that runs twice, or dies mid-call, sends nothing twice (or says it cannot know)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from messaging.providers import get_provider
from messaging.providers.normalized import ProviderError
from sending import services
from sending.models import Attempt, Message
from sending.services import pipeline as sending
from tests.support.providers import fixture_json
from tests.support.sending import ALWAYS_RCS, RCS_NEVER_DELIVERED


class Crash(Exception):
    """The worker died between the provider's answer and our write."""


def send(version, phone=ALWAYS_RCS):
    return services.submit_message(
        template_id=version.template.slug, recipient=phone, variables={"prenom": "Camille"}
    )


def after_the_lease():
    return timezone.now() + sending.LEASE + timedelta(seconds=1)


@pytest.fixture
def crash_after_call(monkeypatch):
    """The next provider answer is lost: _record_acceptance raises once."""
    real = sending._record_acceptance

    def crash(claim, result):
        monkeypatch.setattr(sending, "_record_acceptance", real)
        raise Crash

    monkeypatch.setattr(sending, "_record_acceptance", crash)


def test_crash_after_rbm_accepted_calls_again_with_the_same_message_id(
    stub, rbm_settings, transactional, jobs, crash_after_call
):
    rbm_settings.RBM_API_BASE = stub.base_url
    stub.reply_json(fixture_json("rbm", "send_ok.json"))
    # RBM refuses a messageId it has seen: the repeat cannot reach the phone twice.
    stub.reply_json({"error": {"code": 409, "status": "ALREADY_EXISTS"}}, status=409)
    message = send(transactional)

    with pytest.raises(Crash):
        jobs.run()
    message.refresh_from_db()
    assert message.status == Message.Status.SENDING
    assert message.attempts.get().status == Attempt.Status.CALLING

    # RQ runs the job again at once: the lease is still held, nothing is sent.
    services.send_message(message.pk)
    assert len(stub.requests) == 1

    # Once the lease has expired the reconciler re-drives the message.
    assert services.reconcile_stuck_messages(now=after_the_lease()) == 1
    jobs.run(until=jobs.clock)

    attempt = message.attempts.get()
    assert [request.query["messageId"] for request in stub.requests] == [
        [str(attempt.public_id)],
        [str(attempt.public_id)],
    ]
    assert attempt.status == Attempt.Status.SENT
    message.refresh_from_db()
    assert message.status == Message.Status.SENT


def test_rbm_read_timeout_is_retried_with_the_same_message_id(
    stub, rbm_settings, transactional, jobs
):
    rbm_settings.RBM_API_BASE = stub.base_url
    # The provider is built once per process: this short timeout lasts until settings change.
    get_provider("rbm").timeout = (2.0, 0.2)
    stub.reply_json(fixture_json("rbm", "send_ok.json"), delay=1.0)
    stub.reply_json({"error": {"code": 409, "status": "ALREADY_EXISTS"}}, status=409)
    message = send(transactional)

    jobs.run(until=0)
    assert message.attempts.get().status == Attempt.Status.RETRY
    jobs.run(until=600)

    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    ids = {request.query["messageId"][0] for request in stub.requests}
    assert ids == {str(message.attempts.get().public_id)}


def test_crash_with_a_provider_without_idempotency_is_marked_not_resent(
    locmem, transactional, jobs, crash_after_call
):
    message = send(transactional)
    with pytest.raises(Crash):
        jobs.run()

    services.reconcile_stuck_messages(now=after_the_lease())
    jobs.run(until=jobs.clock)

    assert len(locmem.outbox) == 1
    attempt = message.attempts.get()
    assert attempt.status == Attempt.Status.UNKNOWN_OUTCOME
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.status_reason == Message.Reason.UNKNOWN_OUTCOME

    # If it did go out, its receipt still finds the attempt and moves the message on.
    services.apply_event(attempt, "delivered")
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED


@pytest.mark.parametrize("idempotent", [True, False])
def test_the_provider_idempotent_flag_decides_whether_a_crashed_call_is_repeated(
    idempotent, locmem, settings, transactional, jobs, crash_after_call
):
    settings.LOCMEM_IDEMPOTENT = idempotent
    message = send(transactional)
    with pytest.raises(Crash):
        jobs.run()

    services.reconcile_stuck_messages(now=after_the_lease())
    jobs.run(until=jobs.clock)

    attempt = message.attempts.get()
    message.refresh_from_db()
    if idempotent:
        assert [msg.attempt_id for msg in locmem.outbox] == [attempt.public_id] * 2
        assert attempt.status == Attempt.Status.SENT
        assert message.status_reason == ""
    else:
        assert [msg.attempt_id for msg in locmem.outbox] == [attempt.public_id]
        assert attempt.status == Attempt.Status.UNKNOWN_OUTCOME
        assert message.status_reason == Message.Reason.UNKNOWN_OUTCOME


def test_read_timeout_without_idempotency_is_not_retried(locmem, transactional, jobs):
    locmem.errors.append(
        ProviderError("no answer", permanent=False, code="read_timeout", maybe_sent=True)
    )
    message = send(transactional)

    jobs.run()

    assert len(locmem.outbox) == 1
    assert message.attempts.get().status == Attempt.Status.UNKNOWN_OUTCOME


def test_running_the_send_job_again_sends_nothing(locmem, transactional, jobs):
    message = send(transactional)
    jobs.run(until=0)

    services.send_message(message.pk)
    services.send_message(message.pk)

    assert len(locmem.outbox) == 1
    assert message.attempts.count() == 1


def test_reconciler_leaves_live_jobs_and_recent_messages_alone(locmem, transactional, jobs):
    send(transactional)  # recent: its job is still to come
    sending_now = send(transactional)
    Message.objects.filter(pk=sending_now.pk).update(
        status=Message.Status.SENDING, locked_until=timezone.now() + timedelta(minutes=5)
    )
    forgotten = send(transactional)
    Message.objects.filter(pk=forgotten.pk).update(updated=timezone.now() - timedelta(minutes=30))
    jobs.pending.clear()

    assert services.reconcile_stuck_messages() == 1
    assert [job.args for job in jobs.pending] == [(forgotten.pk,)]
    # Queued again with a fresh time: the next pass does not pile up jobs.
    assert services.reconcile_stuck_messages() == 0


def test_reconcile_command_runs_one_pass(locmem, transactional, jobs):
    message = send(transactional)
    Message.objects.filter(pk=message.pk).update(updated=timezone.now() - timedelta(hours=1))
    jobs.pending.clear()

    call_command("reconcile_messages")

    assert [job.args for job in jobs.pending] == [(message.pk,)]


def test_reconciler_runs_a_lost_deadline_check(promo, opted_in, jobs, network):
    opted_in(RCS_NEVER_DELIVERED)
    message = send(promo, RCS_NEVER_DELIVERED)
    jobs.run(until=0)
    jobs.pending.clear()  # Redis lost the delayed jobs
    message.refresh_from_db()

    assert services.reconcile_stuck_messages(now=message.rcs_deadline) == 0
    later = message.rcs_deadline + timedelta(minutes=11)
    assert services.reconcile_stuck_messages(now=later) == 1
    jobs.run(until=jobs.clock + 60)

    message.refresh_from_db()
    assert message.fallback_reason == Message.FallbackReason.RCS_EXPIRED
    assert message.final_channel == "sms"

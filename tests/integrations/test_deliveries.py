"""Outbound webhooks end to end in one process: events -> deliveries -> signed POSTs to a local
receiver, retried with backoff, in order per message, test and live apart, endpoints disabled."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from integrations import services
from integrations.models import WebhookDelivery
from sending import services as sending
from tests.factories import make_contact
from tests.integrations.support import bodies, drain, independent_verify, make_endpoint, send
from tests.support.sending import ALWAYS_RCS

pytestmark = pytest.mark.django_db


def test_a_sent_message_reaches_the_endpoint_signed_with_its_secret(
    jobs, network, transactional, receiver, django_capture_on_commit_callbacks
):
    endpoint = make_endpoint(receiver.base_url + "/hooks", events=["message.sent"])
    receiver.reply(200)

    message = send(
        ALWAYS_RCS, test_mode=True, captured=django_capture_on_commit_callbacks, jobs=jobs
    )

    request = receiver.last
    assert request.method == "POST"
    assert request.path == "/hooks"
    assert independent_verify(endpoint.secret, request)
    body = request.json()
    assert body["type"] == "message.sent"
    assert body["mode"] == "test"
    assert body["data"]["message"]["id"] == str(message.public_id)
    assert body["data"]["message"]["external_id"] == "order-1042"
    assert body["data"]["message"]["recipient"] == ALWAYS_RCS
    assert request.header("Relais-Event-Id") == body["id"]
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("succeeded", 1, 200)


def test_test_and_live_endpoints_hear_only_their_own_mode(
    jobs, network, transactional, receiver, django_capture_on_commit_callbacks, settings
):
    live = make_endpoint(receiver.base_url + "/live", mode="live", events=["message.sent"])
    test = make_endpoint(receiver.base_url + "/test", mode="test", events=["message.sent"])
    receiver.reply(200)

    send(ALWAYS_RCS, test_mode=True, captured=django_capture_on_commit_callbacks, jobs=jobs)

    assert [r.path for r in receiver.requests] == ["/test"]
    assert not live.deliveries.exists()
    assert test.deliveries.count() == 1


def test_unsubscribed_events_are_not_delivered(
    jobs, network, transactional, receiver, django_capture_on_commit_callbacks
):
    endpoint = make_endpoint(receiver.base_url + "/hooks", events=["contact.opted_out"])
    send(ALWAYS_RCS, test_mode=True, captured=django_capture_on_commit_callbacks, jobs=jobs)
    assert not endpoint.deliveries.exists()
    assert receiver.requests == []


def test_a_failing_receiver_is_retried_with_growing_delays_until_it_answers(
    jobs, network, transactional, receiver, django_capture_on_commit_callbacks
):
    endpoint = make_endpoint(receiver.base_url + "/hooks", events=["message.sent"])
    for status in (500, 503, 404, 502):
        receiver.reply(status)
    receiver.reply(204)

    send(ALWAYS_RCS, test_mode=True, captured=django_capture_on_commit_callbacks, jobs=jobs)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("retrying", 1, 500)
    endpoint.refresh_from_db()
    assert endpoint.failure_streak == 1

    delays = []
    while delivery.status == "retrying":
        retry = [job for job in jobs.pending if job.name == "deliver"]
        assert len(retry) == 1
        delays.append(retry[0].due - jobs.clock)
        # Not before its time: the job due later finds the delivery not yet due.
        drain(jobs, django_capture_on_commit_callbacks, retry[0].due)
        delivery.refresh_from_db()

    assert (delivery.status, delivery.attempts, delivery.response_code) == ("succeeded", 5, 204)
    assert len(receiver.requests) == 5
    # Exponential: each wait about twice the one before (with up to 20 % jitter).
    assert all(later > earlier * 1.5 for earlier, later in zip(delays, delays[1:], strict=False))
    assert delays[0] >= services.BACKOFF_BASE * 0.8
    # Every try of the same delivery carries the same event id.
    assert len({body["id"] for body in bodies(receiver)}) == 1
    endpoint.refresh_from_db()
    assert (endpoint.failure_streak, endpoint.failing_since) == (0, None)


def test_backoff_doubles_up_to_its_cap_and_covers_three_days():
    waits = [services.backoff(n) for n in range(1, 40)]
    assert all(
        services.BACKOFF_BASE * 2 ** (n - 1) * 0.8 <= wait <= services.BACKOFF_BASE * 2 ** (n - 1)
        for n, wait in enumerate(waits[:8], start=1)
    )
    assert max(waits) <= services.BACKOFF_CAP
    # Within three days, at least a dozen tries.
    total, tries = 0, 0
    while total < services.RETRY_FOR.total_seconds():
        tries += 1
        total += services.BACKOFF_CAP if tries > 20 else services.backoff(tries)
    assert tries >= 12


def test_a_delivery_is_given_up_three_days_after_its_event(
    jobs, network, transactional, receiver, django_capture_on_commit_callbacks
):
    make_endpoint(receiver.base_url + "/hooks", events=["message.sent"])
    receiver.reply(500)
    send(ALWAYS_RCS, test_mode=True, captured=django_capture_on_commit_callbacks, jobs=jobs)
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        created=timezone.now() - services.RETRY_FOR - timedelta(minutes=1), next_attempt_at=None
    )
    receiver.reply(500)
    jobs.pending.clear()

    assert services.deliver(delivery.pk) == "failed"
    assert not [job for job in jobs.pending if job.name == "deliver"]


def test_the_events_of_one_message_arrive_in_order_even_when_the_first_needs_retries(
    jobs, network, transactional, receiver, django_capture_on_commit_callbacks
):
    make_endpoint(receiver.base_url + "/hooks", events=["message.sent", "message.delivered"])
    receiver.reply(500)  # the "sent" delivery fails first
    for _ in range(5):
        receiver.reply(200)

    send(
        ALWAYS_RCS,
        test_mode=True,
        captured=django_capture_on_commit_callbacks,
        jobs=jobs,
        until=3600 * 24,
    )

    types = [body["type"] for body in bodies(receiver)]
    assert types[0] == "message.sent"
    delivered_at = types.index("message.delivered")
    # The failed "sent" was tried again, and succeeded, before "delivered" went out.
    assert types[:delivered_at] == ["message.sent", "message.sent"]
    statuses = set(WebhookDelivery.objects.values_list("status", flat=True))
    assert statuses == {"succeeded"}


def test_an_endpoint_failing_for_days_is_disabled_the_admins_told_and_enabling_resends(
    jobs, network, transactional, receiver, django_capture_on_commit_callbacks, settings
):
    settings.ADMINS = [("Ops", "ops@example.com")]
    endpoint = make_endpoint(receiver.base_url + "/hooks", events=["message.sent"])
    endpoint.failing_since = timezone.now() - services.DISABLE_AFTER - timedelta(hours=1)
    endpoint.failure_streak = 40
    endpoint.save()
    receiver.reply(500)

    send(ALWAYS_RCS, test_mode=True, captured=django_capture_on_commit_callbacks, jobs=jobs)

    endpoint.refresh_from_db()
    assert not endpoint.enabled
    assert "3 days" in endpoint.disabled_reason or "3 jours" in endpoint.disabled_reason
    assert len(mail.outbox) == 1
    assert endpoint.url in mail.outbox[0].subject
    # While disabled, its retry does nothing.
    drain(jobs, django_capture_on_commit_callbacks, 3600)
    assert len(receiver.requests) == 1

    receiver.reply(200)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.enable(endpoint) == 1
    drain(jobs, django_capture_on_commit_callbacks, jobs.clock)
    assert WebhookDelivery.objects.get().status == "succeeded"
    assert len(receiver.requests) == 2


def test_resend_sends_a_delivery_again_with_the_same_event_id(
    jobs, network, transactional, receiver, django_capture_on_commit_callbacks
):
    make_endpoint(receiver.base_url + "/hooks", events=["message.sent"])
    receiver.reply(200)
    receiver.reply(200)
    send(ALWAYS_RCS, test_mode=True, captured=django_capture_on_commit_callbacks, jobs=jobs)
    delivery = WebhookDelivery.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        services.resend(delivery)
    drain(jobs, django_capture_on_commit_callbacks, jobs.clock)

    first, second = bodies(receiver)
    assert first == second
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("succeeded", 2)


def test_an_opt_out_is_delivered_as_contact_opted_out(
    jobs, network, receiver, django_capture_on_commit_callbacks
):
    from tests.support.sending import post_inbound

    make_endpoint(receiver.base_url + "/hooks", events=["contact.opted_out", "inbound.received"])
    contact = make_contact(phone="+33611220099", opted_in=True, test_mode=True)
    receiver.reply(200)
    with django_capture_on_commit_callbacks(execute=True):
        post_inbound(contact.phone, "STOP")
    drain(jobs, django_capture_on_commit_callbacks)

    found = {body["type"]: body for body in bodies(receiver)}
    assert found["contact.opted_out"]["data"]["contact"] == {
        "id": str(contact.public_id),
        "phone": contact.phone,
    }
    assert found["contact.opted_out"]["data"]["source"] == "inbound_stop"


def test_a_batch_costs_the_same_few_queries_for_its_webhooks_whatever_its_size(
    jobs, network, receiver, django_capture_on_commit_callbacks, monkeypatch, settings
):
    """Announcing a batch and recording its deliveries adds a fixed number of queries per
    chunk (endpoints, recipients, one bulk insert), none per message."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from audience.models import Contact
    from sending import signals
    from tests.factories import make_dispatch, make_published_template

    # Every number capable: one pass, the same work with and without webhooks.
    settings.SIMULATOR_RCS_RATIO = 1.0
    _template, version = make_published_template(slug="promo_cost")
    spec = {"prenom": {"field": "first_name", "default": "client"}}

    def queries_for(size):
        ids = [make_contact(opted_in=True, test_mode=True).pk for _ in range(size)]
        dispatch = make_dispatch(version)
        sending.snapshot_audience(dispatch, Contact.objects.filter(pk__in=ids), spec)
        with (
            CaptureQueriesContext(connection) as captured,
            django_capture_on_commit_callbacks(execute=True),
        ):
            jobs.run(until=jobs.clock)
        jobs.pending.clear()
        return len(captured)

    def extra(size):
        make_endpoint(receiver.base_url + "/hooks", events=["message.sent"])
        with_hooks = queries_for(size)
        from integrations.models import WebhookEndpoint

        assert WebhookDelivery.objects.filter(type="message.sent").count() == size
        WebhookEndpoint.objects.all().delete()
        # Only the outbound webhooks' receiver goes: the other listeners (analytics' rollups)
        # cost the same in both runs.
        from integrations import receivers

        signals.message_events.disconnect(dispatch_uid="integrations-messages")
        try:
            without = queries_for(size)
        finally:
            signals.message_events.connect(
                receivers.on_message_events, dispatch_uid="integrations-messages"
            )
        return with_hooks - without

    # A first batch fills the caches of one process (compiled versions, link settings), so
    # neither measured run pays for them.
    queries_for(3)
    small, large = extra(5), extra(40)
    # Eight times the messages, not one query more per message (a savepoint may differ).
    assert abs(large - small) <= 1, (small, large)
    assert large <= 8


def test_redeliver_queues_the_deliveries_whose_job_was_lost(jobs, receiver):
    endpoint = make_endpoint(receiver.base_url + "/hooks")
    lost = WebhookDelivery.objects.create(endpoint=endpoint, type="message.sent", payload={})
    fresh = WebhookDelivery.objects.create(endpoint=endpoint, type="message.sent", payload={})
    later = WebhookDelivery.objects.create(
        endpoint=endpoint,
        type="message.sent",
        payload={},
        status="retrying",
        next_attempt_at=timezone.now() + timedelta(hours=1),
    )
    old = timezone.now() - timedelta(hours=1)
    WebhookDelivery.objects.filter(pk__in=[lost.pk, later.pk]).update(created=old)

    assert services.redrive() == 1
    assert [job.args for job in jobs.pending] == [(lost.pk,)]
    assert fresh.pk not in [job.args[0] for job in jobs.pending]

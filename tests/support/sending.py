"""Sending fixtures shared by the sending, audience and API tests: recorded jobs on a virtual clock,
a simulated network, templates, stand-in providers (a plugin of the root conftest)."""

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import Client
from django.utils.module_loading import import_string

from messaging.providers.base import BaseProvider, Channel, EventType, SendResult
from sending import jobs as job_queue
from sending.services import routing, simulation
from tests.factories import make_contact, make_published_template

# The simulator's reserved numbers (docs/providers.md).
ALWAYS_RCS = "+33699000001"
NEVER_RCS = "+33699000002"
RCS_NEVER_DELIVERED = "+33699000003"
PERMANENT_FAILURE = "+33699000004"
REPLIES_STOP = "+33699000006"
TEMPORARY_FAILURE = "+33699000008"
SMS_UNDELIVERED = "+33699000009"


@dataclass
class Job:
    path: str
    args: tuple
    queue: str
    due: float

    @property
    def name(self):
        return self.path.rsplit(".", 1)[-1]

    def run(self):
        # Resolved as RQ resolves it, so a misspelt path fails the test.
        return import_string(self.path)(*self.args)


class JobRecorder:
    """Stands in for RQ: keeps enqueued jobs and runs them in the order their time comes.

    Time is virtual: a job enqueued with delay=60 while the clock says 10 is due at 70.
    """

    def __init__(self):
        self.pending: list[Job] = []
        self.done: list[Job] = []
        self.clock = 0.0

    def enqueue(self, path, *args, queue="messages", delay=None):
        self.enqueue_many(path, [args], queue=queue, delay=delay)

    def enqueue_many(self, path, args_list, *, queue="messages", delay=None):
        for args in args_list:
            self.pending.append(Job(path, tuple(args), queue, self.clock + (delay or 0)))

    def run(self, until=None, limit=200):
        """Run every job due up to `until` seconds (all when None), including new ones."""
        count = 0
        while True:
            ready = [job for job in self.pending if until is None or job.due <= until]
            if not ready:
                return count
            job = min(ready, key=lambda job: job.due)
            self.pending.remove(job)
            self.clock = max(self.clock, job.due)
            job.run()
            self.done.append(job)
            count += 1
            assert count < limit, "jobs keep enqueuing jobs"

    def names(self):
        return [job.name for job in self.pending]


@pytest.fixture
def jobs(monkeypatch):
    """Record what the code enqueues instead of sending it to Redis; run it with jobs.run()."""
    recorder = JobRecorder()
    monkeypatch.setattr(job_queue, "enqueue", recorder.enqueue)
    monkeypatch.setattr(job_queue, "enqueue_many", recorder.enqueue_many)
    return recorder


@pytest.fixture
def network(monkeypatch):
    """Simulated events are posted to /webhooks/simulator/ through the Django test client.

    Returns the list of (path, status) of every post.
    """
    client = Client()
    posts = []

    def post_webhook(url, body, headers):
        path = url.removeprefix(settings.PUBLIC_BASE_URL.rstrip("/"))
        extra = {name: value for name, value in headers.items() if name != "Content-Type"}
        response = client.post(path, data=body, content_type=headers["Content-Type"], headers=extra)
        posts.append((path, response.status_code))
        return response

    monkeypatch.setattr(simulation, "post_webhook", post_webhook)
    return posts


@pytest.fixture
def promo(db):
    """A published promotional template (card with one link button, variable prenom)."""
    _template, version = make_published_template(slug="promo_soldes")
    return version


@pytest.fixture
def transactional(db):
    """A published transactional template: no consent needed."""
    _template, version = make_published_template(slug="suivi_commande", traffic_type="TRANSACTION")
    return version


@pytest.fixture
def opted_in():
    """opted_in(phone) → a contact with an opt-in to every channel."""

    def make(phone):
        return make_contact(phone=phone, opted_in=True)

    return make


class FakeProvider(BaseProvider):
    """A provider that records calls and answers as told: a result, or an error per call."""

    name = "fake"

    def __init__(self, *, handles_fallback=False, channels=None):
        super().__init__()
        self.calls = []
        self.errors = []
        self.handles_fallback = handles_fallback
        if channels is not None:
            self.channels = frozenset(channels)

    def _send(self, msg):
        self.calls.append(msg)
        if self.errors:
            raise self.errors.pop(0)
        return SendResult(
            provider_message_id=f"fake-{msg.attempt_id}",
            status=EventType.SENT,
            raw={"accepted": True},
            handles_fallback=self.handles_fallback and msg.channel == Channel.RCS,
        )

    send_rcs = send_sms = _send


@pytest.fixture
def use_provider(monkeypatch, settings):
    """use_provider(provider) makes it MESSAGING_PROVIDER; other names build as usual."""

    def install(provider):
        settings.MESSAGING_PROVIDER = provider.name
        real = routing.provider_named

        def provider_named(name):
            return provider if name == provider.name else real(name)

        monkeypatch.setattr(routing, "provider_named", provider_named)
        return provider

    return install

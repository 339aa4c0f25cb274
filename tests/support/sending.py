"""Sending fixtures shared by the sending, audience and API tests: recorded jobs on a virtual clock,
a simulated network, templates, providers chosen by settings (a plugin of the root conftest)."""

import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client
from django.utils.module_loading import import_string

import jobs as job_queue
from messaging.providers import get_provider, rbm
from messaging.providers import locmem as locmem_provider
from messaging.providers.modes import SIMULATOR
from messaging.providers.simulator import SIGNATURE_HEADER
from messaging.providers.twilio import twilio_signature
from sending.services import simulation
from tests.factories import make_contact, make_published_template
from tests.support.providers import (
    AGENT,
    AUTH_TOKEN,
    CLIENT_TOKEN,
    TWILIO_CALLBACK,
    TWILIO_SETTINGS,
    FakeTokens,
)

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

    def enqueue(self, path, *args, queue="messages", delay=None, timeout=None):
        self.enqueue_many(path, [args], queue=queue, delay=delay, timeout=timeout)

    def enqueue_many(self, path, args_list, *, queue="messages", delay=None, timeout=None):
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

    def waiting(self, queue="messages"):
        """As jobs.waiting: the jobs due now in queue (the later ones are RQ's delayed jobs)."""
        return sum(1 for job in self.pending if job.queue == queue and job.due <= self.clock)


@pytest.fixture
def jobs(monkeypatch):
    """Record what the code enqueues instead of sending it to Redis; run it with jobs.run()."""
    recorder = JobRecorder()
    monkeypatch.setattr(job_queue, "enqueue", recorder.enqueue)
    monkeypatch.setattr(job_queue, "enqueue_many", recorder.enqueue_many)
    monkeypatch.setattr(job_queue, "waiting", recorder.waiting)
    return recorder


@pytest.fixture
def network(monkeypatch):
    """Simulated events are posted to /webhooks/simulator/ through the Django test client.

    Returns the list of (path, status) of every post.
    """
    client = Client()
    posts = []

    def post_webhook(url, body, headers):
        path = url.removeprefix(settings.INTERNAL_BASE_URL.rstrip("/"))
        extra = {name: value for name, value in headers.items() if name != "Content-Type"}
        response = client.post(path, data=body, content_type=headers["Content-Type"], headers=extra)
        posts.append((path, response.status_code))
        return response

    monkeypatch.setattr(simulation, "post_webhook", post_webhook)
    return posts


@pytest.fixture
def calm_network(network, monkeypatch):
    """The simulated network where every message is delivered and nobody replies STOP.

    The simulator draws each outcome from the attempt's id, new at every run: a test whose
    verdict depends on a few messages (a rollout's first share of ~20, where one STOP is a 5 %
    opt-out rate, one lost SMS a 5 % failure rate) would pass or fail by chance.
    """
    simulator = get_provider(SIMULATOR)
    monkeypatch.setattr(simulator, "stop_rate", 0.0)
    monkeypatch.setattr(simulator, "sms_undelivered_rate", 0.0)
    monkeypatch.setattr(simulator, "rcs_offline_rate", 0.0)
    return network


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
    """opted_in(phone, test_mode=False) → a contact with an opt-in to every channel."""

    def make(phone, test_mode=False):
        return make_contact(phone=phone, opted_in=True, test_mode=test_mode)

    return make


@pytest.fixture
def locmem(settings):
    """MESSAGING_PROVIDER is the locmem provider; returns its module (outbox, errors).

    Set LOCMEM_CHANNELS, LOCMEM_HANDLES_FALLBACK or LOCMEM_IDEMPOTENT with the settings
    fixture to make it behave like another provider.
    """
    settings.MESSAGING_PROVIDER = "locmem"
    locmem_provider.reset()
    yield locmem_provider
    locmem_provider.reset()


@pytest.fixture
def rbm_settings(settings, monkeypatch, tmp_path):
    """MESSAGING_PROVIDER is RBM with the test credentials; Google's token service is faked.

    The API is an address nothing listens on: point RBM_API_BASE at a stub to answer.
    """
    key_file = tmp_path / "service-account.json"
    key_file.write_text("{}")
    settings.MESSAGING_PROVIDER = "rbm"
    settings.RBM_AGENT_ID = AGENT
    settings.RBM_CLIENT_TOKEN = CLIENT_TOKEN
    settings.RBM_SERVICE_ACCOUNT_FILE = str(key_file)
    settings.RBM_REGION = "europe"
    settings.RBM_API_BASE = "http://127.0.0.1:9"
    monkeypatch.setattr(rbm, "tokens_for_file", lambda path: FakeTokens())
    return settings


def post_inbound(number, text, *, event_id=None, event_type="text", channel="sms"):
    """Post, signed, what the simulated network sends when number writes text; returns the
    response. Give the same event_id twice to replay a provider's retry."""
    event = {
        "event_id": event_id or str(uuid.uuid4()),
        "type": event_type,
        "number": number,
        "channel": channel,
        "text": text,
    }
    body, headers = get_provider("simulator").build_webhook([event])
    return Client().post(
        "/webhooks/simulator/",
        data=body,
        content_type="application/json",
        headers={SIGNATURE_HEADER: headers[SIGNATURE_HEADER]},
    )


def post_twilio_inbound(settings, number, text):
    """Make Twilio the provider and post, signed as Twilio signs it, the SMS number sends;
    returns the response."""
    settings.PUBLIC_BASE_URL = "https://relais.example.com"
    settings.MESSAGING_PROVIDER = "twilio"
    for name, value in TWILIO_SETTINGS.items():
        setattr(settings, name, value)
    form = {"MessageSid": "SM1", "SmsStatus": "received", "From": number, "Body": text}
    return Client().post(
        "/webhooks/twilio/",
        data=urlencode(form),
        content_type="application/x-www-form-urlencoded",
        headers={"X-Twilio-Signature": twilio_signature(AUTH_TOKEN, TWILIO_CALLBACK, form)},
    )


def post_planned(events):
    """Post, signed, events the simulator planned for a send (an attempt's
    raw_response["planned_events"]) as its network would; returns the response."""
    body, headers = get_provider("simulator").build_webhook(events)
    return Client().post(
        "/webhooks/simulator/",
        data=body,
        content_type="application/json",
        headers={SIGNATURE_HEADER: headers[SIGNATURE_HEADER]},
    )


@pytest.fixture
def promotion_rules(settings):
    """Quiet hours and the frequency cap as an installation has them by default (fr, 1 in
    24 h); the rest of the suite runs without them. Freeze the time (time_machine) to use it."""
    settings.QUIET_HOURS_POLICY = "fr"
    settings.PROMOTION_CAP_PER_24H = 1
    return settings

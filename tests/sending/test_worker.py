"""The test that matters: a real RQ worker process sends a message through to DELIVERED.

The worker (`manage.py rqworker messages webhooks --with-scheduler`) runs in its own process
on the test Redis and the test database; the simulator's events come back as signed HTTP
posts from the worker to the live server's /webhooks/simulator/, like a real provider's.
The live server listens on a random port, never 8000: the worker finds it from RELAIS_PORT
(as `make run` tells it) or INTERNAL_BASE_URL, never through the public address.
"""

import time

import pytest
import requests

from sending import services
from sending.models import Event, Message
from tests.factories import make_api_key, make_contact, make_seed_template
from tests.support.api import bearer
from tests.support.sending import ALWAYS_RCS
from tests.support.workers import Workers, empty_queues, skip_on_memory_database

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

QUEUES = ("messages", "webhooks")
WAIT_SECONDS = 60
# Variables that say where Relais is reached; each test gives the worker its own.
ADDRESS_VARIABLES = ("PUBLIC_BASE_URL", "INTERNAL_BASE_URL", "RELAIS_PORT")
# A public address the box cannot reach from inside (nothing listens on the discard port).
UNREACHABLE_PUBLIC_URL = "http://127.0.0.1:9"


@pytest.fixture
def start_worker(live_server, settings, tmp_path):
    """start_worker(**env) starts a real worker process; returns a function giving its log."""
    skip_on_memory_database()
    empty_queues(*QUEUES)
    log_path = tmp_path / "worker.log"
    workers = Workers()

    def start(**address):
        command = ("rqworker", *QUEUES, "--with-scheduler")
        workers.start(*command, log=log_path, drop=ADDRESS_VARIABLES, **address)
        return lambda: log_path.read_text(errors="replace")

    yield start
    workers.stop()
    empty_queues(*QUEUES)


def live_port(live_server):
    port = int(live_server.url.rsplit(":", 1)[1])
    assert port != 8000, "the point is a port other than the default"
    return port


def wait_for(predicate, log):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.25)
    pytest.fail(f"gave up after {WAIT_SECONDS}s; worker log:\n{log()}")


def make_seed_and_contacts():
    make_seed_template()
    # Opted in as a live and as a test contact: the tests send with both kinds of key.
    make_contact(phone=ALWAYS_RCS, opted_in=True)
    make_contact(phone=ALWAYS_RCS, opted_in=True, test_mode=True)


def test_a_real_worker_sends_a_message_through_to_delivered(start_worker, live_server, settings):
    # Behind an https proxy the box may not reach its own public address: the simulator's
    # receipts go to the internal one.
    settings.PUBLIC_BASE_URL = UNREACHABLE_PUBLIC_URL
    worker = start_worker(PUBLIC_BASE_URL=UNREACHABLE_PUBLIC_URL, INTERNAL_BASE_URL=live_server.url)
    make_seed_and_contacts()

    message = services.submit_message(
        template_id="promo_soldes_v1",
        recipient=ALWAYS_RCS,
        variables={"prenom": "Marie", "duree_offre": "48h"},
    )
    assert message.status == Message.Status.QUEUED

    def delivered():
        message.refresh_from_db()
        return message.status in (Message.Status.DELIVERED, Message.Status.READ)

    wait_for(delivered, worker)

    assert message.final_channel == "rcs"
    attempt = message.attempts.get()
    assert attempt.provider == "simulator"
    assert attempt.provider_message_id == f"sim-{attempt.public_id}"
    event = Event.objects.get(message=message, type="delivered")
    assert event.attempt == attempt
    assert event.provider == "simulator"


def test_on_another_port_without_a_public_url_the_api_send_is_delivered(start_worker, live_server):
    """`RELAIS_PORT=8102 make run`, then the README's API call: status_url and receipts follow."""
    port = live_port(live_server)
    worker = start_worker(RELAIS_PORT=str(port))
    make_seed_and_contacts()
    _key, secret = make_api_key(mode="test")

    response = requests.post(
        f"{live_server.url}/api/v1/messages",
        json={
            "template_id": "promo_soldes_v1",
            "recipient": ALWAYS_RCS,
            "variables": {"prenom": "Marie", "duree_offre": "48h"},
        },
        headers=bearer(secret),
        timeout=10,
    )
    assert response.status_code == 202, response.text
    status_url = response.json()["status_url"]
    assert status_url.startswith(f"{live_server.url}/api/v1/messages/")

    def delivered():
        body = requests.get(status_url, headers=bearer(secret), timeout=10).json()
        return body["status"] in ("delivered", "read")

    wait_for(delivered, worker)
    message = Message.objects.get()
    assert message.final_channel == "rcs"
    assert Event.objects.filter(message=message, type="delivered").exists()


def test_a_real_worker_sends_a_scheduled_message_at_its_time_not_before(start_worker, live_server):
    """RQ's scheduler (the worker's --with-scheduler) holds the job until send_at."""
    from datetime import timedelta

    from django.utils import timezone

    worker = start_worker(INTERNAL_BASE_URL=live_server.url)
    make_seed_and_contacts()
    send_at = timezone.now() + timedelta(seconds=4)

    message = services.submit_message(
        template_id="promo_soldes_v1",
        recipient=ALWAYS_RCS,
        variables={"prenom": "Marie", "duree_offre": "48h"},
        send_at=send_at,
    )
    assert message.status == Message.Status.SCHEDULED

    def sent():
        message.refresh_from_db()
        return message.status in (
            Message.Status.SENT,
            Message.Status.DELIVERED,
            Message.Status.READ,
        )

    wait_for(sent, worker)
    assert message.attempts.get().created >= send_at
    assert message.sent_at >= send_at

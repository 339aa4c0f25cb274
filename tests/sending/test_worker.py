"""The test that matters: a real RQ worker process sends a message through to DELIVERED.

The worker (`manage.py rqworker messages webhooks --with-scheduler`) runs in its own process
on the test Redis and the test database; the simulator's events come back as signed HTTP
posts from the worker to the live server's /webhooks/simulator/, like a real provider's.
"""

import os
import signal
import subprocess
import sys
import time

import django_rq
import pytest
from django.db import connection

from sending import services
from sending.models import Event, Message
from tests.factories import make_contact, make_published_template
from tests.support.sending import ALWAYS_RCS

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

QUEUES = ("messages", "webhooks")
WAIT_SECONDS = 60


def empty_queues():
    """Drop jobs left by other runs (and a dead worker's scheduler lock) on the test Redis."""
    for name in QUEUES:
        queue = django_rq.get_queue(name)
        queue.empty()
        for registry in (queue.scheduled_job_registry, queue.failed_job_registry):
            for job_id in registry.get_job_ids():
                registry.remove(job_id, delete_job=True)
        queue.connection.delete(f"rq:scheduler-lock:{name}")


@pytest.fixture
def worker(live_server, settings, tmp_path):
    """A real worker process; yields a function returning its log so far."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "the worker process cannot see an in-memory SQLite test database: set "
            'DATABASES["default"]["TEST"]["NAME"] to a file, or run on PostgreSQL'
        )
    settings.PUBLIC_BASE_URL = live_server.url
    empty_queues()
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.support.worker_settings",
        "RELAIS_TEST_DATABASE_NAME": str(connection.settings_dict["NAME"]),
        "PUBLIC_BASE_URL": live_server.url,
        "SECRET_KEY": settings.SECRET_KEY,
    }
    command = [sys.executable, "manage.py", "rqworker", *QUEUES, "--with-scheduler"]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        yield lambda: log_path.read_text(errors="replace")
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        empty_queues()


def wait_for(predicate, log):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.25)
    pytest.fail(f"gave up after {WAIT_SECONDS}s; worker log:\n{log()}")


def test_a_real_worker_sends_a_message_through_to_delivered(worker):
    make_published_template(
        slug="promo_soldes_v1",
        variables=[
            {"name": "prenom", "default": None, "sample": "Marie"},
            {"name": "duree_offre", "default": None, "sample": "48h"},
        ],
        sms_fallback="{{ prenom }}, -40 % pendant {{ duree_offre }} : https://shop.example",
    )
    make_contact(phone=ALWAYS_RCS, opted_in=True)

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

"""A real RQ worker process sends a message and POSTs its webhooks, signed and in order, to a
local receiver: message.sent, then message.delivered once the simulator's receipt came back."""

import os
import signal
import subprocess
import sys
import time

import django_rq
import pytest
from django.db import connection

from integrations.models import WebhookDelivery
from sending import services
from tests.factories import make_contact, make_published_template
from tests.integrations.support import bodies, independent_verify, make_endpoint
from tests.support.sending import ALWAYS_RCS
from tests.support.stub_server import StubServer

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

QUEUES = ("messages", "webhooks")
WAIT_SECONDS = 60


def empty_queues():
    for name in QUEUES:
        queue = django_rq.get_queue(name)
        queue.empty()
        for registry in (queue.scheduled_job_registry, queue.failed_job_registry):
            for job_id in registry.get_job_ids():
                registry.remove(job_id, delete_job=True)
        queue.connection.delete(f"rq:scheduler-lock:{name}")


@pytest.fixture
def worker(live_server, settings, tmp_path):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("the worker process cannot see an in-memory SQLite test database")
    empty_queues()
    log_path = tmp_path / "worker.log"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PUBLIC_BASE_URL", "INTERNAL_BASE_URL", "RELAIS_PORT")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tests.support.worker_settings",
        RELAIS_TEST_DATABASE_NAME=str(connection.settings_dict["NAME"]),
        SECRET_KEY=settings.SECRET_KEY,
        INTERNAL_BASE_URL=live_server.url,
        WEBHOOKS_ALLOW_PRIVATE="true",
    )
    command = [sys.executable, "manage.py", "rqworker", *QUEUES, "--with-scheduler"]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    yield lambda: log_path.read_text(errors="replace")
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    empty_queues()


def test_a_real_worker_delivers_signed_webhooks_in_order(worker, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    make_published_template(slug="suivi_commande", traffic_type="TRANSACTION")
    make_contact(phone=ALWAYS_RCS, opted_in=True, test_mode=True)
    with StubServer() as receiver:
        for _ in range(6):
            receiver.reply(200)
        endpoint = make_endpoint(
            receiver.base_url + "/relais", events=["message.sent", "message.delivered"]
        )

        message = services.submit_message(
            template_id="suivi_commande",
            recipient=ALWAYS_RCS,
            variables={"prenom": "Léa"},
            external_id="order-7",
            test_mode=True,
        )

        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            types = [body["type"] for body in bodies(receiver)]
            if "message.delivered" in types:
                break
            time.sleep(0.25)
        else:
            pytest.fail(f"no delivered webhook; got {types}; worker log:\n{worker()}")

    assert types[:2] == ["message.sent", "message.delivered"]
    for request in receiver.requests:
        assert independent_verify(endpoint.secret, request)
        body = request.json()
        assert body["data"]["message"]["id"] == str(message.public_id)
        assert body["data"]["message"]["external_id"] == "order-7"
        assert body["mode"] == "test"
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"succeeded"}

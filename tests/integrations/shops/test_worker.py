"""Over real HTTP and a real RQ worker process: a signed Shopify webhook is answered at once,
and the worker makes the contact, writes the consent, records the conversion and sends the
order confirmation; the same order redelivered sends nothing more."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid

import django_rq
import pytest
from django.db import connection

from analytics.conversions import Conversion
from audience.models import ConsentEntry
from integrations.shops.models import ShopEvent
from sending.models import Message
from tests.support.shops import (
    fixture,
    make_mapping,
    make_shop,
    order_template,
    signature,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
QUEUES = ("messages", "webhooks")
WAIT_SECONDS = 60


def _empty_queues():
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
    _empty_queues()
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
    _empty_queues()


def _post(url, body, headers):
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (a local server)
        return response.status


def _wait_for(condition, log):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"the worker did not get there; its log:\n{log()[-3000:]}")


def test_a_real_worker_processes_a_shopify_order_once(worker, live_server):
    shop = make_shop()
    template, _version = order_template()
    make_mapping(
        shop,
        template,
        "orders/create",
        prenom={"path": "@first_name"},
        numero_commande={"path": "@order_number"},
        montant={"path": "@total"},
    )
    body = fixture("shopify_orders_create.json")
    url = f"{live_server.url}/hooks/shops/{shop.public_id}/"
    for topic in ("orders/create", "orders/create", "orders/paid"):
        headers = {
            "Content-Type": "application/json",
            "X-Shopify-Topic": topic,
            "X-Shopify-Hmac-Sha256": signature(shop.webhook_secret, body),
            "X-Shopify-Webhook-Id": str(uuid.uuid4()),
        }
        assert _post(url, body, headers) == 200

    def all_processed():
        return (
            ShopEvent.objects.count() == 3
            and not ShopEvent.objects.filter(status="received").exists()
        )

    _wait_for(all_processed, worker)
    assert sorted(ShopEvent.objects.values_list("status", flat=True)) == [
        "sent",
        "skipped",
        "skipped",
    ]
    message = Message.objects.get()
    _wait_for(lambda: Message.objects.get().status != "queued", worker)
    message.refresh_from_db()
    assert message.sms_text == "Merci Inès ! Commande #2318 : 77.90 EUR."
    assert message.status in ("sent", "delivered", "read")
    assert Conversion.objects.get().source == "shopify"
    assert list(ConsentEntry.objects.values_list("source", "kind")) == [("shopify", "opt_in")]

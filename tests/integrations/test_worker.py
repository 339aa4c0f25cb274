"""A real RQ worker process sends a message and POSTs its webhooks, signed and in order, to a
local receiver: message.sent, then message.delivered once the simulator's receipt came back."""

import time

import pytest

from integrations.models import WebhookDelivery
from sending import services
from tests.factories import make_contact, make_published_template
from tests.integrations.support import bodies, independent_verify, make_endpoint
from tests.support.sending import ALWAYS_RCS
from tests.support.stub_server import StubServer
from tests.support.workers import Workers, empty_queues, skip_on_memory_database

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

QUEUES = ("messages", "webhooks")
WAIT_SECONDS = 60


@pytest.fixture
def worker(live_server, settings, tmp_path):
    skip_on_memory_database()
    empty_queues(*QUEUES)
    log_path = tmp_path / "worker.log"
    workers = Workers()
    workers.start(
        *("rqworker", *QUEUES, "--with-scheduler"),
        log=log_path,
        drop=("PUBLIC_BASE_URL", "INTERNAL_BASE_URL", "RELAIS_PORT"),
        INTERNAL_BASE_URL=live_server.url,
        WEBHOOKS_ALLOW_PRIVATE="true",
    )
    yield lambda: log_path.read_text(errors="replace")
    workers.stop()
    empty_queues(*QUEUES)


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
    # The worker records each answer just after the receiver got the POST: wait for it.
    deadline = time.monotonic() + WAIT_SECONDS
    while set(WebhookDelivery.objects.values_list("status", flat=True)) != {"succeeded"}:
        assert time.monotonic() < deadline, list(WebhookDelivery.objects.values("type", "status"))
        time.sleep(0.25)

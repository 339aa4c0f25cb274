"""The Request-Id follows a request into the jobs it enqueues: in their RQ meta, in the log
lines the worker writes while running them, and in the jobs those jobs enqueue."""

import logging
import time

import django_rq
import pytest
import requests
from django.test import Client

import jobs
from api.request_ids import RequestIdFilter
from jobs import tracing
from sending.models import Message
from tests.factories import make_api_key, make_contact, make_seed_template
from tests.support.api import bearer
from tests.support.sending import ALWAYS_RCS
from tests.support.workers import Workers, empty_queues, skip_on_memory_database

SEND = {
    "template_id": "promo_soldes_v1",
    "recipient": ALWAYS_RCS,
    "variables": {"prenom": "Marie", "duree_offre": "48h"},
}
WAIT_SECONDS = 60


def make_seed_and_contact():
    make_seed_template()
    make_contact(phone=ALWAYS_RCS, opted_in=True, test_mode=True)


def queued_jobs(name=jobs.MESSAGES):
    return django_rq.get_queue(name).get_jobs()


@pytest.fixture
def clean_queues():
    empty_queues()
    yield
    empty_queues()


@pytest.mark.django_db
def test_a_send_enqueues_its_job_with_the_request_id(
    clean_queues, django_capture_on_commit_callbacks
):
    make_seed_and_contact()
    _key, secret = make_api_key(mode="test")
    client = Client(headers={**bearer(secret), "X-Request-Id": "shop-order-1042"})
    # The job is put on the queue at commit, after the request's id is gone: it was read when
    # the send asked for the job.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/messages", SEND, content_type="application/json")
    assert response.status_code == 202, response.content
    assert response["Request-Id"] == "shop-order-1042"
    assert tracing.current() is None
    [job] = queued_jobs()
    assert job.func_name == "sending.tasks.send_message"
    assert job.meta == {"request_id": "shop-order-1042"}


@pytest.mark.django_db
def test_a_delayed_job_carries_the_id_too_and_one_enqueued_outside_a_request_none(clean_queues):
    tracing.set_current("req_delayed")
    try:
        [delayed] = jobs.put("sending.tasks.send_message", [(1,)], delay=600)
    finally:
        tracing.set_current(None)
    assert delayed.meta == {"request_id": "req_delayed"}
    [plain] = jobs.put("sending.tasks.send_message", [(2,)])
    assert plain.meta == {}


class FakeJob:
    def __init__(self, meta):
        self.id, self.func_name, self.meta = "job-1", "sending.tasks.send_message", meta


@pytest.mark.django_db
def test_a_job_runs_under_its_request_id_and_passes_it_on(clean_queues, caplog):
    caplog.handler.addFilter(RequestIdFilter())
    with caplog.at_level(logging.INFO), tracing.carried_by(FakeJob({"request_id": "trace-7"})):
        logging.getLogger("sending.tasks").warning("inside the job")
        jobs.put("sending.tasks.send_message", [(3,)])
    logging.getLogger("sending.tasks").warning("after the job")
    lines = {record.getMessage(): record.request_id for record in caplog.records}
    assert lines["Job job-1 (sending.tasks.send_message) runs for request trace-7"] == "trace-7"
    assert lines["inside the job"] == "trace-7"
    assert lines["after the job"] == "-"
    [child] = queued_jobs()
    assert child.meta == {"request_id": "trace-7"}


@pytest.mark.django_db
def test_a_job_without_an_id_runs_under_none(caplog):
    caplog.handler.addFilter(RequestIdFilter())
    with caplog.at_level(logging.INFO), tracing.carried_by(FakeJob({})):
        logging.getLogger("sending.tasks").warning("no request")
    assert [record.request_id for record in caplog.records] == ["-"]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_logs_the_job_of_a_request_with_its_id(live_server, tmp_path):
    skip_on_memory_database()
    empty_queues()
    log_path = tmp_path / "worker.log"
    workers = Workers()
    workers.start(
        "rqworker",
        jobs.MESSAGES,
        jobs.WEBHOOKS,
        log=log_path,
        drop=("PUBLIC_BASE_URL", "INTERNAL_BASE_URL", "RELAIS_PORT"),
        INTERNAL_BASE_URL=live_server.url,
        LOG_LEVEL="INFO",
    )
    try:
        make_seed_and_contact()
        _key, secret = make_api_key(mode="test")
        response = requests.post(
            f"{live_server.url}/api/v1/messages",
            json=SEND,
            headers={**bearer(secret), "X-Request-Id": "shop-trace-42"},
            timeout=10,
        )
        assert response.status_code == 202, response.text
        message = Message.objects.get()
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            message.refresh_from_db()
            if message.status != Message.Status.QUEUED:
                break
            time.sleep(0.25)
        log = log_path.read_text(errors="replace")
        assert message.status != Message.Status.QUEUED, log
        assert "runs for request shop-trace-42" in log, log
        assert "[shop-trace-42]" in log, log
    finally:
        workers.stop()
        empty_queues()

"""The RQ workers Relais starts re-queue the jobs of dead workers within a minute or so, and
the send queue's run their jobs in process."""

import logging
import os

import django_rq
import pytest
from django.db import connection

import jobs
from config.rq_worker import MAINTENANCE_INTERVAL
from tests.support.workers import empty_queues


def test_workers_run_their_maintenance_every_30_seconds():
    worker = django_rq.get_worker("messages")
    assert worker.maintenance_interval == MAINTENANCE_INTERVAL == 30


def test_maintenance_passes_are_not_announced_at_info(caplog):
    worker = django_rq.get_worker("messages")
    with caplog.at_level(logging.INFO, logger="rq.worker"):
        worker.clean_registries()
    assert not [r for r in caplog.records if "cleaning registries" in r.getMessage()]
    assert logging.getLogger("rq.worker").getEffectiveLevel() <= logging.INFO


def test_only_a_worker_on_the_send_queue_alone_runs_its_jobs_in_process():
    assert django_rq.get_worker("messages").in_process
    assert not django_rq.get_worker("default").in_process
    assert not django_rq.get_worker("messages", "webhooks").in_process


@pytest.mark.django_db(transaction=True)
def test_send_queue_jobs_run_in_the_worker_on_the_connection_it_keeps():
    empty_queues(jobs.MESSAGES)
    queue = django_rq.get_queue(jobs.MESSAGES)
    enqueued = [queue.enqueue("tests.support.workers.process_and_connection") for _ in range(3)]
    try:
        worker = django_rq.get_worker(jobs.MESSAGES)
        worker.work(burst=True)
    finally:
        empty_queues(jobs.MESSAGES)
    results = [job.return_value() for job in enqueued]
    # No work-horse: the test's own process ran them.
    assert {process for process, _session in results} == {os.getpid()}
    if connection.vendor == "postgresql":
        # One database session for all three (a DATABASE_URL connection lives 60 s).
        assert len({session for _process, session in results}) == 1

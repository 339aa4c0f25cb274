"""The RQ workers Relais starts re-queue the jobs of dead workers within a minute or so."""

import django_rq

from config.rq_worker import MAINTENANCE_INTERVAL


def test_workers_run_their_maintenance_every_30_seconds():
    worker = django_rq.get_worker("messages")
    assert worker.maintenance_interval == MAINTENANCE_INTERVAL == 30

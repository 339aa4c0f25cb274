"""The RQ workers Relais starts re-queue the jobs of dead workers within a minute or so."""

import logging

import django_rq

from config.rq_worker import MAINTENANCE_INTERVAL


def test_workers_run_their_maintenance_every_30_seconds():
    worker = django_rq.get_worker("messages")
    assert worker.maintenance_interval == MAINTENANCE_INTERVAL == 30


def test_maintenance_passes_are_not_announced_at_info(caplog):
    worker = django_rq.get_worker("messages")
    with caplog.at_level(logging.INFO, logger="rq.worker"):
        worker.clean_registries()
    assert not [r for r in caplog.records if "cleaning registries" in r.getMessage()]
    assert logging.getLogger("rq.worker").getEffectiveLevel() <= logging.INFO

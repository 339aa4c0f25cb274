"""The RQ worker Relais runs (settings.RQ["WORKER_CLASS"]): RQ's, with a shorter maintenance,
and the send queue's jobs run in the worker's own process."""

import logging

from django.db import close_old_connections
from django.utils import timezone, translation
from rq import SimpleWorker
from rq import Worker as RQWorker

import jobs
from jobs import tracing

# RQ's maintenance re-queues the jobs of workers that died. Every 600 s by default, a job whose
# worker machine died ran again ~14 minutes later; every 30 s, with --worker-ttl 60, about a
# minute and a half (measured; docs/operations.md). django-rq's rqworker has no option for it.
MAINTENANCE_INTERVAL = 30


def warm_up():
    """Load once, in the worker, what every job needs: the forked work-horses inherit it instead
    of importing every urls module again (profiled: ~0.4 s of each batch job)."""
    from django.urls import get_resolver

    get_resolver().reverse_dict  # noqa: B018 (populating the resolver imports the URLconfs)


class Worker(RQWorker):
    """An RQ worker whose maintenance runs every MAINTENANCE_INTERVAL seconds, and which runs
    each job under the Request-Id it carries (in the log, and in the jobs it enqueues).

    A worker on the send queue alone runs its jobs in its own process, as RQ's SimpleWorker
    does, instead of forking a work-horse for each: a fork cost three times the CPU of the
    batch it ran (docs/performance.md), and in process the event loop, the provider
    connections, the RBM token and the database connection (CONN_MAX_AGE, settings) stay
    from one batch to the next.
    Its jobs are ours and short (a batch hands what is left to a new job after 2 minutes);
    a worker that dies with one is the case the leases and the reconciler are for. Workers on
    other queues keep the fork: an import or a shop's job may use memory it never gives back.
    """

    def __init__(self, *args, maintenance_interval=MAINTENANCE_INTERVAL, **kwargs):
        super().__init__(*args, maintenance_interval=maintenance_interval, **kwargs)
        self.in_process = [queue.name for queue in self.queues] == [jobs.MESSAGES]
        warm_up()

    def execute_job(self, job, queue):
        # Bound in the worker, before the fork: the work-horse inherits it, and the worker's
        # own lines about the job (a killed work-horse) carry it too.
        with tracing.carried_by(job):
            if not self.in_process:
                return super().execute_job(job, queue)
            # What a request gets from Django: connections checked before and after, no
            # language or time zone left over from the job before.
            close_old_connections()
            try:
                return SimpleWorker.execute_job(self, job, queue)
            finally:
                translation.deactivate()
                timezone.deactivate()
                close_old_connections()

    def get_heartbeat_ttl(self, job):
        if self.in_process:
            return SimpleWorker.get_heartbeat_ttl(self, job)
        return super().get_heartbeat_ttl(job)

    def clean_registries(self):
        # RQ announces each pass at INFO, one line a queue: every 30 s that buries the log.
        level = self.log.level
        if self.log.getEffectiveLevel() < logging.WARNING:
            self.log.setLevel(logging.WARNING)
        try:
            super().clean_registries()
        finally:
            self.log.setLevel(level)

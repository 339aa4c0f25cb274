"""The RQ worker Relais runs (settings.RQ["WORKER_CLASS"]): RQ's, with a shorter maintenance."""

import logging

from rq import Worker as RQWorker

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
    each job under the Request-Id it carries (in the log, and in the jobs it enqueues)."""

    def __init__(self, *args, maintenance_interval=MAINTENANCE_INTERVAL, **kwargs):
        super().__init__(*args, maintenance_interval=maintenance_interval, **kwargs)
        warm_up()

    def execute_job(self, job, queue):
        # Bound in the worker, before the fork: the work-horse inherits it, and the worker's
        # own lines about the job (a killed work-horse) carry it too.
        with tracing.carried_by(job):
            return super().execute_job(job, queue)

    def clean_registries(self):
        # RQ announces each pass at INFO, one line a queue: every 30 s that buries the log.
        level = self.log.level
        if self.log.getEffectiveLevel() < logging.WARNING:
            self.log.setLevel(logging.WARNING)
        try:
            super().clean_registries()
        finally:
            self.log.setLevel(level)

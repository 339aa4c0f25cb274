"""The one place that puts jobs on RQ queues: by dotted path, once the transaction commits.

Services name the task they want ("sending.tasks.send_message") instead of importing
tasks.py, so tasks import services and never the other way round. A job never runs before
the rows it reads are committed; if Redis is down at that moment the error is logged and the
rows stay queued, and the reconciler sends them later. Each job carries the Request-Id of the
request (or job) that enqueued it in its meta (jobs.tracing), for the worker's log.
"""

import functools
from datetime import timedelta

import django_rq
from django.db import transaction
from redis.exceptions import RedisError
from rq import Queue

from jobs import tracing

DEFAULT = "default"
# Sending has its own workers: a worker on several queues can lose a job when it crashes.
MESSAGES = "messages"
WEBHOOKS = "webhooks"


def enqueue(path, *args, queue=MESSAGES, delay=None, timeout=None):
    """Run the task at dotted `path` with args once the current transaction commits."""
    enqueue_many(path, [args], queue=queue, delay=delay, timeout=timeout)


def enqueue_many(path, args_list, *, queue=MESSAGES, delay=None, timeout=None):
    """Run the task at dotted `path` once per args tuple, in one round trip, after commit.

    timeout (seconds) replaces the queue's DEFAULT_TIMEOUT for jobs that run long (imports).
    """
    args_list = [tuple(args) for args in args_list]
    if args_list:
        # Read now: the commit may come after the request's id is gone.
        meta = tracing.meta()
        transaction.on_commit(
            functools.partial(
                put, path, args_list, queue=queue, delay=delay, timeout=timeout, meta=meta
            ),
            robust=True,
        )


def put(path, args_list, *, queue=MESSAGES, delay=None, timeout=None, meta=None):
    """Put the jobs on the queue now (`delay` seconds from now when given), with `meta` (by
    default the current Request-Id, jobs.tracing)."""
    rq_queue = django_rq.get_queue(queue)
    meta = tracing.meta() if meta is None else meta
    options = {"job_timeout": timeout} if timeout else {}
    if delay:
        # RQ schedules one job at a time; delayed jobs are few (retries, deadlines).
        return [
            rq_queue.enqueue_in(timedelta(seconds=delay), path, *args, meta=meta, **options)
            for args in args_list
        ]
    return rq_queue.enqueue_many(
        [Queue.prepare_data(path, args, timeout=timeout, meta=meta) for args in args_list]
    )


def waiting(queue=MESSAGES):
    """How many jobs wait in `queue` for a worker (not those running or delayed); None when
    Redis does not answer."""
    try:
        return django_rq.get_queue(queue).count
    except RedisError:
        return None

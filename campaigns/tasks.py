"""RQ jobs of the sending pipeline: they take ids and call campaigns.services.

Workers: `python manage.py rqworker messages --with-scheduler` (delayed jobs — retries, RCS
deadlines, simulated events — need the scheduler) and one for `webhooks`.
"""

from datetime import timedelta

import django_rq
from django.db import transaction

from campaigns import services


def enqueue_now(func, *args, queue="messages", delay=None):
    """Put func(*args) on an RQ queue now, or `delay` seconds from now."""
    rq_queue = django_rq.get_queue(queue)
    if delay:
        return rq_queue.enqueue_in(timedelta(seconds=delay), func, *args)
    return rq_queue.enqueue(func, *args)


def enqueue_on_commit(func, *args, queue="messages", delay=None):
    """Enqueue func(*args) once the current transaction commits (at once outside one).

    The only way our code enqueues: a job never runs before the rows it reads exist. If Redis
    is down then, the error is logged and the rows stay queued: reconcile_stuck_messages()
    sends them later.
    """

    def enqueue():
        enqueue_now(func, *args, queue=queue, delay=delay)

    transaction.on_commit(enqueue, robust=True)


def send_message(message_id):
    services.send_message(message_id)


def check_rcs_deadline(message_id, attempt_id):
    services.check_rcs_deadline(message_id, attempt_id)


def post_simulated_events(events):
    services.post_simulated_events(events)


def reconcile_stuck_messages():
    return services.reconcile_stuck_messages()

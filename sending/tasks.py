"""RQ jobs of the sending pipeline and of webhook ingestion: they take ids and call services.

Enqueued by dotted path through the jobs package. Workers: `python manage.py rqworker messages
--with-scheduler` (delayed jobs — retries, RCS deadlines, simulated events — need the
scheduler) and one for `webhooks`.
"""

from sending import services


def send_message(message_id):
    services.send_message(message_id)


def send_batch(dispatch_id, message_ids):
    return services.send_batch(dispatch_id, message_ids)


def check_rcs_deadline(message_id, attempt_id):
    services.check_rcs_deadline(message_id, attempt_id)


def check_rcs_deadlines(pairs):
    """The deadline checks of a batch's chunk: (message id, attempt id) pairs."""
    for message_id, attempt_id in pairs:
        services.check_rcs_deadline(message_id, attempt_id)


def post_simulated_events(events):
    services.post_simulated_events(events)


def reconcile_stuck_messages():
    return services.reconcile_stuck_messages()


def acknowledge_opt_out(event_id):
    services.acknowledge_opt_out(event_id)


def acknowledge_opt_in(event_id):
    services.acknowledge_opt_in(event_id)


def answer_help(event_id):
    services.answer_help(event_id)

"""The simulator's network: its planned events reach us later, as signed webhooks over HTTP.

They are posted to INTERNAL_BASE_URL, the web server as seen from the worker: the public
address may be an https proxy the box cannot reach from inside.
"""

from itertools import groupby

import requests

import jobs
from messaging.providers import get_provider
from sending.services.routing import SIMULATOR, internal_webhook_url

# (connect, read) seconds for posting to our own webhook endpoint.
TIMEOUT = (5.0, 30.0)
# At campaign scale receipts travel together: an event planned after d seconds is posted at
# the first of these moments >= d (a little late, like a real network under load), at most
# MAX_EVENTS_PER_POST to a request. A chunk of a batch makes about a dozen posts, not one
# per message and moment, and the webhooks queue's workers post one request at a time each,
# so the endpoint sees as many requests in flight as there are webhooks workers.
BATCH_MOMENTS = (2, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 2400, 3600)
MAX_EVENTS_PER_POST = 500


class WebhookNotAccepted(Exception):
    """Our own endpoint refused a simulated event; the job fails so RQ keeps it for a look."""


def schedule_events(planned):
    """Schedule the simulator's planned events as jobs, one per moment they happen."""
    by_delay = sorted(planned, key=lambda event: event["delay_seconds"])
    for delay, events in groupby(by_delay, key=lambda event: event["delay_seconds"]):
        jobs.enqueue(
            "sending.tasks.post_simulated_events", list(events), queue=jobs.WEBHOOKS, delay=delay
        )


def batch_moment(delay):
    """When an event planned `delay` seconds after the send is posted in a batch."""
    for moment in BATCH_MOMENTS:
        if delay <= moment:
            return moment
    return int(delay)


def schedule_batch_events(planned):
    """Schedule a batch's planned events grouped by moment, MAX_EVENTS_PER_POST a request."""
    groups = {}
    for event in planned:
        groups.setdefault(batch_moment(event["delay_seconds"]), []).append(event)
    for moment, events in sorted(groups.items()):
        for start in range(0, len(events), MAX_EVENTS_PER_POST):
            jobs.enqueue(
                "sending.tasks.post_simulated_events",
                events[start : start + MAX_EVENTS_PER_POST],
                queue=jobs.WEBHOOKS,
                delay=moment,
            )


def post_webhook(url, body, headers):
    """POST a webhook body to url and return the response (tests replace this seam)."""
    return requests.post(url, data=body, headers=headers, timeout=TIMEOUT)


def post_events(events):
    """Sign events like the simulated network would and post them to our own webhook endpoint."""
    body, headers = get_provider(SIMULATOR).build_webhook(events)
    url = internal_webhook_url(SIMULATOR)
    response = post_webhook(url, body, headers)
    if response.status_code >= 300:
        raise WebhookNotAccepted(f"{response.status_code} from {url}")
    return response.status_code

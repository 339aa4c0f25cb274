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


class WebhookNotAccepted(Exception):
    """Our own endpoint refused a simulated event; the job fails so RQ keeps it for a look."""


def schedule_events(planned):
    """Schedule the simulator's planned events as jobs, one per moment they happen."""
    by_delay = sorted(planned, key=lambda event: event["delay_seconds"])
    for delay, events in groupby(by_delay, key=lambda event: event["delay_seconds"]):
        jobs.enqueue(
            "sending.tasks.post_simulated_events", list(events), queue=jobs.WEBHOOKS, delay=delay
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

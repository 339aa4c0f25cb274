"""The Request-Id of the work being done, from the request into the jobs it enqueues.

The web answers a request under its id (api.request_ids sets it); every job enqueued while that
id is current carries it in its RQ meta, and the worker runs the job (and the jobs that job
enqueues) under the same id, so the log lines of one request can be followed into the workers.
"""

import contextlib
import contextvars
import logging

META_KEY = "request_id"

logger = logging.getLogger(__name__)

_current = contextvars.ContextVar("request_id", default=None)


def current():
    """The id of the request (or of the job's request) being worked on, or None."""
    return _current.get()


def set_current(request_id):
    """Make request_id current until the next set_current (the web's middleware)."""
    _current.set(request_id)


def meta():
    """The RQ meta a job enqueued now carries: the current request id, if any."""
    request_id = current()
    return {META_KEY: request_id} if request_id else {}


@contextlib.contextmanager
def carried_by(job):
    """Work on an RQ job under the request id in its meta (none: under no id), saying so once
    in the log so that the id leads to the job."""
    request_id = (job.meta or {}).get(META_KEY)
    token = _current.set(request_id)
    try:
        if request_id:
            logger.info("Job %s (%s) runs for request %s", job.id, job.func_name, request_id)
        yield request_id
    finally:
        _current.reset(token)

"""`@idempotent`: a POST handler that is safe to retry with the same Idempotency-Key."""

import functools
import json
from typing import Annotated

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from ninja import Header, Status

from api.models import IDEMPOTENCY_KEY_MAX, IdempotencyRecord, request_fingerprint
from api.types import Text

HEADER = "Idempotency-Key"

# The header as an @idempotent handler declares it: `idempotency_key: IdempotencyKey = None`.
IdempotencyKey = Annotated[
    Text | None,
    Header(
        alias=HEADER,
        max_length=IDEMPOTENCY_KEY_MAX,
        description="Any unique string (a UUID is ideal) to make retries safe.",
    ),
]


def _replay(record):
    response = JsonResponse(record.response_body, status=record.response_status)
    for name, value in record.response_headers.items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


def _set_headers(response, before):
    """The headers the handler set on ninja's temporal response (to repeat them on a replay)."""
    if response is None:
        return {}
    return {name: value for name, value in response.items() if before.get(name) != value}


def _body(request):
    """The request body for its fingerprint: the JSON value, or the text of a body a handler
    that takes none ignored (an action such as cancel sent with a stray body)."""
    if not request.body:
        return None
    try:
        return json.loads(request.body)
    except ValueError:
        return request.body.decode("utf-8", "replace")


def idempotent(handler):
    """Run handler in one transaction with its stored answer; a repeat with the same
    Idempotency-Key gets that answer again and runs nothing.

    The handler declares the header as its `idempotency_key` parameter (validated by ninja),
    returns `Status(code, body)` and may set headers on its `response: HttpResponse`
    parameter. A refusal (any exception) is not remembered, so the caller may fix the cause
    and retry with the same key; a key reused with another body raises IdempotencyConflict.
    """

    @functools.wraps(handler)
    def wrapper(request, *args, **kwargs):
        key = kwargs.get("idempotency_key")
        record = None
        if key:
            body = _body(request)
            fingerprint = request_fingerprint(request.method, request.path, body)
            record, finished = IdempotencyRecord.claim(request.auth, key, fingerprint)
            if finished is not None:
                return _replay(finished)
        temporal = next((v for v in kwargs.values() if isinstance(v, HttpResponse)), None)
        before = dict(temporal.items()) if temporal is not None else {}
        try:
            # The work and the stored answer commit together: a crash leaves neither.
            with transaction.atomic():
                result = handler(request, *args, **kwargs)
                if record is not None:
                    status, value = (
                        (result.status_code, result.value)
                        if isinstance(result, Status)
                        else (200, result)
                    )
                    stored = json.loads(json.dumps(value, cls=DjangoJSONEncoder))
                    record.finish(status, stored, _set_headers(temporal, before))
        except BaseException:
            if record is not None:
                record.release()
            raise
        return result

    return wrapper

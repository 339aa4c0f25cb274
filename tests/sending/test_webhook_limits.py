"""Webhook bodies that are too big, too deep or posted without the final slash: a clear 4xx or
the usual answer, never a 500, and nothing worse than a warning in the log."""

import base64
import io
import json

import pytest
from django.test import Client, RequestFactory

from messaging.providers.rbm import goog_signature
from messaging.providers.simulator import SIGNATURE_HEADER as SIMULATOR_SIGNATURE
from sending import webhooks
from sending.models import Event
from tests.support.logs import errors_logged
from tests.support.providers import CLIENT_TOKEN, make_simulator
from tests.support.webhooks import SEEDED_ATTEMPT_ID

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("webhook_providers")]
SIMULATOR = make_simulator()  # signs like the fixture's simulator: same secret
DEEP = 1_000


def nested(depth):
    return "[" * depth + "]" * depth


def post(path, body, headers=None, content_type="application/json"):
    # No raise_request_exception: a crash must show as the 500 the provider would get.
    client = Client(raise_request_exception=False)
    return client.generic("POST", path, data=body, content_type=content_type, headers=headers)


def post_simulator(body, path="/webhooks/simulator/"):
    return post(path, body, {SIMULATOR_SIGNATURE: SIMULATOR.sign(body)})


def delivered_event_body():
    events = [{"eventId": "ev-1", "type": "delivered", "attemptId": str(SEEDED_ATTEMPT_ID)}]
    return json.dumps({"events": events}).encode()


@pytest.mark.parametrize(
    "body",
    [
        nested(DEEP),
        f'{{"clientToken": "{CLIENT_TOKEN}", "secret": {nested(DEEP)}}}',
        f'{{"message": {{"data": {nested(DEEP)}}}}}',
    ],
    ids=["array", "handshake", "envelope"],
)
def test_deeply_nested_unsigned_rbm_body_is_refused_403(caplog, body):
    response = post("/webhooks/rbm/", body.encode())
    assert response.status_code == 403
    assert not errors_logged(caplog)


def test_deeply_nested_signed_rbm_message_data_is_refused_403(caplog):
    data = nested(DEEP).encode()
    envelope = json.dumps({"message": {"data": base64.b64encode(data).decode()}}).encode()
    headers = {"X-Goog-Signature": goog_signature(CLIENT_TOKEN, data)}
    response = post("/webhooks/rbm/", envelope, headers)
    assert response.status_code == 403
    assert not errors_logged(caplog)


@pytest.mark.parametrize(
    "body",
    [nested(DEEP), '{"events": [{"eventId": "e1", "text": ' + nested(DEEP) + "}]}"],
    ids=["array", "inside-an-event"],
)
def test_deeply_nested_signed_simulator_body_is_refused_403(caplog, body):
    response = post_simulator(body.encode())
    assert response.status_code == 403
    assert not Event.objects.filter(provider_event_id="e1").exists()
    assert not errors_logged(caplog)


def test_handshake_is_answered_only_when_small_and_flat():
    small = json.dumps({"clientToken": CLIENT_TOKEN, "secret": "7312509426458936152"}).encode()
    assert post("/webhooks/rbm/", small).content == b"7312509426458936152"
    padded = json.dumps({"clientToken": CLIENT_TOKEN, "secret": "1" * 2000}).encode()
    assert post("/webhooks/rbm/", padded).status_code == 403
    nested_secret = json.dumps({"clientToken": CLIENT_TOKEN, "secret": ["1"]}).encode()
    assert post("/webhooks/rbm/", nested_secret).status_code == 403


def test_body_over_one_megabyte_is_refused_413(caplog):
    body = delivered_event_body()
    body = body[:-1] + b', "pad": "' + b"x" * webhooks.MAX_BODY_BYTES + b'"}'
    response = post_simulator(body)
    assert response.status_code == 413
    assert not Event.objects.filter(provider_event_id="ev-1").exists()
    assert not errors_logged(caplog)


def test_body_of_exactly_the_limit_is_read():
    body = delivered_event_body()
    padding = webhooks.MAX_BODY_BYTES - len(body) - len(', "pad": ""')
    body = body[:-1] + b', "pad": "' + b"x" * padding + b'"}'
    assert len(body) == webhooks.MAX_BODY_BYTES
    assert post_simulator(body).status_code == 200
    assert Event.objects.filter(provider_event_id="ev-1").exists()


class Unreadable(io.RawIOBase):
    """A request stream that fails the test if the view reads from it."""

    def read(self, size=-1):
        raise AssertionError("the body was read")

    readinto = read


def test_oversized_body_is_refused_without_reading_it():
    request = RequestFactory().post("/webhooks/simulator/", content_type="application/json")
    request.META["CONTENT_LENGTH"] = str(50 * 1024 * 1024)
    request.META["wsgi.input"] = Unreadable()
    request._stream = Unreadable()
    response = webhooks.webhook_receive(request, "simulator")
    assert response.status_code == 413


def test_body_over_django_upload_limit_is_413_too(settings, caplog):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    response = post_simulator(delivered_event_body() + b" " * 200)
    assert response.status_code == 413
    assert not errors_logged(caplog)


def test_webhook_posted_without_the_final_slash_is_recorded(caplog):
    response = post_simulator(delivered_event_body(), path="/webhooks/simulator")
    assert response.status_code == 200
    assert Event.objects.filter(provider_event_id="ev-1").exists()
    assert not errors_logged(caplog)


def test_unknown_provider_without_the_final_slash_is_404():
    assert post("/webhooks/nobody", b"{}").status_code == 404

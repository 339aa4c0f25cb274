"""POST/GET/PATCH/DELETE /api/v1/webhook-endpoints and rotate-secret: the key's mode decides
the endpoint's, the secret is shown once, bad input is a problem naming the field."""

import pytest
from django.test import Client

from api.models import ApiKey
from integrations.models import WebhookEndpoint
from tests.factories import make_api_key
from tests.support.api import bearer

pytestmark = pytest.mark.django_db

BASE = "/api/v1/webhook-endpoints"


@pytest.fixture
def keys(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    _test, test_key = make_api_key(mode=ApiKey.Mode.TEST)
    _live, live_key = make_api_key(mode=ApiKey.Mode.LIVE)
    return bearer(test_key), bearer(live_key)


def call(method, path, headers, body=None):
    client = Client()
    kwargs = {"headers": headers}
    if body is not None:
        kwargs.update(data=body, content_type="application/json")
    return getattr(client, method)(path, **kwargs)


def public_dns(monkeypatch):
    import socket

    def fake(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port))]

    monkeypatch.setattr(socket, "getaddrinfo", fake)


def test_create_shows_the_secret_once_and_takes_the_keys_mode(keys, monkeypatch):
    public_dns(monkeypatch)
    test, live = keys
    body = {"url": "https://shop.example.com/hooks", "events": ["message.delivered"]}

    created = call("post", BASE, test, body)

    assert created.status_code == 201, created.content
    data = created.json()
    assert data["mode"] == "test"
    assert data["secret"].startswith("whsec_")
    assert data["events"] == ["message.delivered"]
    endpoint = WebhookEndpoint.objects.get(public_id=data["id"])
    assert endpoint.secret == data["secret"]
    listed = call("get", BASE, test).json()["results"]
    assert [item["id"] for item in listed] == [data["id"]]
    assert "secret" not in listed[0]
    assert "secret" not in call("get", f"{BASE}/{data['id']}", test).json()
    # A live key neither lists nor reaches the test endpoint.
    assert call("get", BASE, live).json()["results"] == []
    assert call("get", f"{BASE}/{data['id']}", live).status_code == 404
    assert call("delete", f"{BASE}/{data['id']}", live).status_code == 404


def test_patch_rotate_and_delete(keys, monkeypatch):
    public_dns(monkeypatch)
    test, _live = keys
    body = {"url": "https://shop.example.com/hooks", "events": ["message.sent"]}
    data = call("post", BASE, test, body).json()
    path = f"{BASE}/{data['id']}"

    patched = call("patch", path, test, {"events": ["message.read", "message.read"]})
    assert patched.status_code == 200
    assert patched.json()["events"] == ["message.read"]
    assert patched.json()["url"] == body["url"]

    rotated = call("post", f"{path}/rotate-secret", test)
    assert rotated.status_code == 200
    assert rotated.json()["secret"] != data["secret"]
    assert WebhookEndpoint.objects.get().secret == rotated.json()["secret"]

    assert call("delete", path, test).status_code == 204
    assert not WebhookEndpoint.objects.exists()
    assert call("get", path, test).status_code == 404


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"url": "ftp://shop.example.com/x", "events": ["message.sent"]}, "url", "url_scheme"),
        ({"url": "https://shop.example.com/x", "events": ["message.lost"]}, "events[0]", "enum"),
        ({"url": "https://shop.example.com/x", "events": []}, "events", "too_short"),
        ({"url": "https://shop.example.com/x"}, "events", "missing"),
        ({"url": "https://10.0.0.8/x", "events": ["message.sent"]}, "url", "url_not_allowed"),
        ({"url": "http://169.254.169.254/", "events": ["message.sent"]}, "url", "url_not_allowed"),
        (
            {"url": "https://shop.example.com/x", "events": ["message.sent"], "secret": "x"},
            "secret",
            "extra_forbidden",
        ),
    ],
)
def test_bad_input_is_a_problem_naming_the_field(keys, monkeypatch, body, field, code):
    test, _live = keys
    import socket

    real = socket.getaddrinfo

    def fake(host, port, *args, **kwargs):
        if host == "shop.example.com":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    response = call("post", BASE, test, body)

    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert (errors[0]["field"], errors[0]["code"]) == (field, code), errors
    assert not WebhookEndpoint.objects.exists()


def test_the_openapi_schema_documents_the_endpoints(keys):
    schema = Client().get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert set(paths[BASE]) == {"get", "post"}
    assert set(paths[BASE + "/{endpoint_id}"]) == {"get", "patch", "delete"}
    assert "post" in paths[BASE + "/{endpoint_id}/rotate-secret"]
    created = paths[BASE]["post"]["responses"]["201"]["content"]["application/json"]
    assert created["schema"]["$ref"].endswith("EndpointWithSecret")
    assert "application/problem+json" in paths[BASE]["post"]["responses"]["422"]["content"]


def test_create_with_an_idempotency_key_makes_one_endpoint(keys, monkeypatch):
    public_dns(monkeypatch)
    test, _live = keys
    headers = {**test, "Idempotency-Key": "hook-1"}
    body = {"url": "https://shop.example.com/hooks", "events": ["message.sent"]}

    first = call("post", BASE, headers, body)
    second = call("post", BASE, headers, body)

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] == second.json()["id"]
    assert WebhookEndpoint.objects.count() == 1

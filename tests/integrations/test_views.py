"""The Webhooks page: add, edit, rotate, disable/enable, delete, resend; viewers only read."""

import pytest
from django.core.exceptions import ObjectDoesNotExist
from django.test import Client

from integrations.models import WebhookDelivery, WebhookEndpoint
from tests.integrations.support import make_endpoint
from tests.support.views import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def marketer(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    client = Client()
    signed_in(client)
    return client


def test_adding_an_endpoint_shows_its_secret_once(marketer, jobs):
    response = marketer.post(
        "/settings/webhooks/new/?mode=test",
        {"url": "http://127.0.0.1:9/hooks", "description": "CRM", "events": ["message.sent"]},
    )
    endpoint = WebhookEndpoint.objects.get()
    assert response.status_code == 302
    assert (endpoint.mode, endpoint.events) == ("test", ["message.sent"])

    first = marketer.get(response["Location"])
    assert endpoint.secret in first.content.decode()
    again = marketer.get(response["Location"])
    assert endpoint.secret not in again.content.decode()

    rotated = marketer.post(f"/settings/webhooks/{endpoint.pk}/rotate-secret/", follow=True)
    endpoint.refresh_from_db()
    assert endpoint.secret in rotated.content.decode()


def test_a_private_url_is_refused_next_to_the_field(marketer, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    response = marketer.post(
        "/settings/webhooks/new/", {"url": "http://10.0.0.3/hooks", "events": ["message.sent"]}
    )
    assert response.status_code == 200
    assert "cannot be sent to this URL" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_the_list_shows_the_mode_looked_at(marketer):
    make_endpoint("https://live.example/hooks", mode="live")
    make_endpoint("https://test.example/hooks", mode="test")
    assert "live.example" in marketer.get("/settings/webhooks/").content.decode()
    assert "test.example" not in marketer.get("/settings/webhooks/").content.decode()
    assert "test.example" in marketer.get("/settings/webhooks/?mode=test").content.decode()


def test_the_log_resend_disable_enable_and_delete(marketer, jobs):
    endpoint = make_endpoint("http://127.0.0.1:9/hooks")
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        type="message.sent",
        payload={"id": "x"},
        status="failed",
        attempts=4,
        response_code=500,
    )
    page = marketer.get(f"/settings/webhooks/{endpoint.pk}/").content.decode()
    assert "message.sent" in page and "500" in page and "Resend" in page

    marketer.post(f"/settings/webhooks/deliveries/{delivery.pk}/resend/")
    delivery.refresh_from_db()
    assert delivery.status == "pending"
    assert [job.name for job in jobs.pending] == ["deliver"]

    marketer.post(f"/settings/webhooks/{endpoint.pk}/toggle/")
    endpoint.refresh_from_db()
    assert not endpoint.enabled
    marketer.post(f"/settings/webhooks/{endpoint.pk}/toggle/")
    endpoint.refresh_from_db()
    assert endpoint.enabled

    marketer.post(f"/settings/webhooks/{endpoint.pk}/delete/")
    with pytest.raises(ObjectDoesNotExist):
        endpoint.refresh_from_db()


def test_a_viewer_reads_but_cannot_change(settings):
    client = Client()
    signed_in(client, role="Viewer")
    endpoint = make_endpoint("https://shop.example/hooks", mode="live")
    assert client.get("/settings/webhooks/").status_code == 200
    assert client.post(f"/settings/webhooks/{endpoint.pk}/delete/").status_code == 403
    assert WebhookEndpoint.objects.exists()

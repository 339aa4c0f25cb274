"""The shop webhook checks the signature on the raw body before anything else, refuses big
bodies, answers WooCommerce's ping, and records each delivery once."""

import pytest
from django.urls import reverse
from django.utils import translation

from integrations.shops.models import ShopEvent
from tests.support.shops import fixture, make_shop, post_webhook, signature

pytestmark = pytest.mark.django_db
ORDER = "shopify_orders_create.json"


@pytest.mark.parametrize(
    ("platform", "name", "topic"),
    [
        ("shopify", "shopify_orders_create.json", "orders/create"),
        ("woocommerce", "woocommerce_order_created.json", "order.created"),
    ],
)
def test_a_signed_webhook_is_recorded_and_queued(client, jobs, platform, name, topic):
    shop = make_shop(platform)
    response = post_webhook(client, shop, fixture(name), topic, delivery_id="d-1")
    assert response.status_code == 200
    event = ShopEvent.objects.get()
    assert (event.shop, event.delivery_id, event.topic, event.status) == (
        shop,
        "d-1",
        topic,
        "received",
    )
    assert event.test_mode is False
    assert [(job.name, job.args, job.queue) for job in jobs.pending] == [
        ("process_event", (event.pk,), "webhooks")
    ]


@pytest.mark.parametrize(
    "tamper",
    ["wrong secret", "body changed by one byte", "missing header", "garbage signature"],
)
def test_a_webhook_not_signed_by_the_shop_is_refused_and_writes_nothing(client, jobs, tamper):
    shop = make_shop()
    body = fixture(ORDER)
    if tamper == "wrong secret":
        response = post_webhook(client, shop, body, "orders/create", secret="not-the-secret")
    elif tamper == "body changed by one byte":
        signed = signature(shop.webhook_secret, body)
        changed = body.replace(b'"77.90"', b'"77.91"')
        assert len(changed) == len(body) and changed != body
        response = post_webhook(
            client, shop, changed, "orders/create", sign=False, X_Shopify_Hmac_Sha256=signed
        )
    elif tamper == "missing header":
        response = post_webhook(client, shop, body, "orders/create", sign=False)
    else:
        response = post_webhook(
            client, shop, body, "orders/create", sign=False, X_Shopify_Hmac_Sha256="AAAA"
        )
    assert response.status_code == 401
    assert not ShopEvent.objects.exists()
    assert jobs.pending == []


def test_the_woocommerce_signature_is_read_from_its_own_header(client, jobs):
    shop = make_shop("woocommerce")
    body = fixture("woocommerce_order_created.json")
    # Shopify's header on a WooCommerce shop proves nothing.
    response = post_webhook(
        client,
        shop,
        body,
        "order.created",
        sign=False,
        X_Shopify_Hmac_Sha256=signature(shop.webhook_secret, body),
    )
    assert response.status_code == 401
    assert not ShopEvent.objects.exists()


def test_a_redelivery_with_the_same_id_is_recorded_once(client, jobs):
    shop = make_shop()
    body = fixture(ORDER)
    first = post_webhook(client, shop, body, "orders/create", delivery_id="b3c1-77")
    again = post_webhook(client, shop, body, "orders/create", delivery_id="b3c1-77")
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == {"status": "duplicate"}
    assert ShopEvent.objects.count() == 1
    assert len(jobs.pending) == 1


def test_the_same_delivery_id_at_two_shops_is_two_events(client, jobs):
    one, two = make_shop(), make_shop(name="Autre boutique", domain="autre.myshopify.com")
    for shop in (one, two):
        post_webhook(client, shop, fixture(ORDER), "orders/create", delivery_id="same")
    assert ShopEvent.objects.count() == 2


def test_an_unknown_shop_gets_404(client, jobs):
    url = reverse("integrations:shop_webhook", args=["no-such-shop"])
    response = client.post(url, data=b"{}", content_type="application/json")
    assert response.status_code == 404
    assert not ShopEvent.objects.exists()


def test_a_body_over_one_megabyte_is_refused_before_it_is_read(client, jobs):
    shop = make_shop()
    body = b'{"pad": "' + b"x" * (1024 * 1024) + b'"}'
    response = post_webhook(client, shop, body, "orders/create")
    assert response.status_code == 413
    assert not ShopEvent.objects.exists()


def test_woocommerce_creation_ping_is_answered_and_ignored(client, jobs):
    shop = make_shop("woocommerce")
    response = client.post(
        reverse("integrations:shop_webhook", args=[shop.public_id]),
        data=b"webhook_id=41",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert response.json() == {"status": "ping"}
    assert not ShopEvent.objects.exists()
    assert jobs.pending == []


def test_malformed_json_with_a_good_signature_is_400_and_kept_for_the_log(client, jobs, caplog):
    shop = make_shop()
    body = b'{"id": 6120045938772, "name": "#2318",'
    response = post_webhook(client, shop, body, "orders/create", delivery_id="broken-1")
    assert response.status_code == 400
    assert "malformed JSON" in response.json()["detail"]
    event = ShopEvent.objects.get()
    assert event.status == "malformed"
    assert event.raw_excerpt == body.decode()
    assert event.reason_code == "malformed_json"
    # Worded when read, in the reader's language (the request left French active).
    with translation.override("en"):
        assert event.reason.startswith("The body is not valid JSON: Expecting")
    assert jobs.pending == []
    assert "malformed JSON" in caplog.text


def test_a_json_body_that_is_no_object_is_400_and_logged_as_such(client, jobs):
    shop = make_shop()
    response = post_webhook(client, shop, b"[1, 2]", "orders/create", delivery_id="list-1")
    assert response.status_code == 400
    assert response.json()["detail"] == "malformed JSON: the body is JSON but not an object"
    event = ShopEvent.objects.get()
    assert (event.status, event.reason_code) == ("malformed", "not_an_object")
    with translation.override("en"):
        assert event.reason == "The body is JSON but not an object."


def test_a_get_is_not_a_webhook(client):
    shop = make_shop()
    response = client.get(reverse("integrations:shop_webhook", args=[shop.public_id]))
    assert response.status_code == 405

"""The Shops screens: add a shop, its webhook address and instructions, a mapping, the test
event, and the event log with test and live apart."""

import pytest
from django.urls import reverse

from integrations.shops.models import Shop, ShopEvent, ShopMapping
from sending.models import Message
from tests.support.shops import fixture, make_mapping, make_shop, order_template, post_webhook
from tests.support.views import signed_in

pytestmark = pytest.mark.django_db


def test_a_marketer_adds_a_shopify_shop_and_gets_its_address_and_steps(client):
    user = signed_in(client)
    response = client.post(
        reverse("integrations:shop_create"),
        {
            "platform": "shopify",
            "name": "Atelier Inès",
            "domain": "https://atelier-ines.myshopify.com/",
            "webhook_secret": "shpss_abc",
            "mode": "live",
        },
    )
    shop = Shop.objects.get()
    assert response.url == reverse("integrations:shop_detail", args=[shop.pk])
    assert (shop.domain, shop.created_by, shop.mode) == ("atelier-ines.myshopify.com", user, "live")
    assert len(shop.public_id) >= 32
    page = client.get(response.url).content.decode()
    assert f"/hooks/shops/{shop.public_id}/" in page
    assert "Settings → Notifications → Webhooks" in page
    assert "WooCommerce → Settings" not in page


def test_a_woocommerce_shop_gets_woocommerces_steps(client):
    signed_in(client)
    shop = make_shop("woocommerce")
    page = client.get(reverse("integrations:shop_detail", args=[shop.pk])).content.decode()
    assert "WooCommerce → Settings → Advanced → Webhooks" in page


def test_a_viewer_cannot_add_a_shop(client):
    signed_in(client, role="Viewer")
    response = client.post(
        reverse("integrations:shop_create"),
        {"platform": "shopify", "name": "x", "domain": "x.example", "webhook_secret": "s"},
    )
    assert response.status_code == 403
    assert not Shop.objects.exists()


def test_the_mapping_screen_proposes_the_order_template_and_its_fields(client):
    signed_in(client)
    shop = make_shop()
    template, _version = order_template()
    url = reverse("integrations:mapping_create", args=[shop.pk]) + "?topic=orders/create"
    page = client.get(url).content.decode()
    # The order confirmation is proposed for orders/create, its variables pre-filled.
    assert f'<option value="{template.pk}" selected>' in page
    assert 'value="@first_name"' in page
    # The sample's tree, with its values.
    assert 'data-path="customer.sms_marketing_consent.state"' in page
    assert "Camille" in page


def test_a_mapping_is_saved_with_paths_fixed_values_and_defaults(client):
    signed_in(client)
    shop = make_shop()
    template, _version = order_template()
    response = client.post(
        reverse("integrations:mapping_create", args=[shop.pk]),
        {
            "topic": "orders/create",
            "status": "",
            "template": template.pk,
            "path__prenom": "customer.first_name",
            "default__prenom": "client",
            "path__numero_commande": "name",
            "fixed__montant": "offert",
            "enabled": "on",
        },
    )
    mapping = ShopMapping.objects.get()
    assert mapping.enabled
    assert response.url == reverse("integrations:mapping_edit", args=[shop.pk, mapping.pk])
    assert mapping.fields == {
        "prenom": {"path": "customer.first_name", "default": "client"},
        "numero_commande": {"path": "name"},
        "montant": {"fixed": "offert"},
    }


def test_showing_the_variables_saves_nothing(client):
    signed_in(client)
    shop = make_shop()
    template, _version = order_template()
    response = client.post(
        reverse("integrations:mapping_create", args=[shop.pk]),
        {"topic": "orders/create", "template": template.pk, "refresh": "1"},
    )
    assert response.status_code == 200
    assert not ShopMapping.objects.exists()


def test_the_test_event_goes_through_the_pipeline_in_test_mode(client, jobs):
    signed_in(client)
    shop = make_shop()  # a live shop: the test event still writes test data only
    template, _version = order_template()
    mapping = make_mapping(
        shop,
        template,
        "orders/create",
        prenom={"path": "@first_name"},
        numero_commande={"path": "@order_number"},
        montant={"path": "@total"},
    )
    url = reverse("integrations:mapping_test", args=[shop.pk, mapping.pk])
    response = client.post(url)
    event = ShopEvent.objects.get()
    assert response.url.endswith(f"?event={event.pk}#test-result")
    assert (event.is_test_event, event.test_mode, event.status) == (True, True, "received")
    jobs.run(until=0)
    event.refresh_from_db()
    assert event.status == "sent", event.reason
    message = Message.objects.get()
    assert message.test_mode is True
    assert message.contact.phone == "+33699000001"
    assert message.sms_text == "Merci Camille ! Commande #1042 : 59.80 EUR."
    page = client.get(response.url).content.decode()
    assert "Merci Camille ! Commande #1042 : 59.80 EUR." in page

    # A second click sends again (its own delivery id), still in test mode.
    client.post(url)
    jobs.run(until=0)
    assert Message.objects.filter(test_mode=True).count() == 2


def test_the_log_shows_live_events_and_test_events_apart(client, jobs):
    signed_in(client)
    shop = make_shop()
    post_webhook(
        client, shop, fixture("shopify_orders_create.json"), "orders/create", delivery_id="live-1"
    )
    ShopEvent.objects.create(
        shop=shop,
        delivery_id="relais-test-1",
        topic="orders/paid",
        test_mode=True,
        is_test_event=True,
    )
    url = reverse("integrations:shop_detail", args=[shop.pk])
    live = client.get(url).content.decode()
    test = client.get(url + "?mode=test").content.decode()
    assert "live-1" in live and "relais-test-1" not in live
    assert "relais-test-1" in test and "live-1" not in test


def test_an_event_page_shows_the_payload(client, jobs):
    signed_in(client)
    shop = make_shop()
    post_webhook(client, shop, fixture("shopify_orders_create.json"), "orders/create")
    event = ShopEvent.objects.get()
    page = client.get(reverse("integrations:shop_event", args=[event.pk])).content.decode()
    assert "Pull col roulé mérinos" in page
    assert "Signature verified" in page


def test_editing_a_shop_never_shows_its_secret_and_keeps_it_when_left_empty(client):
    signed_in(client)
    shop = make_shop()
    url = reverse("integrations:shop_edit", args=[shop.pk])
    assert shop.webhook_secret not in client.get(url).content.decode()
    client.post(
        url,
        {
            "platform": "shopify",
            "name": "Atelier Inès & Co",
            "domain": shop.domain,
            "webhook_secret": "",
            "mode": "live",
        },
    )
    shop.refresh_from_db()
    assert (shop.name, shop.webhook_secret) == ("Atelier Inès & Co", "shpss_4f1c0e7a9b2d46e8a1c3")


def test_a_mapping_turned_off_sends_nothing(client, jobs, settings):
    settings.LANGUAGE_CODE = "en"
    signed_in(client)
    shop = make_shop()
    template, _version = order_template()
    mapping = make_mapping(shop, template, "orders/create", prenom={"fixed": "Inès"})
    client.post(
        reverse("integrations:mapping_edit", args=[shop.pk, mapping.pk]),
        {
            "topic": "orders/create",
            "status": "",
            "template": template.pk,
            "fixed__prenom": "x",
            "path__numero_commande": "name",
        },
    )
    mapping.refresh_from_db()
    assert mapping.enabled is False
    post_webhook(client, shop, fixture("shopify_orders_create.json"), "orders/create")
    jobs.run(until=0)
    assert ShopEvent.objects.get().reason == "No mapping for orders/create: nothing to send."
    assert not Message.objects.exists()


def test_a_mapping_leaving_a_required_variable_without_a_value_is_refused_at_once(client):
    # Saved, it would fail every order the shop sends: the screen says so at the variable.
    signed_in(client)
    client.cookies["django_language"] = "en"
    shop = make_shop()
    template, _version = order_template()
    response = client.post(
        reverse("integrations:mapping_create", args=[shop.pk]),
        {
            "topic": "orders/create",
            "template": template.pk,
            "enabled": "on",
            "path__prenom": "customer.first_name",
            "default__numero_commande": "",
        },
    )
    assert response.status_code == 200
    assert not ShopMapping.objects.exists()
    page = response.content.decode()
    assert page.count("The template requires this variable") == 1
    assert 'id="id_path__numero_commande-error"' in page
    # montant has a default of its own in the template: it may stay empty.
    response = client.post(
        reverse("integrations:mapping_create", args=[shop.pk]),
        {
            "topic": "orders/create",
            "template": template.pk,
            "enabled": "on",
            "path__prenom": "customer.first_name",
            "default__numero_commande": "—",
        },
    )
    assert response.status_code == 302
    assert ShopMapping.objects.get().fields["numero_commande"] == {"default": "—"}


def test_a_webhook_refused_for_its_signature_is_told_on_the_shops_page_until_one_gets_in(client):
    # Nothing is recorded for a bad signature; a wrong secret would otherwise look like silence.
    signed_in(client)
    client.cookies["django_language"] = "en"
    shop = make_shop()
    url = reverse("integrations:shop_detail", args=[shop.pk])
    assert "data-refusal" not in client.get(url).content.decode()

    body = fixture("shopify_orders_create.json")
    response = post_webhook(client, shop, body, "orders/create", secret="an-old-secret")
    assert response.status_code == 401
    page = client.get(url).content.decode()
    assert "data-refusal" in page
    assert "Its signature does not match the secret saved here" in page
    assert not ShopEvent.objects.exists()

    assert post_webhook(client, shop, body, "orders/create").status_code == 200
    assert "data-refusal" not in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("public_base_url", "platform", "warning"),
    [
        ("http://localhost:8000", "shopify", "on this machine or a private network"),
        ("http://192.168.1.20:8000", "woocommerce", "on this machine or a private network"),
        ("http://relais.example", "shopify", "https addresses only"),
        ("http://relais.example", "woocommerce", None),
        ("https://relais.example", "shopify", None),
    ],
)
def test_the_shops_page_warns_when_the_shop_cannot_reach_its_address(
    client, settings, public_base_url, platform, warning
):
    settings.PUBLIC_BASE_URL = public_base_url
    signed_in(client)
    client.cookies["django_language"] = "en"
    shop = make_shop(platform)
    page = client.get(reverse("integrations:shop_detail", args=[shop.pk])).content.decode()
    if warning is None:
        assert "data-address-problem" not in page
    else:
        assert "data-address-problem" in page and warning in page


def test_a_failed_events_page_leads_to_the_mapping_that_cures_it(client, jobs, settings):
    settings.LANGUAGE_CODE = "en"
    signed_in(client)
    client.cookies["django_language"] = "en"
    shop = make_shop()
    post_webhook(client, shop, fixture("shopify_orders_create.json"), "orders/create")
    jobs.run(until=0)
    unmapped = ShopEvent.objects.get()
    page = client.get(reverse("integrations:shop_event", args=[unmapped.pk])).content.decode()
    create = reverse("integrations:mapping_create", args=[shop.pk]) + "?topic=orders%2Fcreate"
    assert f'href="{create}" data-fix' in page and "Map this event" in page

    template, _version = order_template()
    mapping = make_mapping(shop, template, "orders/create", prenom={"path": "customer.nickname"})
    post_webhook(client, shop, fixture("shopify_orders_create.json"), "orders/create")
    jobs.run(until=0)
    failed = ShopEvent.objects.get(reason_code="missing_value")
    page = client.get(reverse("integrations:shop_event", args=[failed.pk])).content.decode()
    edit = reverse("integrations:mapping_edit", args=[shop.pk, mapping.pk])
    assert f'href="{edit}" data-fix' in page

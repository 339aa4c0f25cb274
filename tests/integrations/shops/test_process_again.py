"""A failed shop event's page offers to process it again once its cause is fixed: the same
service as the admin's action, so the order's message goes out once."""

import pytest
from django.urls import reverse

from integrations.shops.models import ShopEvent
from sending.models import Message
from tests.support.shops import fixture, make_mapping, make_shop, order_template, post_webhook
from tests.support.views import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def test_a_failed_event_is_processed_again_from_its_page_once_the_mapping_is_fixed(client, jobs):
    signed_in(client)
    client.cookies["django_language"] = "en"
    shop = make_shop()
    template, _version = order_template()
    mapping = make_mapping(shop, template, "orders/create", prenom={"path": "customer.nickname"})
    post_webhook(client, shop, fixture("shopify_orders_create.json"), "orders/create")
    jobs.run(until=0)
    event = ShopEvent.objects.get()
    assert event.status == "failed"
    page_url = reverse("integrations:shop_event", args=[event.pk])
    again = reverse("integrations:shop_event_process_again", args=[event.pk])
    assert f'action="{again}"' in client.get(page_url).text

    mapping.fields = {
        "prenom": {"path": "customer.first_name"},
        "numero_commande": {"path": "name"},
    }
    mapping.save()
    response = client.post(again, follow=True)
    assert "Processing it again" in response.text
    jobs.run(until=0)
    event.refresh_from_db()
    assert event.status == "sent", event.reason
    assert f'action="{again}"' not in client.get(page_url).text

    # Sent now: posting again changes nothing and says why.
    response = client.post(again, follow=True)
    assert "Only a failed event is processed again." in response.text
    jobs.run(until=0)
    assert Message.objects.count() == 1

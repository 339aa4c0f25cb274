"""relais-conversion.js in a real browser, on a shop of another origin: the landing page keeps
the click id, the order-confirmation page hands it to the shop's backend, and the backend's
call to the API credits the clicked message."""

import json
from datetime import timedelta

import pytest
import requests
from django.utils import timezone

from analytics.conversions import Conversion
from tests.factories import make_api_key, make_contact, make_sent_message
from tests.support.api import bearer
from tests.support.conversions import click_id_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOP = "http://shop.test"
# Relais as the shop's pages name it. Chromium refuses a public page a script from a loopback
# address (Private Network Access), so this name is routed to the live server by the test.
RELAIS = "http://relais.test"
# What the shop's backend knows about its order (never taken from the browser).
ORDERS = {"CMD-77": {"value": "59.00", "currency": "EUR"}}


def shop_page(body, **data):
    attributes = " ".join(
        f'data-{name.replace("_", "-")}="{value}"' for name, value in data.items()
    )
    return (
        "<!doctype html><html><body>"
        f"{body}<script defer src='{RELAIS}/static/js/analytics/relais-conversion.js' "
        f"{attributes}></script></body></html>"
    )


@pytest.fixture
def shop(browser, live_server):
    """A page in a browser context where SHOP answers with the pages below and its backend
    forwards each conversion to Relais with a test key; yields (page, what the backend got)."""
    key = make_api_key(mode="test")[1]
    received = []

    def answer(route):
        request = route.request
        path = request.url.removeprefix(SHOP).split("?", 1)[0]
        if path == "/relais/conversion" and request.method == "POST":
            posted = json.loads(request.post_data)
            received.append(posted)
            order = ORDERS[posted["order_id"]]
            relais = requests.post(
                f"{live_server.url}/api/v1/conversions",
                json={"click_id": posted["click_id"], "order_id": posted["order_id"], **order},
                headers=bearer(key),
                timeout=10,
            )
            route.fulfill(status=relais.status_code, body="{}", content_type="application/json")
        elif path == "/soldes":
            route.fulfill(body=shop_page("<h1>Soldes</h1>"), content_type="text/html")
        elif path == "/merci":
            page_html = shop_page(
                "<h1>Merci</h1>",
                order_id="CMD-77",
                endpoint="/relais/conversion",
            )
            route.fulfill(body=page_html, content_type="text/html")
        else:
            route.fulfill(status=404, body="")

    def relais(route):
        served = requests.get(live_server.url + route.request.url.removeprefix(RELAIS), timeout=10)
        route.fulfill(
            status=served.status_code,
            body=served.content,
            content_type=served.headers.get("Content-Type"),
        )

    context = browser.new_context()
    context.route(f"{SHOP}/**", answer)
    context.route(f"{RELAIS}/**", relais)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page, received
    context.close()


def test_the_click_id_of_the_landing_url_reaches_relais_through_the_shop_backend(shop):
    page, received = shop
    buyer = make_contact(test_mode=True)
    now = timezone.now()
    message = make_sent_message(buyer, delivered_at=now - timedelta(days=1))
    clicked = click_id_for(message, now - timedelta(hours=2))

    page.goto(f"{SHOP}/soldes?utm_source=relais&rl_click={clicked}")
    page.wait_for_function("window.RelaisConversion && window.RelaisConversion.clickId()")
    # Browsing on: the landing parameter is gone, the kept click id is not.
    page.goto(f"{SHOP}/merci")
    page.wait_for_function("sessionStorage.getItem('rl_click_sent') === 'CMD-77'")
    page.reload()
    page.wait_for_load_state("load")

    assert received == [{"order_id": "CMD-77", "click_id": clicked}]
    cookie = next(c for c in page.context.cookies(SHOP) if c["name"] == "rl_click")
    assert cookie["value"] == clicked
    assert 4.9 * 86400 < cookie["expires"] - now.timestamp() < 5.1 * 86400
    conversion = Conversion.objects.get()
    assert (conversion.message, conversion.attributed_by, conversion.value) == (
        message,
        "click",
        59,
    )


def test_a_url_parameter_that_is_no_click_id_is_not_kept(shop):
    page, received = shop

    page.goto(f"{SHOP}/soldes?rl_click=%3Cscript%3E")
    page.wait_for_function("window.RelaisConversion !== undefined")
    page.goto(f"{SHOP}/merci")
    page.wait_for_load_state("load")

    assert page.evaluate("window.RelaisConversion.clickId()") is None
    assert received == []
    assert not Conversion.objects.exists()

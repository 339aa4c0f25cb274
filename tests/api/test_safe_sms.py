"""POST /api/v1/messages and the SMS: variables in links are encoded, long SMS are refused."""

import re
from urllib.parse import urlsplit

import pytest

from editor.models import Brand
from sending.models import Message
from tests.factories import make_contact, make_published_template

pytestmark = pytest.mark.django_db

RECIPIENT = "+33612345678"
PHISHING = "X Urgent: confirmez votre carte https://evil.example/login"


@pytest.fixture
def order_template(db):
    """A transactional template whose SMS links to an order page."""
    template, _version = make_published_template(
        slug="commande_prete",
        category="transaction",
        traffic_type="transaction",
        rcs_content={"text": "Votre commande {{ numero_commande }} est prête, {{ prenom }}."},
        sms_fallback=(
            "{{ prenom }}, votre commande est disponible : "
            "https://shop.example/commande/{{ numero_commande }}"
        ),
        variables=[
            {"name": "prenom", "default": None, "sample": "Marie"},
            {"name": "numero_commande", "default": None, "sample": "A123"},
        ],
    )
    make_contact(phone=RECIPIENT, opted_in=True)
    return template


def send(client, template, language="en", **variables):
    body = {
        "template_id": template.slug,
        "recipient": RECIPIENT,
        "variables": {"prenom": "Marie", "numero_commande": "A123", **variables},
        "policy": "sms_only",
    }
    return client.post(
        "/api/v1/messages",
        body,
        content_type="application/json",
        headers={"Accept-Language": language},
    )


def sms_links(response):
    assert response.status_code == 202, response.content
    message = Message.objects.get(public_id=response.json()["id"])
    return re.findall(r"https?://\S+", message.sms_text)


def test_a_link_in_a_variable_stays_inside_the_shops_link(api, order_template):
    links = sms_links(send(api, order_template, numero_commande=PHISHING))

    assert len(links) == 1
    assert urlsplit(links[0]).hostname == "shop.example"
    assert links[0].startswith("https://shop.example/commande/X%20Urgent%3A%20")


def test_a_path_traversal_in_a_variable_stays_in_the_order_path(api, order_template):
    (link,) = sms_links(send(api, order_template, numero_commande="../../../evil.example/"))
    assert link == "https://shop.example/commande/..%2F..%2F..%2Fevil.example%2F"


def test_a_dots_only_variable_in_a_link_is_refused_naming_it(api, order_template):
    response = send(api, order_template, numero_commande="..")
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "variables.numero_commande"
    assert error["code"] == "invalid_variable"
    assert not Message.objects.exists()


def test_a_variable_outside_the_link_stays_plain_text(api, order_template):
    response = send(api, order_template, prenom="Zoé & Jean")
    message = Message.objects.get(public_id=response.json()["id"])
    assert message.sms_text.startswith("Zoé & Jean, votre commande est disponible")


def test_a_655_segment_sms_is_refused_with_422_naming_the_variable(api, order_template):
    response = send(api, order_template, prenom="x" * 100_000)

    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    (error,) = response.json()["errors"]
    assert error["field"] == "variables.prenom"
    assert error["code"] == "sms_too_long"
    assert error["message"] == (
        "The SMS would be 655 segments, the limit is 6: "
        "the variable “prenom” is 100,000 characters."
    )
    assert not Message.objects.exists()


def test_the_limit_is_the_brands(api, order_template):
    seven_segments = "x" * (6 * 153)
    assert send(api, order_template, prenom=seven_segments).status_code == 422

    Brand.objects.filter(pk=order_template.brand_id).update(sms_max_segments=10)
    assert send(api, order_template, prenom=seven_segments).status_code == 202

    Brand.objects.filter(pk=order_template.brand_id).update(sms_max_segments=1)
    response = send(api, order_template, prenom="x" * 150)
    assert response.status_code == 422
    assert "the limit is 1" in response.json()["errors"][0]["message"]


def test_an_rcs_only_message_sends_no_sms_and_is_not_capped(api, order_template):
    body = {
        "template_id": order_template.slug,
        "recipient": RECIPIENT,
        "variables": {"prenom": "Marie", "numero_commande": "A" * 2000},
        "policy": "rcs_only",
    }
    response = api.post("/api/v1/messages", body, content_type="application/json")
    assert response.status_code == 202, response.content

"""The editor's SMS panel shows the brand's segment limit and turns red past it."""

import re

import pytest
from django.conf import settings

from messaging import links
from tests.factories import make_brand, make_template
from tests.support.views import post_json, signed_in

pytestmark = pytest.mark.django_db


def sms_meter(client, template, text):
    response = post_json(client, f"/templates/{template.pk}/preview/", {"sms_fallback": text})
    assert response.status_code == 200
    page = response.content.decode()
    return re.search(r'<div id="sms-meter".*?</div>\s*$', page, re.DOTALL).group()


def segments_shown(meter):
    return " ".join(re.search(r"<span data-segments[^>]*>(.*?)</span>", meter).group(1).split())


def test_the_panel_shows_segments_out_of_the_brands_limit(client):
    signed_in(client)
    template = make_template(traffic_type="transaction", category="transaction")
    meter = sms_meter(client, template, "a" * 200)
    assert segments_shown(meter) == "2 / 6 segments"
    assert "data-over-limit" not in meter
    assert "text-danger" not in meter


def test_past_the_limit_the_panel_turns_red_and_says_why(client):
    signed_in(client)
    brand = make_brand(name="Maison Relais", sms_max_segments=2)
    template = make_template(brand=brand, traffic_type="transaction", category="transaction")
    meter = sms_meter(client, template, "a" * 400)
    assert segments_shown(meter) == "3 / 2 segments"
    assert 'class="text-danger fw-semibold"' in meter
    assert "Too long: the brand “Maison Relais” allows 2 segments per SMS" in meter
    assert "Sends and tests of this SMS are refused" in meter


def test_a_dots_only_sample_in_an_sms_link_previews_by_its_name_instead_of_failing(client):
    signed_in(client)
    template = make_template(variables=[{"name": "prenom", "default": None, "sample": ".."}])
    meter = sms_meter(client, template, "Bonjour https://shop.example/c/{{ prenom }}")
    # The link is shown as the tracked link it becomes, which holds no value to refuse.
    assert f"{settings.LINK_BASE_URL}/l/{links.SAMPLE_CODE}" in meter

"""GET /api/v1/messages/{id} shows what went out: the SMS as sent, each tracked link, the taps."""

import pytest

from analytics.services import drain_clicks
from sending.models import Message
from tests.support.links import code_of, sms_link, tracked

pytestmark = pytest.mark.django_db

REQUEST = {
    "template_id": "promo_soldes_v1",
    "recipient": "+33612345678",
    "variables": {"prenom": "Marie", "duree_offre": "48h"},
}


def test_the_detail_shows_the_tracked_sms_each_link_and_the_link_taps(
    api, client, seed_template, jobs, click_stream
):
    message_id = api.post("/api/v1/messages", REQUEST, content_type="application/json").json()["id"]
    jobs.run(until=0)
    message = Message.objects.get(public_id=message_id)
    client.get(
        f"/l/{code_of(sms_link(message))}",
        headers={"User-Agent": "Mozilla/5.0 (Linux; Android 14) Mobile", "Accept-Language": "fr"},
    )
    drain_clicks()

    body = api.get(f"/api/v1/messages/{message_id}").json()

    assert body["sms_text"] == f"Marie, -40 % pendant 48h : {sms_link(message)}\nSTOP au 36111"
    assert body["links"] == [
        {
            "cta_id": "cta_offres01",
            "channel": "rcs",
            "url": "https://shop.example/soldes",
            "tracked_url": tracked(message, 0),
        },
        {
            "cta_id": "cta_offres01",
            "channel": "sms",
            "url": "https://shop.example/soldes",
            "tracked_url": tracked(message, 1),
        },
    ]
    [tap] = [event for event in body["events"] if event["source"] == "link"]
    assert tap["type"] == "clicked" and tap["kind"] == "human"
    assert (tap["cta_id"], tap["channel"]) == ("cta_offres01", "sms")
    assert {event["source"] for event in body["events"]} <= {"provider", "link"}

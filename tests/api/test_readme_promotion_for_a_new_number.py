"""The README's promotion example works for a number the shop opted in through the API."""

import json

NUMBER = "+33612345699"
PROMOTION = {
    "template_id": "promo_soldes_v1",
    "recipient": NUMBER,
    "variables": {"prenom": "Marie", "duree_offre": "48h"},
}


def post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def test_a_number_opted_in_through_the_api_gets_the_promotion(api, seed_template):
    before = post(api, "/api/v1/messages", PROMOTION)
    assert before.status_code == 422 and before.json()["code"] == "no_consent"

    opted_in = post(
        api,
        "/api/v1/contacts",
        {
            "phone": NUMBER,
            "consent": {
                "status": "opt_in",
                "source": "web_form",
                "wording": "J'accepte de recevoir les offres de Maison Relais par SMS et RCS.",
            },
        },
    )
    assert opted_in.status_code in (200, 201), opted_in.content

    sent = post(api, "/api/v1/messages", PROMOTION)
    assert sent.status_code == 202, sent.content


def test_an_opt_out_through_the_api_stops_it_again(api, seed_template):
    post(
        api,
        "/api/v1/contacts",
        {"phone": NUMBER, "consent": {"status": "opt_in", "wording": "Oui aux offres."}},
    )
    post(api, "/api/v1/contacts", {"phone": NUMBER, "consent": {"status": "opt_out"}})

    refused = post(api, "/api/v1/messages", PROMOTION)
    assert refused.status_code == 422 and refused.json()["code"] == "recipient_opted_out"

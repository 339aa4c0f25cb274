"""The editor's "Generate from the RCS content" button and the SMS panel's notes on it."""

import pytest

from editor.library import use_library_template
from tests.factories import make_brand, make_template
from tests.support.views import card_content, post_json, signed_in

pytestmark = pytest.mark.django_db


def generate(client, template, state=None):
    response = post_json(client, f"/templates/{template.pk}/fallback/generate/", state or {})
    assert response.status_code == 200, response.content
    return response.json()


def panel(client, template, state):
    response = post_json(client, f"/templates/{template.pk}/preview/", state)
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index('id="sms-meter"') :]


def test_generate_on_the_flash_sale_keeps_sentences_and_takes_the_see_all_link(client):
    signed_in(client)
    template = use_library_template("flash_sale", make_brand(), language="fr")

    data = generate(client, template)

    assert data["text"] == (
        "{{ prenom }}, les soldes -40 % ont commencé !\n"
        "Pendant {{ duree_offre }} seulement : -40 % sur une sélection mode femme et homme.\n"
        "https://shop.example/soldes"
    )
    assert (data["segments"], data["encoding"], data["fits"]) == (1, "GSM-7", True)
    assert "Link of the button “Voir toutes les offres”." in data["message"]


def test_generate_on_a_carousel_names_every_card(client):
    signed_in(client)
    template = use_library_template("product_launch", make_brand(), language="en")

    text = generate(client, template)["text"]

    assert text.startswith("The Lumière collection, Aube lamp, Zénith lamp\n")


def test_generate_counts_the_posted_sample_values(client):
    signed_in(client)
    template = make_template()
    long_name = [{"name": "prenom", "default": None, "sample": "M" * 90}]

    short = generate(client, template)["text"]
    long = generate(client, template, {"variables": long_name})["text"]

    assert (
        short == "{{ prenom }}, -40 % sur tout\nSeulement ce week-end.\nhttps://shop.example/soldes"
    )
    assert long == "{{ prenom }}, -40 % sur tout\nhttps://shop.example/soldes"


def test_the_panel_shows_how_the_generated_sms_was_made_until_it_is_edited(client):
    signed_in(client)
    template = use_library_template("flash_sale", make_brand(), language="fr")
    text = generate(client, template)["text"]

    notes = panel(client, template, {"sms_fallback": text})
    assert "data-proposal-notes" in notes
    assert "Link of the button “Voir toutes les offres”." in notes
    assert "1 sentence of the RCS message left out to keep the SMS short." in notes

    edited = panel(client, template, {"sms_fallback": text + " Vite !"})
    assert "data-proposal-notes" not in edited


def test_a_generated_sms_that_cannot_fit_says_so_in_the_panel(client):
    signed_in(client)
    template = make_template()
    long = "Profitez de remises exceptionnelles sur " + ", ".join(["les robes"] * 14) + "."
    content = card_content(title=long)
    text = generate(client, template, {"rcs_content": content})["text"]

    notes = panel(client, template, {"rcs_content": content, "sms_fallback": text})
    # The link counts as the tracked link it becomes (38 characters on the test address).
    assert "Could not fit one segment: 2 segments, 246 characters." in notes
    assert "<span data-characters>246 characters</span>" in notes


def test_emoji_that_alone_force_ucs2_are_offered_out(client):
    signed_in(client)
    template = make_template()
    content = card_content(title="Soldes d'été 🎉", description="Jusqu'à -50 % sur tout ☀️")

    data = generate(client, template, {"rcs_content": content})
    assert data["encoding"] == "UCS-2"
    assert "🎉" in data["text"]
    assert data["emoji_free"]["segments"] == 1
    assert data["emoji_free"]["text"] == (
        "Soldes d'été\nJusqu'à -50 % sur tout\nhttps://shop.example/soldes"
    )
    assert "Only 🎉 ☀️ keep this SMS in UCS-2: 2 segments as written, 1 segment" in data["message"]

    shown = panel(client, template, {"rcs_content": content, "sms_fallback": data["text"]})
    assert "data-emoji-free" in shown
    assert "Without them: 1 segment" in shown
    assert "Soldes d&#x27;été\nJusqu&#x27;à -50 % sur tout" in shown


def test_a_typed_sms_in_gsm_gets_no_offer_and_no_notes(client):
    signed_in(client)
    template = make_template()
    shown = panel(client, template, {"sms_fallback": "Soldes -40 % ce week-end !"})
    assert "data-emoji-free" not in shown
    assert "data-proposal-notes" not in shown

"""The SMS fallback proposed from RCS content: short, GSM-friendly, with the first link."""

import pytest

from editor.models import Brand, MessageTemplate
from editor.services import propose_fallback, stop_mention_to_add, with_stop_mention
from messaging import sms

PROMOTION = MessageTemplate.TrafficType.PROMOTION
TRANSACTION = MessageTemplate.TrafficType.TRANSACTION
BRAND = Brand(name="Maison Relais", sms_sender_id="MAISONREL", stop_mention="STOP au 36111")


def card(title, description, url="https://shop.example/soldes"):
    return {
        "richCard": {
            "standaloneCard": {
                "cardOrientation": "VERTICAL",
                "cardContent": {
                    "title": title,
                    "description": description,
                    "suggestions": [
                        {"reply": {"text": "Oui"}, "ctaId": "cta_oui001"},
                        {
                            "action": {"text": "Voir", "openUrlAction": {"url": url}},
                            "ctaId": "cta_voir01",
                        },
                    ],
                },
            }
        }
    }


def test_short_card_becomes_title_description_and_link():
    proposal = propose_fallback(card("Soldes -40 %", "Ce week-end seulement."), BRAND, PROMOTION)
    assert proposal == "Soldes -40 %. Ce week-end seulement.\nhttps://shop.example/soldes"


def test_typographic_characters_and_emoji_give_way_to_gsm():
    content = card("C’est l’été ☀️", "« Tout » doit partir 🎉")
    proposal = propose_fallback(content, BRAND, PROMOTION)
    assert proposal.startswith("C'est l'été. \"Tout\" doit partir")
    assert sms.is_gsm(proposal)


def test_long_description_is_cut_at_a_word_to_fit_two_sms_with_the_stop_mention():
    description = " ".join(["Profitez de nos remises exceptionnelles"] * 20)
    proposal = propose_fallback(card("Grande vente", description), BRAND, PROMOTION)

    first_line, url = proposal.split("\n")
    assert url == "https://shop.example/soldes"
    assert first_line.endswith("exceptionnelles...") or first_line.endswith("remises...")
    sent = with_stop_mention(proposal, BRAND, PROMOTION)
    assert sent.endswith("\nSTOP au 36111")
    assert sms.analyze(sent).segments == 2
    # One more word would not have fitted.
    assert len(first_line) > 200


def test_transactional_text_keeps_its_whole_length_budget_without_stop():
    text = {"text": "Votre colis arrive demain. " * 11}  # ~297 characters: two SMS exactly
    proposal = propose_fallback(text, BRAND, TRANSACTION)
    assert proposal == ("Votre colis arrive demain. " * 11).strip()
    assert sms.analyze(proposal).segments == 2


def test_text_message_uses_the_first_link_among_chips():
    content = {
        "text": "Bonjour {{ prenom }}, votre code : {{ code }}",
        "suggestions": [
            {"reply": {"text": "Merci"}},
            {"action": {"text": "Boutique", "openUrlAction": {"url": "https://shop.example"}}},
        ],
    }
    proposal = propose_fallback(content, BRAND, PROMOTION)
    assert proposal == "Bonjour {{ prenom }}, votre code : {{ code }}\nhttps://shop.example"


def test_brand_without_sender_id_is_named_first():
    brand = Brand(name="Maison Relais", sms_sender_id="", stop_mention="STOP au 36111")
    proposal = propose_fallback({"text": "-20 % sur tout"}, brand, PROMOTION)
    assert proposal == "Maison Relais: -20 % sur tout"


@pytest.mark.parametrize("content", [{"text": ""}, {"richCard": {}}])
def test_invalid_content_is_reported_not_guessed(content):
    from messaging.content import ContentError

    with pytest.raises(ContentError):
        propose_fallback(content, BRAND, PROMOTION)


@pytest.mark.parametrize(
    ("text", "brand", "traffic_type", "due"),
    [
        ("Soldes ce week-end", BRAND, PROMOTION, "STOP au 36111"),
        ("Soldes ce week-end", BRAND, TRANSACTION, ""),
        ("Soldes ce week-end\nstop AU 36111", BRAND, PROMOTION, ""),
        ("   \n", BRAND, PROMOTION, ""),
        ("Soldes ce week-end", Brand(name="Sans mention"), PROMOTION, ""),
        ("Soldes ce week-end", Brand(name="Blanc", stop_mention="  "), PROMOTION, ""),
        ("Soldes ce week-end", None, PROMOTION, ""),
    ],
)
def test_stop_mention_is_due_for_a_promotion_that_lacks_it(text, brand, traffic_type, due):
    assert stop_mention_to_add(text, brand, traffic_type) == due

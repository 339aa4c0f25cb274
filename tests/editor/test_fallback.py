"""The SMS fallback proposed from RCS content: its sentences, its main link, one segment."""

import pytest
from django.core.management import call_command

from editor.fallback import main_link
from editor.library import use_library_template
from editor.models import Brand, MessageTemplate
from editor.services import (
    fallback_analysis,
    fallback_text_for_sending,
    propose_fallback,
    stop_mention_to_add,
    with_stop_mention,
)
from editor.sms_text import without_emoji
from messaging import sms
from messaging.content import ensure_cta_ids, parse_content
from messaging.content_errors import ContentError
from tests.factories import make_brand

PROMOTION = MessageTemplate.TrafficType.PROMOTION
TRANSACTION = MessageTemplate.TrafficType.TRANSACTION
BRAND = Brand(name="Maison Relais", sms_sender_id="MAISONREL", stop_mention="STOP au 36111")


def link(label, url):
    return {"action": {"text": label, "openUrlAction": {"url": url}}}


def card(title="", description="", buttons=()):
    content = {"title": title, "description": description, "suggestions": list(buttons)}
    return {key: value for key, value in content.items() if value}


def standalone(card_content, chips=()):
    content = {"richCard": {"standaloneCard": {"cardOrientation": "VERTICAL"}}}
    content["richCard"]["standaloneCard"]["cardContent"] = card_content
    if chips:
        content["suggestions"] = list(chips)
    return content


def carousel(cards, chips=()):
    content = {"richCard": {"carouselCard": {"cardWidth": "MEDIUM", "cardContents": cards}}}
    if chips:
        content["suggestions"] = list(chips)
    return content


def as_sent(proposal, values=None, brand=BRAND, traffic_type=PROMOTION):
    text = with_stop_mention(proposal.text, brand, traffic_type)
    for name, value in (values or {}).items():
        text = text.replace(f"{{{{ {name} }}}}", value)
    return text


FLASH_SALE_SMS = (
    "{{ prenom }}, les soldes -40 % ont commencé !\n"
    "Pendant {{ duree_offre }} seulement : -40 % sur une sélection mode femme et homme.\n"
    "https://shop.example/soldes"
)


def check_flash_sale(template):
    proposal = propose_fallback(template, template.brand, template.traffic_type)

    # Sentences whole, on their lines; the "see all" link; the delivery sentence left out.
    assert proposal.text == FLASH_SALE_SMS
    assert proposal.link == "https://shop.example/soldes"
    assert proposal.segments == 1 and proposal.fits
    template.sms_fallback = proposal.text
    assert fallback_text_for_sending(template).endswith("\nSTOP au 36111")
    analysis = fallback_analysis(template)
    assert (analysis.encoding, analysis.segments) == ("GSM-7", 1)
    assert analysis.characters == proposal.characters
    assert "Link of the button “Voir toutes les offres”." in proposal.notes


@pytest.mark.django_db
def test_flash_sale_of_the_library_fits_one_segment_with_the_see_all_link_and_stop():
    brand = make_brand()
    check_flash_sale(use_library_template("flash_sale", brand, language="fr"))


@pytest.mark.django_db
def test_flash_sale_of_the_demo_data_fits_one_segment_with_the_see_all_link_and_stop():
    call_command("seed_demo", verbosity=0)
    check_flash_sale(MessageTemplate.objects.get(slug="promo_soldes_v1"))


@pytest.mark.django_db
def test_library_carousel_names_its_three_cards():
    template = use_library_template("product_launch", make_brand(), language="fr")
    proposal = propose_fallback(template, template.brand, template.traffic_type)
    assert proposal.text.startswith("Collection Lumière, Lampe Aube, Lampe Zénith\n")
    assert proposal.text.endswith("\nhttps://shop.example/collection-lumiere")
    assert proposal.segments == 1


def test_every_card_of_a_carousel_is_named_and_descriptions_go_from_the_last_card():
    cards = [
        card("Soldes femme", "Robes et jupes à -40 %.", [link("Voir", "https://s.example/f")]),
        card("Soldes homme !", "Chemises à -30 %.", [link("Voir", "https://s.example/h")]),
        card(
            "Accessoires",
            "Sacs, ceintures et bijoux de créateurs à prix doux, tout le week-end.",
            [link("Voir", "https://s.example/a")],
        ),
    ]
    proposal = propose_fallback(carousel(cards), BRAND, PROMOTION)
    lines = proposal.text.split("\n")
    assert lines[0] == "Soldes femme, Soldes homme, Accessoires"
    # The third card's long description went first; the first two cards' stayed.
    assert lines[1:] == ["Robes et jupes à -40 %.", "Chemises à -30 %.", "https://s.example/f"]
    assert proposal.left_out == 1
    assert sms.analyze(as_sent(proposal)).segments == 1


def test_line_breaks_stay_line_breaks_not_run_on_text():
    content = {"text": "Nouveautés en boutique\n\nRobes d'été\nSandales   tressées"}
    proposal = propose_fallback(content, BRAND, TRANSACTION)
    assert proposal.text == "Nouveautés en boutique\nRobes d'été\nSandales tressées"


def test_description_loses_its_last_sentences_first_and_the_title_stays():
    description = "Première phrase courte. " + " ".join(
        f"Phrase numéro {number} qui précise encore un peu l'offre." for number in range(2, 6)
    )
    content = standalone(card("Grande vente", description, [link("Voir", "https://s.example")]))
    proposal = propose_fallback(content, BRAND, PROMOTION)
    title, kept, url = proposal.text.split("\n")
    assert title == "Grande vente"
    assert kept.startswith("Première phrase courte. Phrase numéro 2")
    assert kept.endswith(".")
    assert url == "https://s.example"
    assert proposal.segments == 1
    # One more sentence would not have fitted.
    assert len(with_stop_mention(proposal.text, BRAND, PROMOTION)) > 160 - 55


def test_a_text_that_cannot_fit_says_so_with_its_count():
    sentence = "Profitez de remises exceptionnelles sur " + ", ".join(["les robes"] * 15)
    proposal = propose_fallback({"text": sentence + "."}, BRAND, PROMOTION)

    analysis = sms.analyze(as_sent(proposal))
    assert not proposal.fits
    assert proposal.text == sentence + "."
    assert (proposal.segments, proposal.characters) == (analysis.segments, analysis.characters)
    assert analysis.segments == 2
    assert (
        f"Could not fit one segment: 2 segments, {analysis.characters} characters."
        in proposal.notes
    )


def test_when_one_segment_is_out_of_reach_it_keeps_what_fits_the_fewest_segments():
    first = "Un premier paragraphe bien trop long pour un seul SMS " + "et encore " * 14 + "!"
    content = {"text": f"{first} Une suite courte. Et une fin."}
    proposal = propose_fallback(content, BRAND, TRANSACTION)
    assert not proposal.fits
    assert proposal.text == f"{first} Une suite courte. Et une fin."
    assert proposal.segments == 2


def test_emoji_alone_keep_ucs2_and_the_variant_without_them_is_gsm():
    content = standalone(
        card("C’est l’été 🎉", "Jusqu'à -50 % ☀️ sur tout.", [link("Voir", "https://s.example")])
    )
    proposal = propose_fallback(content, BRAND, PROMOTION)

    assert proposal.text == "C’est l’été 🎉\nJusqu'à -50 % ☀️ sur tout.\nhttps://s.example"
    assert proposal.encoding == "UCS-2"
    variant = proposal.emoji_free
    assert variant.text == "C'est l'été\nJusqu'à -50 % sur tout.\nhttps://s.example"
    analysis = sms.analyze(with_stop_mention(variant.text, BRAND, PROMOTION))
    assert (analysis.encoding, analysis.segments) == ("GSM-7", 1)
    assert variant.segments == 1 and variant.segments_as_written == proposal.segments
    assert variant.note == (
        "Only ’ 🎉 ☀️ keep this SMS in UCS-2: 2 segments as written, 1 segment without them."
    )


def test_letters_of_another_alphabet_get_no_variant():
    proposal = propose_fallback({"text": "Soldes 🎉 à Αθήνα"}, BRAND, PROMOTION)
    assert proposal.encoding == "UCS-2"
    assert proposal.emoji_free is None


def test_variables_stay_and_count_with_their_sample_values():
    content = standalone(card("{{ prenom }}, c'est parti", "Phrase une. Phrase deux."))
    short = propose_fallback(content, BRAND, PROMOTION, values={"prenom": "Léa"})
    long = propose_fallback(content, BRAND, PROMOTION, values={"prenom": "L" * 125})
    assert short.text == "{{ prenom }}, c'est parti\nPhrase une. Phrase deux."
    assert long.text == "{{ prenom }}, c'est parti"
    assert long.left_out == 2 and long.segments == 1


def test_brand_without_sender_id_is_named_first():
    brand = Brand(name="Maison Relais", sms_sender_id="", stop_mention="STOP au 36111")
    proposal = propose_fallback({"text": "-20 % sur tout"}, brand, PROMOTION)
    assert proposal.text == "Maison Relais: -20 % sur tout"


@pytest.mark.parametrize(
    ("buttons", "chips", "expected"),
    [
        # A label that says "all" wins, wherever it is.
        (
            [link("Femme", "https://s.example/f"), link("Tout voir", "https://s.example/t")],
            [],
            "https://s.example/t",
        ),
        (
            [link("Femme", "https://s.example/f")],
            [link("See ALL", "https://s.example/")],
            "https://s.example/",
        ),
        # Else the page above the most links.
        (
            [
                link("Femme", "https://s.example/soldes/femme"),
                link("Homme", "https://s.example/soldes/homme?x=1"),
                link("Les soldes", "https://s.example/soldes"),
            ],
            [],
            "https://s.example/soldes",
        ),
        # Or the address on several buttons.
        (
            [
                link("Femme", "https://a.example/f"),
                link("Lire", "https://b.example/"),
                link("Go", "https://b.example/"),
            ],
            [],
            "https://b.example/",
        ),
        # Else the first.
        (
            [link("Femme", "https://a.example/f"), link("Homme", "https://b.example/h")],
            [],
            "https://a.example/f",
        ),
    ],
)
def test_main_link(buttons, chips, expected):
    content = parse_content(
        ensure_cta_ids(standalone(card("Soldes", buttons=buttons), chips=chips))
    )
    assert main_link(content).url == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The link is in the text already: not twice.
        ("Tout est sur https://s.example/soldes.", "Tout est sur https://s.example/soldes."),
        # A longer address is another link.
        (
            "Femme : https://s.example/soldes/femme",
            "Femme : https://s.example/soldes/femme\nhttps://s.example/soldes",
        ),
    ],
)
def test_the_link_line_is_added_unless_the_text_has_that_link(text, expected):
    content = {"text": text, "suggestions": [link("Voir tout", "https://s.example/soldes")]}
    assert propose_fallback(content, BRAND, TRANSACTION).text == expected


def test_a_message_without_links_has_no_link_line():
    proposal = propose_fallback({"text": "Bonjour. Votre commande est prête."}, BRAND, TRANSACTION)
    assert proposal.text == "Bonjour. Votre commande est prête."
    assert proposal.link == ""


def test_without_emoji_replaces_look_alikes_and_tidies_spaces():
    assert without_emoji("« Top » 🎉 !\n🔥\nFête") == '"Top" !\nFete'


@pytest.mark.parametrize("content", [{"text": ""}, {"richCard": {}}])
def test_invalid_content_is_reported_not_guessed(content):
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

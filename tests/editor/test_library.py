"""The library of ready-made templates, and the demo data built from it."""

import pytest
from django.core.management import call_command

from editor.library import ENTRIES, get_entry, library_entries, use_library_template
from editor.models import MediaAsset, MessageTemplate, TemplateVersion
from editor.services import (
    fallback_text_for_sending,
    publish_problems,
    publish_template,
)
from messaging import sms
from messaging.content import iter_suggestions, parse_content
from messaging.content_rules import LABEL_MAX
from tests.factories import make_brand

pytestmark = pytest.mark.django_db

LANGUAGES = ("fr", "en")


def test_library_has_eight_use_cases_in_french_and_english():
    keys = {entry.key for entry in ENTRIES}
    assert keys == {
        "flash_sale",
        "order_confirmation",
        "delivery",
        "back_in_stock",
        "product_launch",
        "abandoned_cart",
        "reengagement",
        "appointment",
    }
    for language in LANGUAGES:
        cards = library_entries(language)
        assert [card.key for card in cards] == [entry.key for entry in ENTRIES]
        for card in cards:
            assert card.name and card.description
            assert card.thumbnail_url.startswith("/static/editor/library/")
    assert library_entries("fr")[0].name != library_entries("en")[0].name


def test_unknown_entry_or_language_is_a_lookup_error():
    with pytest.raises(LookupError):
        get_entry("flash_sale", "de")
    with pytest.raises(LookupError):
        get_entry("black_friday", "fr")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("key", [entry.key for entry in ENTRIES])
def test_every_library_template_is_publishable_as_is(key, language):
    template = use_library_template(key, make_brand(), language=language)
    problems, _issues = publish_problems(template)
    assert problems == {}
    analysis = sms.analyze(fallback_text_for_sending(template))
    assert analysis.encoding == "GSM-7"
    for variable in template.variables:
        assert variable["sample"], variable


def test_flash_sale_labels_fit_the_25_character_limit():
    template = use_library_template("flash_sale", make_brand(), language="fr")
    labels = [ref.label for ref in iter_suggestions(parse_content(template.rcs_content))]
    assert labels == ["Soldes femme", "Soldes homme", "Voir toutes les offres", "Se désabonner"]
    assert all(len(label) <= LABEL_MAX for label in labels)


def test_using_a_library_template_makes_an_independent_draft_with_imported_images():
    brand = make_brand()
    first = use_library_template("flash_sale", brand, language="fr")
    second = use_library_template("flash_sale", brand, language="fr")

    assert first.status == second.status == MessageTemplate.Status.DRAFT
    assert (first.slug, second.slug) == ("promo_soldes_v1", "promo_soldes_v2")
    card = first.rcs_content["richCard"]["standaloneCard"]["cardContent"]
    assert card["media"]["contentInfo"]["fileUrl"].startswith("media:assets/")
    assert card["media"]["contentInfo"]["thumbnailUrl"].endswith("-thumb.jpg")
    # The image is imported once and shared.
    assert MediaAsset.objects.count() == 1

    card["title"] = "Changed"
    first.save()
    second.refresh_from_db()
    assert second.rcs_content["richCard"]["standaloneCard"]["cardContent"]["title"] != "Changed"
    # A fresh copy from the library is unaffected too.
    third = use_library_template("flash_sale", brand, language="fr")
    assert third.rcs_content["richCard"]["standaloneCard"]["cardContent"]["title"] != "Changed"


def test_carousel_images_are_cut_for_the_carousel_width():
    template = use_library_template("product_launch", make_brand(), language="en")
    cards = template.rcs_content["richCard"]["carouselCard"]["cardContents"]
    urls = [card["media"]["contentInfo"]["fileUrl"] for card in cards]
    assert all(url.endswith("/medium-medium.jpg") for url in urls)
    assert len(set(urls)) == 3


def test_seed_demo_publishes_the_library_and_changes_nothing_when_run_again():
    call_command("seed_demo", verbosity=0)

    soldes = MessageTemplate.objects.get(slug="promo_soldes_v1")
    assert soldes.brand.name == "Maison Relais"
    assert soldes.brand.sms_sender_id == "MAISONREL"
    assert soldes.brand.verified
    assert soldes.status == MessageTemplate.Status.PUBLISHED
    version = soldes.current_version
    assert version.number == 1
    required = [v["name"] for v in version.variables if v["default"] is None]
    assert required == ["prenom", "duree_offre"]
    assert version.brand_snapshot["logo_url"].endswith("/logo.jpg")
    expected_ids = {entry.template_ids[language] for entry in ENTRIES for language in LANGUAGES}
    assert set(MessageTemplate.objects.values_list("slug", flat=True)) == expected_ids
    assert "promo_soldes_en_v1" in expected_ids

    before = (
        list(MessageTemplate.objects.values_list("slug", "status", "updated").order_by("slug")),
        list(TemplateVersion.objects.values_list("pk", "number").order_by("pk")),
        list(MediaAsset.objects.values_list("pk", flat=True).order_by("pk")),
    )
    call_command("seed_demo", verbosity=0)
    after = (
        list(MessageTemplate.objects.values_list("slug", "status", "updated").order_by("slug")),
        list(TemplateVersion.objects.values_list("pk", "number").order_by("pk")),
        list(MediaAsset.objects.values_list("pk", flat=True).order_by("pk")),
    )
    assert after == before


def test_a_seeded_template_can_be_republished():
    call_command("seed_demo", verbosity=0)
    soldes = MessageTemplate.objects.get(slug="promo_soldes_v1")
    soldes.sms_fallback = "{{ prenom }}, -40 % encore {{ duree_offre }} !"
    soldes.save()
    assert publish_template(soldes).number == 2

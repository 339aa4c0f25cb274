"""The walkers over content JSON: kind, cards, suggestions, strings and URLs, with their paths."""

import pytest

from messaging import walk


def button(label, url=None):
    if url is None:
        return {"reply": {"text": label}, "ctaId": f"cta_{label}"}
    return {"action": {"text": label, "openUrlAction": {"url": url}}, "ctaId": f"cta_{label}"}


def card(title, image=None, buttons=()):
    content = {"title": title}
    if image:
        content["media"] = {
            "height": "MEDIUM",
            "contentInfo": {"fileUrl": image, "thumbnailUrl": image + "?thumb"},
        }
    if buttons:
        content["suggestions"] = list(buttons)
    return content


STANDALONE = {
    "richCard": {
        "standaloneCard": {
            "cardOrientation": "HORIZONTAL",
            "cardContent": card(
                "Soldes", "https://cdn.example/a.jpg", [button("Voir", "https://x.example/a")]
            ),
        }
    },
    "suggestions": [button("Stop")],
}
CAROUSEL = {
    "richCard": {
        "carouselCard": {
            "cardWidth": "SMALL",
            "cardContents": [
                card("One", buttons=[button("A")]),
                card("Two", buttons=[button("B")]),
            ],
        }
    }
}


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        ({"text": "Bonjour"}, "text"),
        (STANDALONE, "card"),
        (CAROUSEL, "carousel"),
        ({"contentInfo": {"fileUrl": "https://cdn.example/a.pdf"}}, "media"),
        ({"richCard": {}}, "unknown"),
        ({}, "empty"),
        (None, "empty"),
        (["not", "a", "message"], "empty"),
        # A text wins over a card, as the editor shows it; validation reports the mix.
        ({"text": "Bonjour", **CAROUSEL}, "text"),
    ],
)
def test_content_kind_names_each_shape(data, kind):
    assert walk.content_kind(data) == kind


def test_a_standalone_card_is_one_card_at_its_path():
    assert list(walk.iter_cards(STANDALONE)) == [
        (
            ("richCard", "standaloneCard", "cardContent"),
            STANDALONE["richCard"]["standaloneCard"]["cardContent"],
        )
    ]


def test_a_carousel_yields_its_cards_in_order_with_their_index():
    paths = [path for path, _card in walk.iter_cards(CAROUSEL)]
    assert paths == [
        ("richCard", "carouselCard", "cardContents", 0),
        ("richCard", "carouselCard", "cardContents", 1),
    ]
    assert [item["title"] for item in walk.cards(CAROUSEL)] == ["One", "Two"]


def test_cards_are_the_stored_objects_so_a_reader_can_rewrite_them():
    data = {"richCard": {"carouselCard": {"cardContents": [card("One"), card("Two")]}}}
    walk.cards(data)[1]["title"] = "Deux"
    assert data["richCard"]["carouselCard"]["cardContents"][1]["title"] == "Deux"


def test_a_broken_card_keeps_its_place_as_an_empty_one():
    data = {"richCard": {"carouselCard": {"cardContents": [card("One"), "oops", None]}}}
    assert walk.cards(data) == [card("One"), {}, {}]
    no_content = {"richCard": {"standaloneCard": {"cardOrientation": "VERTICAL"}}}
    assert walk.cards(no_content) == [{}]


def test_text_and_media_have_no_cards():
    assert walk.cards({"text": "Bonjour"}) == []
    assert walk.cards({"contentInfo": {"fileUrl": "https://cdn.example/a.jpg"}}) == []
    assert walk.first_card({"text": "Bonjour"}) is None


def test_first_card_is_the_standalone_card_or_the_carousels_first():
    assert walk.first_card(STANDALONE)["title"] == "Soldes"
    assert walk.first_card(CAROUSEL)["title"] == "One"


def test_media_width_follows_orientation_and_carousel_width():
    assert walk.media_width(STANDALONE) == "HORIZONTAL"
    vertical = {"richCard": {"standaloneCard": {"cardOrientation": "VERTICAL", "cardContent": {}}}}
    assert walk.media_width(vertical) == "STANDALONE"
    assert walk.media_width(CAROUSEL) == "SMALL"
    assert walk.media_width({"richCard": {"carouselCard": {"cardContents": []}}}) == "MEDIUM"
    assert walk.media_width({"text": "Bonjour"}) == ""


def test_suggestions_come_card_buttons_first_then_chips():
    found = list(walk.iter_suggestions(STANDALONE))
    assert [path for path, _item in found] == [
        ("richCard", "standaloneCard", "cardContent", "suggestions", 0),
        ("suggestions", 0),
    ]
    assert [item["ctaId"] for _path, item in found] == ["cta_Voir", "cta_Stop"]
    carousel = [item["ctaId"] for _path, item in walk.iter_suggestions(CAROUSEL)]
    assert carousel == ["cta_A", "cta_B"]


def test_suggestions_read_snake_case_keys_and_skip_what_is_not_an_object():
    data = {
        "rich_card": {"carousel_card": {"card_contents": [{"suggestions": [button("A"), 3]}]}},
        "suggestions": ["oops", button("B")],
    }
    found = list(walk.iter_suggestions(data))
    assert [path for path, _item in found] == [
        ("richCard", "carouselCard", "cardContents", 0, "suggestions", 0),
        ("suggestions", 1),
    ]


def test_strings_come_in_document_order_with_their_path():
    data = {"text": "Bonjour", "suggestions": [button("Oui"), {"reply": {"text": "Non"}}]}
    assert list(walk.iter_strings(data)) == [
        (("text",), "Bonjour"),
        (("suggestions", 0, "reply", "text"), "Oui"),
        (("suggestions", 0, "ctaId"), "cta_Oui"),
        (("suggestions", 1, "reply", "text"), "Non"),
    ]


def test_values_yield_a_container_before_what_it_holds():
    paths = [path for path, _value in walk.iter_values({"a": [{"b": 1}]})]
    assert paths == [(), ("a",), ("a", 0), ("a", 0, "b")]


def test_urls_are_links_media_files_and_thumbnails_not_other_strings():
    urls = dict(walk.iter_urls(STANDALONE))
    base = ("richCard", "standaloneCard", "cardContent")
    assert urls == {
        (*base, "media", "contentInfo", "fileUrl"): "https://cdn.example/a.jpg",
        (*base, "media", "contentInfo", "thumbnailUrl"): "https://cdn.example/a.jpg?thumb",
        (*base, "suggestions", 0, "action", "openUrlAction", "url"): "https://x.example/a",
    }


def test_a_list_under_a_url_key_holds_urls():
    data = {"fallbackUrl": ["https://a.example", "https://b.example"], "title": "https://c"}
    assert [url for _path, url in walk.iter_urls(data)] == [
        "https://a.example",
        "https://b.example",
    ]
    assert walk.field_name(("fallbackUrl", 1)) == "fallbackUrl"
    assert walk.field_name(()) is None

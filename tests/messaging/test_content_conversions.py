"""RCS content conversions: storage, the RBM wire format, CTA ids, what the SMS fallback reads."""

import copy
import re

import pytest

from messaging.content import (
    ensure_cta_ids,
    first_url,
    iter_suggestions,
    new_cta_id,
    parse_content,
    to_rbm,
    to_storage,
)
from tests.support.content import (
    IMAGE,
    THUMBNAILED,
    URL,
    card,
    carousel,
    link,
    reply,
    standalone,
)

# The default language is French; the expected wording below is the English source text.
pytestmark = pytest.mark.usefixtures("english")


CTA_RE = re.compile(r"cta_[a-z0-9]{4,16}")


FULL = {
    "text": "Bonjour {{ prenom }}",
    "suggestions": [
        {"reply": {"text": "Oui", "postbackData": "yes"}, "ctaId": "cta_a1b2"},
        {
            "action": {
                "text": "Voir",
                "postbackData": "see",
                "fallbackUrl": "https://shop.example/fallback",
                "openUrlAction": {
                    "url": "https://shop.example/{{ prenom }}",
                    "application": "WEBVIEW",
                    "webviewViewMode": "TALL",
                    "description": "La boutique",
                },
            },
            "ctaId": "cta_b2c3",
        },
        {
            "action": {"text": "Appeler", "dialAction": {"phoneNumber": "+33123456789"}},
            "ctaId": "cta_c3d4",
        },
        {
            "action": {
                "text": "Itinéraire",
                "viewLocationAction": {
                    "latLong": {"latitude": 48.8566, "longitude": 2.3522},
                    "label": "Boutique",
                },
            },
            "ctaId": "cta_d4e5",
        },
        {
            "action": {
                "text": "Agenda",
                "createCalendarEventAction": {
                    "startTime": "2026-05-01T09:00:00Z",
                    "endTime": "2026-05-01T10:00:00Z",
                    "title": "Atelier",
                    "description": "Au magasin",
                },
            },
            "ctaId": "cta_e5f6",
        },
        {"action": {"text": "Partager", "shareLocationAction": {}}, "ctaId": "cta_f6a7"},
    ],
}


@pytest.mark.parametrize(
    "data",
    [
        FULL,
        standalone(
            {"title": "T", "media": IMAGE, "suggestions": [reply()]},
            "HORIZONTAL",
            thumbnailImageAlignment="LEFT",
        ),
        carousel([card(), {"media": THUMBNAILED}], width="SMALL"),
        {"contentInfo": {"fileUrl": "https://cdn.example/guide.pdf"}, "suggestions": [reply()]},
    ],
    ids=["text", "card", "carousel", "media"],
)
def test_storage_round_trips_through_parse_content(data):
    stored = to_storage(parse_content(data))
    assert stored == data
    assert to_storage(parse_content(stored)) == stored


def test_snake_case_input_is_stored_in_camel_case():
    content = parse_content(
        {
            "rich_card": {
                "standalone_card": {"card_orientation": "VERTICAL", "card_content": {"title": "T"}}
            }
        }
    )
    assert content.to_storage() == standalone({"title": "T"})


def test_to_rbm_strips_cta_ids_and_fills_empty_postback_data():
    rbm = to_rbm(parse_content(FULL))
    suggestions = rbm["suggestions"]
    assert all("ctaId" not in suggestion for suggestion in suggestions)
    assert suggestions[0]["reply"]["postbackData"] == "yes"
    assert suggestions[2]["action"]["postbackData"] == "cta_c3d4"
    assert suggestions[5]["action"] == {
        "text": "Partager",
        "postbackData": "cta_f6a7",
        "shareLocationAction": {},
    }


def test_to_rbm_reaches_card_buttons_and_leaves_storage_alone():
    cards = [{"title": "A", "suggestions": [reply()]}, {"title": "B", "suggestions": [reply()]}]
    content = parse_content(carousel(cards))
    rbm = content.to_rbm()
    second = rbm["richCard"]["carouselCard"]["cardContents"][1]["suggestions"][0]
    assert second == {"reply": {"text": "Oui", "postbackData": cards[1]["suggestions"][0]["ctaId"]}}
    assert content.to_storage() == carousel(cards)


def test_new_cta_id_matches_the_pattern():
    first, second = new_cta_id(), new_cta_id()
    assert CTA_RE.fullmatch(first) and CTA_RE.fullmatch(second)
    assert first != second


def test_ensure_cta_ids_fills_missing_ones_and_keeps_existing_ones():
    data = {
        **carousel([{"title": "A", "suggestions": [{"reply": {"text": "a"}}]}, card()]),
        "suggestions": [{"reply": {"text": "b"}, "ctaId": "cta_keep"}, {"reply": {"text": "c"}}],
    }
    original = copy.deepcopy(data)
    filled = ensure_cta_ids(data)
    assert data == original
    ids = [ref.cta_id for ref in iter_suggestions(parse_content(filled))]
    assert ids[1] == "cta_keep"
    assert len(set(ids)) == 3
    assert all(CTA_RE.fullmatch(cta_id) for cta_id in ids)


def test_iter_suggestions_lists_buttons_then_chips_with_kinds_and_urls():
    data = {
        **standalone({"title": "Soldes", "suggestions": [link("https://shop.example/a")]}),
        "suggestions": FULL["suggestions"],
    }
    refs = iter_suggestions(parse_content(data))
    assert [(ref.where, ref.kind, ref.url) for ref in refs] == [
        ("Button 1", "open_url", "https://shop.example/a"),
        ("Suggestion chip 1", "reply", None),
        ("Suggestion chip 2", "open_url", "https://shop.example/{{ prenom }}"),
        ("Suggestion chip 3", "dial", None),
        ("Suggestion chip 4", "view_location", None),
        ("Suggestion chip 5", "calendar", None),
        ("Suggestion chip 6", "share_location", None),
    ]
    chip = refs[2]
    assert (chip.cta_id, chip.label, chip.postback_data) == ("cta_b2c3", "Voir", "see")
    assert chip.fallback_url == "https://shop.example/fallback"
    assert refs[3].postback_data == "cta_c3d4"


def test_first_url_feeds_the_sms_fallback():
    text = parse_content(FULL)
    assert first_url(text) == "https://shop.example/{{ prenom }}"

    single = parse_content(standalone({"title": "Soldes", "description": "-50 %", "media": IMAGE}))
    assert first_url(single) is None

    cards = [{"description": "Premier", "suggestions": [link(URL)]}, card()]
    assert first_url(parse_content(carousel(cards))) == URL


def test_suggestion_kind_reads_drafts_leniently():
    from messaging.content import suggestion_kind

    assert suggestion_kind({"reply": {"text": "Oui"}}) == "reply"
    assert suggestion_kind({"action": {"text": "Appeler", "dialAction": {}}}) == "dial"
    assert suggestion_kind({"action": {"createCalendarEventAction": {}}}) == "calendar"
    # A draft button whose action is not chosen yet shows as a link, never crashes.
    assert suggestion_kind({"action": "oops"}) == "open_url"

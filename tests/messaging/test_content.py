import copy
import re

import pytest
from django.utils import translation
from pydantic import ValidationError

from messaging.content import (
    CALENDAR_DESCRIPTION_MAX,
    CALENDAR_TITLE_MAX,
    CARD_SUGGESTIONS_MAX,
    CAROUSEL_MAX,
    CAROUSEL_MIN,
    CHIPS_MAX,
    DESCRIPTION_MAX,
    FALLBACK_URL_MAX,
    LABEL_MAX,
    MESSAGE_BYTES_MAX,
    POSTBACK_MAX,
    TEXT_MAX,
    TITLE_MAX,
    ContentError,
    RcsContent,
    content_kind,
    ensure_cta_ids,
    first_url,
    iter_suggestions,
    main_text,
    new_cta_id,
    parse_content,
    to_rbm,
    to_storage,
)

URL = "https://shop.example/soldes"
IMAGE = {"height": "MEDIUM", "contentInfo": {"fileUrl": "https://cdn.example/a.png"}}
THUMBNAILED = {
    "height": "SHORT",
    "contentInfo": {
        "fileUrl": "https://cdn.example/v.mp4",
        "thumbnailUrl": "https://cdn.example/v.jpg",
        "forceRefresh": False,
    },
}
CTA_RE = re.compile(r"cta_[a-z0-9]{4,16}")


@pytest.fixture(autouse=True)
def english():
    # The default language is French; the expected wording below is the English source text.
    with translation.override("en"):
        yield


_counter = iter(range(1, 10**6))


def cta():
    return f"cta_{next(_counter):04d}"


def reply(text="Oui", postback=None):
    body = {"text": text}
    if postback is not None:
        body["postbackData"] = postback
    return {"reply": body, "ctaId": cta()}


def action(text="Voir", **fields):
    return {"action": {"text": text, **fields}, "ctaId": cta()}


def link(url, text="Voir"):
    return action(text, openUrlAction={"url": url})


def card(**fields):
    return fields or {"title": "Soldes"}


def standalone(content, orientation="VERTICAL", **extra):
    return {
        "richCard": {
            "standaloneCard": {"cardOrientation": orientation, "cardContent": content, **extra}
        }
    }


def carousel(cards, width="MEDIUM"):
    return {"richCard": {"carouselCard": {"cardWidth": width, "cardContents": cards}}}


def calendar(**fields):
    event = {
        "startTime": "2026-05-01T09:00:00+02:00",
        "endTime": "2026-05-01T10:00:00+02:00",
        "title": "Atelier",
        **fields,
    }
    return action("Ajouter", createCalendarEventAction=event)


def issues(data):
    with pytest.raises(ContentError) as caught:
        parse_content(data)
    return [str(issue) for issue in caught.value.issues]


def issue_at(data, path):
    with pytest.raises(ContentError) as caught:
        parse_content(data)
    found = [issue for issue in caught.value.issues if issue.path == path]
    assert found, [(issue.path, str(issue)) for issue in caught.value.issues]
    return found[0]


# Each case builds content holding n of something; the first n is accepted, the second refused.
LIMIT_CASES = {
    "text": (
        lambda n: {"text": "a" * n},
        TEXT_MAX,
        "Message: text is 3073 characters, the limit is 3072",
    ),
    "card title": (
        lambda n: standalone({"title": "t" * n}),
        TITLE_MAX,
        "Card: title is 201 characters, the limit is 200",
    ),
    "card description": (
        lambda n: standalone({"description": "d" * n}),
        DESCRIPTION_MAX,
        "Card: description is 2001 characters, the limit is 2000",
    ),
    "chip label": (
        lambda n: {"text": "Bonjour", "suggestions": [reply("l" * n)]},
        LABEL_MAX,
        "Suggestion chip 1: label is 26 characters, the limit is 25",
    ),
    "postback data": (
        lambda n: {"text": "Bonjour", "suggestions": [reply(postback="p" * n)]},
        POSTBACK_MAX,
        "Suggestion chip 1: postback data is 2049 characters, the limit is 2048",
    ),
    "fallback url": (
        lambda n: {
            "text": "Bonjour",
            "suggestions": [
                action(
                    dialAction={"phoneNumber": "+33123456789"},
                    fallbackUrl="https://shop.example/" + "f" * (n - len("https://shop.example/")),
                )
            ],
        },
        FALLBACK_URL_MAX,
        "Suggestion chip 1: fallback link is 2049 characters, the limit is 2048",
    ),
    "card buttons": (
        lambda n: standalone({"title": "Soldes", "suggestions": [reply() for _ in range(n)]}),
        CARD_SUGGESTIONS_MAX,
        "Card: 5 buttons, the limit is 4",
    ),
    "chips": (
        lambda n: {"text": "Bonjour", "suggestions": [reply() for _ in range(n)]},
        CHIPS_MAX,
        "Suggestion chips: 12 chips, the limit is 11",
    ),
    "carousel cards": (
        lambda n: carousel([card() for _ in range(n)]),
        CAROUSEL_MAX,
        "Carousel: 11 cards, the limit is 10",
    ),
    "calendar title": (
        lambda n: {"text": "RDV", "suggestions": [calendar(title="c" * n)]},
        CALENDAR_TITLE_MAX,
        "Suggestion chip 1: event title is 101 characters, the limit is 100",
    ),
    "calendar description": (
        lambda n: {"text": "RDV", "suggestions": [calendar(description="c" * n)]},
        CALENDAR_DESCRIPTION_MAX,
        "Suggestion chip 1: event description is 501 characters, the limit is 500",
    ),
}


@pytest.mark.parametrize("name", LIMIT_CASES)
def test_limit_is_accepted_at_the_limit(name):
    build, limit, _message = LIMIT_CASES[name]
    parse_content(build(limit))


@pytest.mark.parametrize("name", LIMIT_CASES)
def test_limit_is_refused_one_past_it_with_a_human_message(name):
    build, limit, message = LIMIT_CASES[name]
    assert issues(build(limit + 1)) == [message]


def test_limits_match_the_rbm_reference():
    assert (TEXT_MAX, TITLE_MAX, DESCRIPTION_MAX, LABEL_MAX, POSTBACK_MAX) == (
        3072,
        200,
        2000,
        25,
        2048,
    )
    assert (CARD_SUGGESTIONS_MAX, CHIPS_MAX, CAROUSEL_MIN, CAROUSEL_MAX) == (4, 11, 2, 10)
    assert (CALENDAR_TITLE_MAX, CALENDAR_DESCRIPTION_MAX, FALLBACK_URL_MAX) == (100, 500, 2048)


def test_carousel_needs_two_cards():
    parse_content(carousel([card(), card()]))
    assert issues(carousel([card()])) == ["Carousel: 1 card, a carousel needs at least 2"]


def test_lengths_count_code_points_so_a_flag_counts_two():
    parse_content({"text": "Bonjour", "suggestions": [reply("😀" * LABEL_MAX)]})
    twelve_flags_and_two = "🇫🇷" * 12 + "ab"
    assert issues({"text": "Bonjour", "suggestions": [reply(twelve_flags_and_two)]}) == [
        "Suggestion chip 1: label is 26 characters, the limit is 25"
    ]


def test_placeholders_count_as_written():
    label = "Salut {{ prenom_client }}!"  # 26 characters, whatever the name turns out to be
    assert issues({"text": "Bonjour", "suggestions": [reply(label)]}) == [
        "Suggestion chip 1: label is 26 characters, the limit is 25"
    ]


def test_small_carousel_refuses_tall_media():
    tall = {"title": "Soldes", "media": {**IMAGE, "height": "TALL"}}
    assert issues(carousel([card(), tall], width="SMALL")) == [
        "Card 2: tall media does not fit a small carousel card: choose short or medium"
    ]
    parse_content(carousel([card(), tall], width="MEDIUM"))
    parse_content(carousel([card(), {**tall, "media": IMAGE}], width="SMALL"))


@pytest.mark.parametrize("number", ["+33123456789", "1011", "*123#", "{{ telephone }}"])
def test_dial_accepts_digits_plus_star_hash_and_placeholders(number):
    parse_content({"text": "Appelez", "suggestions": [action(dialAction={"phoneNumber": number})]})


@pytest.mark.parametrize("number", ["+33 1 23 45", "01-23-45", "tel:+33123", ""])
def test_dial_refuses_other_characters(number):
    data = {"text": "Appelez", "suggestions": [action(dialAction={"phoneNumber": number})]}
    assert issues(data) == [
        "Suggestion chip 1: the phone number may contain only digits, +, * and #"
    ]


def test_horizontal_card_with_media_needs_words_or_a_button():
    assert issues(standalone({"media": IMAGE}, orientation="HORIZONTAL")) == [
        "Card: a horizontal card with media also needs a title, a description or a button"
    ]
    parse_content(standalone({"media": IMAGE, "suggestions": [reply()]}, "HORIZONTAL"))
    parse_content(standalone({"media": IMAGE, "description": "x"}, "HORIZONTAL"))
    parse_content(standalone({"media": IMAGE}, orientation="VERTICAL"))


def test_thumbnail_alignment_only_on_horizontal_cards():
    parse_content(standalone(card(), "HORIZONTAL", thumbnailImageAlignment="RIGHT"))
    assert issues(standalone(card(), "VERTICAL", thumbnailImageAlignment="LEFT")) == [
        "Card: image alignment applies only to horizontal cards"
    ]


def test_card_needs_media_title_or_description():
    data = carousel([{"suggestions": [reply()]}, card()])
    assert issues(data) == ["Card 1: add an image, a title or a description"]
    issue = issue_at(data, ("richCard", "carouselCard", "cardContents", 0))
    assert issue.where == "Card 1"


def test_message_of_250_kb_is_accepted_and_one_byte_more_refused():
    def big(pad):
        # Emoji are 4 bytes in UTF-8: ten full cards come close to the limit within the
        # field limits; the ASCII pad in one postback then sets the size byte by byte.
        cards = [
            {
                "description": "😀" * DESCRIPTION_MAX,
                "suggestions": [reply(postback="😀" * 1070) for _ in range(CARD_SUGGESTIONS_MAX)],
            }
            for _ in range(CAROUSEL_MAX)
        ]
        cards[0]["suggestions"][0]["reply"]["postbackData"] = pad
        return carousel(cards)

    base = parse_content(big("a")).rbm_size()
    missing = MESSAGE_BYTES_MAX - base
    assert 0 < missing < POSTBACK_MAX - 1  # the pad can reach the limit exactly
    at_limit = parse_content(big("a" * (1 + missing)))
    assert at_limit.rbm_size() == MESSAGE_BYTES_MAX
    assert issues(big("a" * (2 + missing))) == [
        "Message: the message is 250001 bytes, the limit is 250000"
    ]


def test_error_names_carousel_card_and_button_with_json_path():
    cards = [card(), card(), {"title": "Soldes", "suggestions": [reply(), reply("x" * 31)]}]
    issue = issue_at(
        carousel(cards),
        ("richCard", "carouselCard", "cardContents", 2, "suggestions", 1) + ("reply", "text"),
    )
    assert str(issue) == "Card 3, button 2: label is 31 characters, the limit is 25"
    assert issue.where == "Card 3, button 2"
    assert issue.message == "label is 31 characters, the limit is 25"


def test_error_names_chip_of_a_bad_link():
    chips = [reply(), reply(), reply(), link("shop.example/soldes")]
    issue = issue_at(
        {"text": "Bonjour", "suggestions": chips},
        ("suggestions", 3, "action", "openUrlAction", "url"),
    )
    assert str(issue) == "Suggestion chip 4: the link must start with https:// or http://"


def test_standalone_card_buttons_are_numbered_without_a_card_number():
    data = standalone({"title": "Soldes", "suggestions": [reply(), link("ftp://shop.example")]})
    assert issues(data) == ["Button 2: the link must start with https:// or http://"]


def test_all_issues_are_reported_at_once():
    cards = [{"title": "Soldes", "suggestions": [reply("x" * 30)]}] + [card()] * 9
    cards.append({"suggestions": [reply()]})
    data = {**carousel(cards), "suggestions": [link("javascript:alert(1)")]}
    assert sorted(issues(data)) == sorted(
        [
            "Card 1, button 1: label is 30 characters, the limit is 25",
            "Suggestion chip 1: the link must start with https:// or http://",
            "Carousel: 11 cards, the limit is 10",
            "Card 11: add an image, a title or a description",
        ]
    )


def test_field_errors_do_not_hide_rule_errors_of_the_same_card():
    data = standalone({"suggestions": [reply("x" * 26)]})
    assert sorted(issues(data)) == [
        "Button 1: label is 26 characters, the limit is 25",
        "Card: add an image, a title or a description",
    ]


@pytest.mark.parametrize(
    "url",
    [
        "https://shop.example/{{ prenom }}",
        "http://shop.example",
        "https://{{ domaine }}/soldes",
        "HTTPS://SHOP.EXAMPLE/?q={{ ville }}&x=1",
    ],
)
def test_links_accept_absolute_http_urls_with_placeholders(url):
    parse_content({"text": "Bonjour", "suggestions": [link(url)]})


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("shop.example", "the link must start with https:// or http://"),
        ("{{ lien }}", "the link must start with https:// or http://"),
        ("mailto:a@shop.example", "the link must start with https:// or http://"),
        ("https://shop.example/a b", "the link contains a space"),
        ("https://", "the link has no domain name after https://"),
    ],
)
def test_links_refuse_anything_else(url, message):
    assert issues({"text": "Bonjour", "suggestions": [link(url)]}) == [
        f"Suggestion chip 1: {message}"
    ]


def test_media_links_are_checked_too():
    data = standalone({"media": {"contentInfo": {"fileUrl": "/media/a.png"}}})
    assert issues(data) == ["Card: the media link must start with https:// or http://"]


def test_action_does_exactly_one_thing():
    nothing = {"action": {"text": "Voir"}, "ctaId": cta()}
    two = action(openUrlAction={"url": URL}, shareLocationAction={})
    assert issues({"text": "Bonjour", "suggestions": [nothing, two]}) == [
        "Suggestion chip 1: choose what the button does: open a link, call, show a place, "
        "add an event or share the location",
        "Suggestion chip 2: a button does one thing: keep a single action",
    ]


def test_suggestion_is_a_reply_or_an_action():
    both = {**reply(), "action": link(URL)["action"]}
    neither = {"ctaId": cta()}
    assert issues({"text": "Bonjour", "suggestions": [both, neither]}) == [
        "Suggestion chip 1: a button is either a reply or an action, not both",
        "Suggestion chip 2: choose a reply or an action for this button",
    ]


def test_message_holds_exactly_one_of_text_card_media():
    assert issues({}) == ["Message: add a text, a card or a media file"]
    assert issues({"text": "a", **standalone(card())}) == [
        "Message: a message holds one text, one card or one media file, not several"
    ]


def test_webview_size_needs_a_webview():
    webview = {"url": URL, "application": "WEBVIEW", "webviewViewMode": "HALF"}
    parse_content({"text": "a", "suggestions": [action(openUrlAction=webview)]})
    browser = {**webview, "application": "BROWSER"}
    assert issues({"text": "a", "suggestions": [action(openUrlAction=browser)]}) == [
        "Suggestion chip 1: the webview size applies only to links that open in a webview"
    ]


def test_view_location_takes_coordinates_or_a_query():
    point = {"latLong": {"latitude": 48.85, "longitude": 2.35}, "label": "Boutique"}
    parse_content({"text": "a", "suggestions": [action(viewLocationAction=point)]})
    parse_content({"text": "a", "suggestions": [action(viewLocationAction={"query": "Fnac"})]})
    both = {**point, "query": "Fnac"}
    assert issues({"text": "a", "suggestions": [action(viewLocationAction=both)]}) == [
        "Suggestion chip 1: give either coordinates or a map search, not both"
    ]
    assert issues({"text": "a", "suggestions": [action(viewLocationAction={})]}) == [
        "Suggestion chip 1: give the coordinates of the place or a map search"
    ]


def test_latitude_out_of_range_is_refused():
    point = {"latLong": {"latitude": 91, "longitude": 2.35}}
    assert issues({"text": "a", "suggestions": [action(viewLocationAction=point)]}) == [
        "Suggestion chip 1: latitude must be at most 90"
    ]


def test_calendar_event_must_end_after_it_starts():
    same = calendar(endTime="2026-05-01T09:00:00+02:00")
    before = calendar(endTime="2026-05-01T08:59:59+02:00")
    assert issues({"text": "a", "suggestions": [same, before]}) == [
        "Suggestion chip 1: the event must end after it starts",
        "Suggestion chip 2: the event must end after it starts",
    ]
    # Offsets count: 09:00 in Paris is 07:00 UTC, so an end at 07:30 UTC comes after it.
    later = calendar(startTime="2026-05-01T09:00:00+02:00", endTime="2026-05-01T07:30:00Z")
    parse_content({"text": "a", "suggestions": [later]})


def test_calendar_times_must_be_rfc3339_or_a_placeholder():
    parse_content({"text": "a", "suggestions": [calendar(startTime="{{ debut }}")]})
    assert issues({"text": "a", "suggestions": [calendar(startTime="2026-05-01 09:00")]}) == [
        "Suggestion chip 1: start time must be a date and time like 2026-05-01T09:00:00+02:00"
    ]


def test_calendar_title_is_required():
    event = {"startTime": "2026-05-01T09:00:00Z", "endTime": "2026-05-01T10:00:00Z"}
    data = {"text": "a", "suggestions": [action(createCalendarEventAction=event)]}
    assert issues(data) == ["Suggestion chip 1: event title is missing"]


def test_cta_id_is_required_well_formed_and_unique():
    missing = {"reply": {"text": "Oui"}}
    malformed = {"reply": {"text": "Non"}, "ctaId": "CTA-1"}
    first = reply()
    twin = {"reply": {"text": "Peut-être"}, "ctaId": first["ctaId"]}
    assert issues({"text": "a", "suggestions": [missing, malformed, first, twin]}) == [
        "Suggestion chip 1: button id is missing",
        "Suggestion chip 2: button id must be cta_ followed by 4 to 16 lower-case letters"
        " or digits",
        f"Suggestion chip 4: button id {first['ctaId']} is already used by Suggestion chip 3",
    ]


def test_unknown_field_is_named_where_it_is():
    issue = issue_at(
        standalone({"titel": "Soldes", "title": "x"}),
        (
            "richCard",
            "standaloneCard",
            "cardContent",
            "titel",
        ),
    )
    assert str(issue) == 'Card: unknown field "titel"'


def test_bad_choices_list_the_allowed_values():
    assert issues(carousel([card(), card()], width="LARGE")) == [
        "Carousel: card width must be one of: SMALL, MEDIUM"
    ]


def test_content_that_is_not_an_object_is_refused_in_words():
    assert issues(["text"]) == ["Message: the content must be a JSON object"]


def test_model_validate_alone_also_enforces_the_rules():
    with pytest.raises(ValidationError):
        RcsContent.model_validate(carousel([card()]))


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


def test_kind_main_text_and_first_url_feed_the_sms_fallback():
    text = parse_content(FULL)
    assert (content_kind(text), main_text(text)) == ("text", "Bonjour {{ prenom }}")
    assert first_url(text) == "https://shop.example/{{ prenom }}"

    single = parse_content(standalone({"title": "Soldes", "description": "-50 %", "media": IMAGE}))
    assert (content_kind(single), main_text(single), first_url(single)) == (
        "card",
        "Soldes\n-50 %",
        None,
    )

    cards = [{"description": "Premier", "suggestions": [link(URL)]}, card()]
    several = parse_content(carousel(cards))
    assert (content_kind(several), main_text(several), first_url(several)) == (
        "carousel",
        "Premier",
        URL,
    )

    media = parse_content({"contentInfo": {"fileUrl": "https://cdn.example/v.mp4"}})
    assert (content_kind(media), main_text(media)) == ("media", "")

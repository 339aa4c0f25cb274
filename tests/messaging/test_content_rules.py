"""RCS content rules across fields: what a card, a button and an action may hold."""

import pytest
from pydantic import ValidationError

from messaging.content import RcsContent, parse_content
from tests.support.content import (
    IMAGE,
    URL,
    action,
    calendar,
    card,
    carousel,
    cta,
    issue_at,
    issues,
    link,
    reply,
    standalone,
)

# The default language is French; the expected wording below is the English source text.
pytestmark = pytest.mark.usefixtures("english")


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


def test_model_validate_alone_also_enforces_the_rules():
    with pytest.raises(ValidationError):
        RcsContent.model_validate(carousel([card()]))

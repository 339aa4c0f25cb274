"""RCS content limits: each accepted at the limit and refused one past it."""

import pytest

from messaging.content import parse_content
from messaging.content_rules import (
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
)
from tests.support.content import (
    action,
    calendar,
    card,
    carousel,
    issues,
    reply,
    standalone,
)

# The default language is French; the expected wording below is the English source text.
pytestmark = pytest.mark.usefixtures("english")


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

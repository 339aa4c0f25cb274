"""RCS content errors: where the problem is and what is wrong, in the user's words."""

import pytest
from django.utils import translation

from tests.support.content import (
    card,
    carousel,
    issue_at,
    issues,
    link,
    reply,
    standalone,
)

# The default language is French; the expected wording below is the English source text.
pytestmark = pytest.mark.usefixtures("english")


def test_error_names_carousel_card_and_button_with_json_path():
    cards = [card(), card(), {"title": "Soldes", "suggestions": [reply(), reply("x" * 31)]}]
    issue = issue_at(
        carousel(cards),
        ("richCard", "carouselCard", "cardContents", 2, "suggestions", 1) + ("reply", "text"),
    )
    assert str(issue) == "Card 3, button 2: label is 31 characters, the limit is 25"
    assert issue.where == "Card 3, button 2"
    assert issue.message == "label is 31 characters, the limit is 25"


def test_french_gives_the_field_its_article_and_a_space_before_the_colon():
    cards = [card(), card(), {"title": "Soldes", "suggestions": [reply(), reply("x" * 31)]}]
    path = ("richCard", "carouselCard", "cardContents", 2, "suggestions", 1, "reply", "text")
    with translation.override("fr"):
        issue = issue_at(carousel(cards), path)
        assert str(issue) == (
            "Carte 3, bouton 2\u00a0: le libellé fait 31 caractères, la limite est 25"
        )


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
    assert str(issue) == "Card: unknown field “titel”"


def test_bad_choices_list_the_allowed_values():
    assert issues(carousel([card(), card()], width="LARGE")) == [
        "Carousel: card width must be one of: SMALL, MEDIUM"
    ]


def test_content_that_is_not_an_object_is_refused_in_words():
    assert issues(["text"]) == ["Message: the content must be a JSON object"]

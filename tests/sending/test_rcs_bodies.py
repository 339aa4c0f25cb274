"""A batch's RCS bodies filled into a body validated once are the bodies validated in full."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from messaging.content_errors import ContentError
from messaging.variables import compile_content
from sending.services.rcs_bodies import RcsBodies, render_rcs

TEXT = {
    "text": "Bonjour {{ prenom }}, {{offre}} jusqu'à dimanche: https://relais.example/o",
    "suggestions": [{"reply": {"text": "Oui"}, "ctaId": "cta_yes01"}],
}
CARD = {
    "richCard": {
        "standaloneCard": {
            "cardOrientation": "VERTICAL",
            "cardContent": {
                "title": "{{prenom}}, votre offre",
                "description": "{{ offre }} en boutique",
                "suggestions": [
                    {
                        "action": {
                            "text": "Voir",
                            "openUrlAction": {"url": "https://relais.example/o"},
                        },
                        "ctaId": "cta_see01",
                    }
                ],
            },
        }
    }
}
VALUES = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=40
) | st.sampled_from(["", " ", "Zoé", '"quoted"', "{{ offre }}", "x" * 250, "é" * 3100])


def slow(content, values):
    try:
        return render_rcs(compile_content(content), values)
    except ContentError:
        return ContentError


def fast(content, values):
    try:
        return RcsBodies(compile_content(content)).body(values)
    except ContentError:
        return ContentError


@pytest.mark.parametrize("content", [TEXT, CARD], ids=["text", "card"])
def test_text_and_card_fields_are_filled_in_without_validating_again(content):
    bodies = RcsBodies(compile_content(content))
    assert bodies.filled is not None
    values = {"prenom": "Zoé", "offre": "-20 %"}
    assert bodies.body(values) == slow(content, values)


@settings(max_examples=200, deadline=None)
@given(prenom=VALUES, offre=VALUES)
@pytest.mark.parametrize("content", [TEXT, CARD], ids=["text", "card"])
def test_any_values_give_the_body_or_the_error_of_the_full_validation(content, prenom, offre):
    values = {"prenom": prenom, "offre": offre}
    assert fast(content, values) == slow(content, values)


def test_a_value_too_long_for_its_field_gets_the_full_validations_error():
    bodies = RcsBodies(compile_content(CARD))
    with pytest.raises(ContentError):
        bodies.body({"prenom": "x" * 250, "offre": "-20 %"})


@pytest.mark.parametrize(
    "content",
    [
        {"text": "Votre code: https://relais.example/c/{{code}}"},
        {
            "text": "Bonjour",
            "suggestions": [{"reply": {"text": "{{code}}"}, "ctaId": "cta_code01"}],
        },
        {
            "text": "Bonjour",
            "suggestions": [
                {
                    "action": {
                        "text": "Voir",
                        "openUrlAction": {"url": "https://relais.example/{{code}}"},
                    },
                    "ctaId": "cta_link01",
                }
            ],
        },
    ],
    ids=["link-in-text", "chip-label", "url"],
)
def test_variables_in_links_labels_or_urls_are_validated_per_message(content):
    bodies = RcsBodies(compile_content(content))
    assert bodies.filled is None
    assert bodies.body({"code": "A1"}) == render_rcs(compile_content(content), {"code": "A1"})

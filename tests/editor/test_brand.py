"""Brand rules French operators enforce: sender IDs and the STOP mention."""

import pytest
from django.core.exceptions import ValidationError

from editor.validators import validate_sender_id, validate_stop_mention
from tests.factories import make_brand


@pytest.mark.parametrize("sender", ["MAISONREL", "Shop24", "AB", "ABCDEFGHIJK", "36Relais"])
def test_valid_sender_ids_pass(sender):
    validate_sender_id(sender)


@pytest.mark.parametrize(
    ("sender", "words"),
    [
        ("A", "is 1 character long: use 2 to 11"),
        ("MAISONRELAIS", "is 12 characters long: use 2 to 11"),
        ("MAISON REL", "space"),
        ("MAISON-REL", "“-”"),
        ("MAISÖNREL", "“Ö”"),
        ("36111", "only digits"),
    ],
)
def test_invalid_sender_id_is_refused_with_the_reason(sender, words):
    with pytest.raises(ValidationError) as caught:
        validate_sender_id(sender)
    assert words in caught.value.messages[0]


@pytest.mark.parametrize(
    "mention", ["STOP au 36111", "STOP SMS 36180", "Désinscription : STOP 36111"]
)
def test_valid_stop_mentions_pass(mention):
    validate_stop_mention(mention)


@pytest.mark.parametrize(
    ("mention", "words"),
    [
        ("Répondez stop au 36111", "word STOP"),
        ("STOP au 38111", "starting with 36"),
        ("STOP au 361112", "starting with 36"),
        ("STOP", "starting with 36"),
    ],
)
def test_invalid_stop_mention_is_refused_with_the_reason(mention, words):
    with pytest.raises(ValidationError) as caught:
        validate_stop_mention(mention)
    assert words in caught.value.messages[0]


@pytest.mark.django_db
def test_brand_full_clean_reports_both_fields():
    brand = make_brand(sms_sender_id="MAISON REL", stop_mention="STOP")
    with pytest.raises(ValidationError) as caught:
        brand.full_clean()
    assert set(caught.value.message_dict) == {"sms_sender_id", "stop_mention"}

"""Every validation message is in the request's language: pydantic's own sentences are
English, so the errors Relais does not word itself get a sentence naming their code."""

from django.utils import translation

from api.validation import validation_message


def test_a_known_error_is_worded_in_the_active_language():
    error = {"type": "string_too_short", "msg": "String should have at least 1 character"}
    error["ctx"] = {"min_length": 1}
    with translation.override("en"):
        assert validation_message(error) == "This field cannot be empty."
    with translation.override("fr"):
        assert validation_message(error) == "Ce champ ne peut pas être vide."


def test_an_error_relais_does_not_word_keeps_english_in_english_only():
    error = {"type": "uuid_version", "msg": "UUID version 4 expected"}
    with translation.override("en"):
        assert validation_message(error) == "UUID version 4 expected"
    with translation.override("fr"):
        message = validation_message(error)
    assert "uuid_version" in message
    assert "expected" not in message

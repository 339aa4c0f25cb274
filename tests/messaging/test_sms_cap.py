"""The SMS segment cap: over the limit is refused, naming the variable that made it too long."""

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from messaging import sms
from messaging.sms_cap import DEFAULT_MAX_SEGMENTS, SmsTooLong, check_sms_length
from messaging.variables import compile_text

TEMPLATE = "Bonjour {{ prenom }}, votre code {{ code }} : https://shop.example/c/{{ code }}"


def check(values, limit=DEFAULT_MAX_SEGMENTS, template=TEMPLATE):
    check_sms_length(compile_text(template).render(values), limit, template, values)


def test_a_normal_sms_passes():
    check({"prenom": "Marie", "code": "A12"})


def test_a_100000_character_variable_is_refused_naming_it_and_its_size():
    values = {"prenom": "x" * 100_000, "code": "A12"}
    with translation.override("en"), pytest.raises(SmsTooLong) as caught:
        check(values)

    refusal = caught.value
    assert refusal.code == "sms_too_long"
    assert refusal.field == "variables.prenom"
    assert refusal.limit == 6
    assert refusal.segments == sms.analyze(compile_text(TEMPLATE).render(values)).segments == 654
    assert str(refusal) == (
        "The SMS would be 654 segments, the limit is 6: "
        "the variable “prenom” is 100,000 characters."
    )


def test_the_longest_variable_is_the_one_named():
    with pytest.raises(SmsTooLong) as caught:
        check({"prenom": "y" * 400, "code": "z" * 500})
    assert caught.value.field == "variables.code"
    assert caught.value.length == 500


def test_exactly_the_limit_passes_and_one_segment_more_is_refused():
    template = "{{ texte }}"
    check({"texte": "a" * (2 * 153)}, limit=2, template=template)
    with pytest.raises(SmsTooLong) as caught:
        check({"texte": "a" * (2 * 153 + 1)}, limit=2, template=template)
    assert caught.value.segments == 3


def test_a_template_text_too_long_by_itself_names_no_variable(english):
    template = "a" * 1000 + " {{ prenom }}"
    with pytest.raises(SmsTooLong) as caught:
        check({"prenom": "Marie"}, limit=2, template=template)
    assert caught.value.field == "template_id"
    assert "the template's SMS text alone is too long" in str(caught.value)


def test_the_size_is_written_the_french_way_for_french_users():
    with translation.override("fr"), pytest.raises(SmsTooLong) as caught:
        check({"prenom": "x" * 100_000, "code": "A12"})
    assert "100\u00a0000" in str(caught.value)


# The cheap bound used before a full analysis


@given(st.text(max_size=800))
def test_min_segments_never_exceeds_the_real_count(text):
    assert sms.min_segments(text) <= sms.analyze(text).segments


@given(st.text(alphabet=sorted(sms.GSM_BASIC - {"\r", "\n"}), max_size=2000))
def test_min_segments_is_exact_for_plain_gsm_text(text):
    assert sms.min_segments(text) == sms.analyze(text).segments

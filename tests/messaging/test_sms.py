import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from messaging import sms
from messaging.sms import (
    GSM7_PART,
    GSM7_SINGLE,
    GSM_7,
    GSM_BASIC,
    GSM_EXTENSION,
    UCS2_PART,
    UCS2_SINGLE,
    UCS_2,
    Replacement,
    analyze,
    explain,
    graphemes,
    is_gsm,
    split,
    to_gsm,
)

EXTENSION_CHARACTERS = ["\f", "^", "{", "}", "\\", "[", "~", "]", "|", "€"]


def septets(text):
    return sum(2 if char in GSM_EXTENSION else 1 for char in text)


def utf16_units(text):
    return len(text.encode("utf-16-le")) // 2


# The alphabet


def test_gsm_tables_have_the_3gpp_sizes():
    assert len(GSM_BASIC) == 127
    assert set(EXTENSION_CHARACTERS) == GSM_EXTENSION


def test_dollar_is_gsm_but_backtick_is_not():
    assert is_gsm("$")
    assert not is_gsm("`")


def test_only_capital_c_cedilla_is_gsm():
    assert is_gsm("Ç")
    assert not is_gsm("ç")


@pytest.mark.parametrize("char", list("àèéùìòÉÄÖÜäöüÆæ€"))
def test_french_letters_in_the_gsm_alphabet(char):
    assert is_gsm(char)


@pytest.mark.parametrize("char", list("âêîôûëïÿçÀÈÊÎÔÙÛœŒ«»’‘“”°"))
def test_french_characters_outside_the_gsm_alphabet(char):
    assert not is_gsm(char)


# Segment counting: vectors from Twilio's message-segment-calculator and smsutil


def test_160_digits_fit_one_gsm_segment():
    analysis = analyze("1" * 160)
    assert analysis.encoding == GSM_7
    assert analysis.segments == 1
    assert analysis.per_segment == GSM7_SINGLE
    assert analysis.remaining == 0


def test_161_digits_need_two_segments_of_153():
    analysis = analyze("1" * 161)
    assert analysis.segments == 2
    assert analysis.per_segment == GSM7_PART
    assert [len(part) for part in split("1" * 161)] == [153, 8]
    assert analysis.remaining == 145


def test_307_digits_need_three_segments_the_last_with_one_character():
    parts = split("1" * 307)
    assert analyze("1" * 307).segments == 3
    assert [len(part) for part in parts] == [153, 153, 1]


def test_emoji_and_68_digits_fit_one_ucs2_segment():
    analysis = analyze("😜" + "1" * 68)
    assert analysis.encoding == UCS_2
    assert analysis.length == 70
    assert analysis.characters == 69
    assert analysis.segments == 1
    assert analysis.remaining == 0


def test_emoji_and_69_digits_need_two_ucs2_segments():
    analysis = analyze("😜" + "1" * 69)
    assert analysis.segments == 2
    assert analysis.per_segment == UCS2_PART


@pytest.mark.parametrize("char", EXTENSION_CHARACTERS)
def test_extension_character_costs_two_septets(char):
    # Twilio's vector: "{" and 158 digits is 159 characters, 160 septets, one segment.
    fits = analyze(char + "1" * 158)
    assert fits.encoding == GSM_7
    assert (fits.characters, fits.length, fits.segments) == (159, 160, 1)
    assert analyze(char + "1" * 159).segments == 2


def test_non_gsm_accented_capitals_switch_to_ucs2():
    assert analyze("Á" * 70).encoding == UCS_2
    assert analyze("Á" * 70).segments == 1
    assert analyze("Á" * 71).segments == 2


def test_escape_pair_is_not_cut_at_the_end_of_a_part():
    parts = split("1" * 152 + "{" + "1" * 10)
    assert parts[0] == "1" * 152
    assert septets(parts[0]) == 152
    assert parts[1].startswith("{")


def test_extension_characters_fill_parts_to_153_septets():
    parts = split("1" * 145 + "{" * 15)
    assert len(parts) == 2
    assert (len(parts[0]), septets(parts[0])) == (149, 153)
    assert (len(parts[1]), septets(parts[1])) == (11, 22)


def test_extension_characters_cost_one_unit_in_a_ucs2_message():
    assert analyze("😀" + "]" * 68).segments == 1
    assert analyze("😀" + "]" * 69).segments == 2


def test_flag_counts_four_units_and_one_character():
    analysis = analyze("🇮🇹")
    assert analysis.length == 4
    assert analysis.characters == 1


def test_combining_accents_make_one_character():
    assert analyze("é́́").characters == 1


def test_empty_text_is_zero_segments():
    analysis = analyze("")
    assert analysis.segments == 0
    assert split("") == []
    assert analysis.remaining == GSM7_SINGLE


def test_flag_is_never_cut_between_parts():
    text = "a" * 65 + "🇫🇷" + "b" * 10
    parts = split(text)
    assert parts[0] == "a" * 65
    assert parts[1].startswith("🇫🇷")


def test_surrogate_pair_is_never_cut_between_parts():
    text = "😀" * 40
    parts = split(text)
    assert parts[0] == "😀" * 33
    assert all(utf16_units(part) <= UCS2_PART for part in parts)


def test_oversized_grapheme_is_cut_between_code_points():
    text = "a" + "\u0301" * 100
    parts = split(text)
    assert "".join(parts) == text
    assert all(utf16_units(part) <= UCS2_PART for part in parts)


# What forces UCS-2


def test_french_apostrophe_and_c_cedilla_force_ucs2_and_are_named():
    text = "Bonjour, l’été arrive : profitez de la façade"
    analysis = analyze(text)
    assert analysis.encoding == UCS_2
    assert analysis.ucs2_characters == [(10, "’"), (41, "ç")]


def test_ucs2_characters_are_counted_by_grapheme_position():
    analysis = analyze("🇫🇷 ok ’")
    assert analysis.ucs2_characters == [(0, "🇫🇷"), (5, "’")]


def test_gsm_text_has_no_ucs2_characters():
    assert analyze("Soldes -50% sur tout ! STOP au 36111").ucs2_characters == []


# Look-alike replacement


def test_to_gsm_replaces_typographic_punctuation():
    text, replacements = to_gsm("l’offre “spéciale” – 3 jours…")
    assert text == 'l\'offre "spéciale" - 3 jours...'
    assert Replacement(1, "’", "'") in replacements
    assert is_gsm(text)


def test_to_gsm_replaces_non_breaking_spaces():
    text, _replacements = to_gsm("Vite\u202f! 20\u00a0%")
    assert text == "Vite ! 20 %"


def test_to_gsm_drops_the_space_inside_french_guillemets():
    text, replacements = to_gsm("« Top »")
    assert text == '"Top"'
    assert [r.position for r in replacements] == [0, 1, 5, 6]


def test_to_gsm_writes_ligatures_as_two_letters():
    assert to_gsm("œuf Œuvre ŒUVRE")[0] == "oeuf Oeuvre OEUVRE"


def test_to_gsm_drops_accents_that_gsm_lacks_without_changing_case():
    text, _replacements = to_gsm("ça âge être île hôtel où goûter Noël naïf À È Ê")
    assert text == "ca age etre ile hotel où gouter Noel naif A E E"


def test_to_gsm_composes_decomposed_accents_that_gsm_has():
    text, replacements = to_gsm("e\u0301te\u0301")
    assert text == "été"
    assert replacements == [Replacement(0, "e\u0301", "é"), Replacement(2, "e\u0301", "é")]


def test_to_gsm_keeps_gsm_text_unchanged():
    text = "Soldes : -50% sur {tout} à 10€ ! Ça va ? $"
    assert to_gsm(text) == (text, [])


def test_to_gsm_keeps_emoji_which_still_force_ucs2():
    text, replacements = to_gsm("Promo’ 😀")
    assert text == "Promo' 😀"
    assert analyze(text).ucs2_characters == [(7, "😀")]
    assert replacements == [Replacement(5, "’", "'")]


def test_to_gsm_does_not_strip_marks_from_symbols():
    assert to_gsm("≠")[0] == "≠"


def test_to_gsm_turns_a_typical_french_promotion_into_one_gsm_sms():
    text = "Chère cliente, l’été est là\u202f: -30\u00a0% sur la façade « Côté jardin »…"
    assert analyze(text).encoding == UCS_2
    converted, _replacements = to_gsm(text)
    assert analyze(converted).encoding == GSM_7


# explain


def test_explain_names_the_characters_that_force_ucs2():
    analysis = analyze("Bonjour, l’été arrive : profitez de la façade")
    with translation.override("en"):
        sentence = explain(analysis)
    assert sentence == (
        "UCS-2 because of ’ (position 11) and ç (position 42): "
        "a segment holds 70 characters instead of 160."
    )


def test_explain_shows_invisible_characters_by_code():
    with translation.override("en"):
        assert "U+00A0 (position 3)" in explain(analyze("20\u00a0%"))


def test_explain_counts_the_other_characters_beyond_three():
    with translation.override("en"):
        sentence = explain(analyze("âêîôû"))
    assert "â (position 1), ê (position 2), î (position 3) and 2 other characters" in sentence


def test_explain_gsm_text():
    with translation.override("en"):
        assert explain(analyze("Bonjour")) == (
            "Standard SMS alphabet (GSM-7): one segment holds 160 characters, "
            "153 each when the SMS takes several."
        )


# Properties

sms_alphabet = st.sampled_from(
    [*"aZ09 @$é€{}[]^~|\\\n\r", "’", "ç", "😀", "🇫🇷", "👩‍👩‍👧", "e\u0301", "\u00a0", "\r\n"]
)
sms_text = st.one_of(
    st.lists(sms_alphabet, max_size=400).map("".join),
    st.text(max_size=400),
)


def budget_cost(part, encoding):
    return septets(part) if encoding == GSM_7 else utf16_units(part)


@given(sms_text)
def test_split_parts_join_back_to_the_text(text):
    assert "".join(split(text)) == text


@given(sms_text)
def test_every_part_fits_its_segment_budget(text):
    analysis = analyze(text)
    parts = split(text)
    budget = analysis.per_segment
    if len(parts) == 1:
        assert budget in (GSM7_SINGLE, UCS2_SINGLE)
    assert all(budget_cost(part, analysis.encoding) <= budget for part in parts)


@given(sms_text)
def test_segment_count_is_the_number_of_parts(text):
    assert analyze(text).segments == len(split(text))


@given(sms_text)
def test_length_counts_septets_or_utf16_units(text):
    analysis = analyze(text)
    assert analysis.length == budget_cost(text, analysis.encoding)
    assert analysis.encoding == (GSM_7 if is_gsm(text) else UCS_2)


@given(sms_text)
def test_to_gsm_reports_exactly_the_changes_it_made(text):
    converted, replacements = to_gsm(text)
    clusters = graphemes(text)
    for replacement in replacements:
        assert clusters[replacement.position] == replacement.original
        assert is_gsm(replacement.replacement)
        clusters[replacement.position] = replacement.replacement
    assert "".join(clusters) == converted


@given(st.text(alphabet=sorted(sms.GSM_CHARACTERS), max_size=170))
def test_the_short_gsm_shortcut_agrees_with_the_full_analysis(text):
    short = sms._short_gsm(text)
    clusters = sms.graphemes(text)
    parts, costs, per_segment = sms._pack(clusters, sms.GSM_7)
    if short is None:
        assert sum(sms._septets(c) for c in clusters) > sms.GSM7_SINGLE
        return
    assert short.characters == len(clusters)
    assert short.segments == len(parts)
    assert short.per_segment == per_segment
    assert short.remaining == per_segment - (costs[-1] if costs else 0)
    assert short.length == sms._septets(text)
    assert not sms._ucs2_characters(clusters)

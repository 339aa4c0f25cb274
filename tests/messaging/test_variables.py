import copy

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from messaging.variables import (
    VARIABLE_NAME_RE,
    DuplicateVariable,
    InvalidVariableName,
    MissingVariable,
    UnknownVariable,
    Variable,
    VariableError,
    compile_content,
    compile_text,
    declare,
    find_in_content,
    find_unsupported,
    find_variables,
    resolve,
    sample_values,
)

CARD_CONTENT = {
    "richCard": {
        "standaloneCard": {
            "cardOrientation": "VERTICAL",
            "cardContent": {
                "title": "Bonjour {{ prenom }}",
                "description": "Votre code : {{code}}, valable 7 jours.",
                "media": {
                    "height": "MEDIUM",
                    "contentInfo": {
                        "fileUrl": "https://cdn.example/{{ visuel }}.jpg",
                        "forceRefresh": False,
                    },
                },
                "suggestions": [
                    {
                        "action": {
                            "text": "Voir",
                            "postbackData": "see",
                            "openUrlAction": {"url": "https://shop.example/p?n={{ prenom }}"},
                        },
                        "ctaId": "cta_b2",
                    }
                ],
            },
        }
    }
}


# Finding variables


def test_find_variables_in_order_of_appearance_without_duplicates():
    text = "{{ prenom }}, votre code {{code}} ! À bientôt {{ prenom }}"
    assert find_variables(text) == ["prenom", "code"]


@pytest.mark.parametrize(
    "text",
    ["{{ a.b }}", "{{ a|upper }}", "{{ Prenom }}", "{% if vip %}", "{{ 1abc }}", "{{ é }}"],
)
def test_template_syntax_that_is_not_a_placeholder_is_not_a_variable(text):
    assert find_variables(text) == []
    assert find_unsupported(text) == [text]


def test_name_longer_than_32_characters_is_not_a_placeholder():
    assert find_variables("{{ " + "a" * 32 + " }}") == ["a" * 32]
    assert find_variables("{{ " + "a" * 33 + " }}") == []


def test_find_unsupported_ignores_real_placeholders():
    assert find_unsupported("Hi {{ prenom }} {{ user.name }}") == ["{{ user.name }}"]


def test_find_in_content_walks_every_string_in_order():
    assert find_in_content(CARD_CONTENT) == ["prenom", "code", "visuel"]


# Rendering text


def test_render_substitutes_spaced_and_compact_placeholders():
    compiled = compile_text("Bonjour {{ prenom }}, code {{code}}.")
    assert compiled.render({"prenom": "Léa", "code": "A12"}) == "Bonjour Léa, code A12."
    assert compiled.names == ("prenom", "code")


def test_compiled_text_renders_many_times_with_different_values():
    compiled = compile_text("Bonjour {{ prenom }} !")
    assert [compiled.render({"prenom": name}) for name in ["Léa", "Jean"]] == [
        "Bonjour Léa !",
        "Bonjour Jean !",
    ]


def test_unsupported_syntax_is_left_literal_when_rendering():
    text = "{% if vip %}Cher {{ client.nom }} {{ prenom|upper }}{% endif %} {{ prenom }}"
    assert compile_text(text).render({"prenom": "Léa"}) == (
        "{% if vip %}Cher {{ client.nom }} {{ prenom|upper }}{% endif %} Léa"
    )


def test_values_are_inserted_literally_and_never_evaluated_again():
    compiled = compile_text("Bonjour {{ prenom }}, code {{ code }}")
    rendered = compiled.render({"prenom": "{{ code }}", "code": "42"})
    assert rendered == "Bonjour {{ code }}, code 42"


def test_render_without_a_value_names_the_missing_variable():
    with pytest.raises(MissingVariable) as caught:
        compile_text("Bonjour {{ prenom }}").render({})
    assert caught.value.name == "prenom"
    assert "prenom" in str(caught.value)


def test_text_without_variables_renders_unchanged():
    assert compile_text("Soldes {{ }} !").render({}) == "Soldes {{ }} !"


# URLs


def test_values_in_url_are_percent_encoded():
    compiled = compile_text("https://shop.example/p/{{ nom }}?ref={{ ref }}", url=True)
    rendered = compiled.render({"nom": "Jean Dupont/Ça", "ref": "a&b=c"})
    assert rendered == "https://shop.example/p/Jean%20Dupont%2F%C3%87a?ref=a%26b%3Dc"


def test_variable_at_the_start_of_a_url_is_the_address_and_is_not_encoded():
    compiled = compile_text("{{ site }}/p/{{ nom }}", url=True)
    assert compiled.render({"site": "https://a.example", "nom": "x y"}) == (
        "https://a.example/p/x%20y"
    )


def test_values_outside_url_fields_are_not_encoded():
    assert compile_text("{{ nom }}").render({"nom": "a&b c"}) == "a&b c"


# Rendering content


def test_compile_content_fills_text_and_encodes_url_fields():
    compiled = compile_content(CARD_CONTENT)
    values = {"prenom": "Léa Martin", "code": "X 1", "visuel": "été 2026"}
    card = compiled.render(values)["richCard"]["standaloneCard"]["cardContent"]
    assert card["title"] == "Bonjour Léa Martin"
    assert card["description"] == "Votre code : X 1, valable 7 jours."
    assert card["media"]["contentInfo"]["fileUrl"] == "https://cdn.example/%C3%A9t%C3%A9%202026.jpg"
    assert card["suggestions"][0]["action"]["openUrlAction"]["url"] == (
        "https://shop.example/p?n=L%C3%A9a%20Martin"
    )
    assert card["media"]["contentInfo"]["forceRefresh"] is False
    assert card["suggestions"][0]["ctaId"] == "cta_b2"
    assert compiled.names == ("prenom", "code", "visuel")


@pytest.mark.parametrize("key", ["url", "fallbackUrl", "fileUrl", "thumbnailUrl"])
def test_every_url_field_is_encoded(key):
    assert compile_content({key: "https://x.example/{{ a }}"}).render({"a": "a b"}) == {
        key: "https://x.example/a%20b"
    }


def test_rendered_content_shares_nothing_with_the_template_or_other_renders():
    original = copy.deepcopy(CARD_CONTENT)
    compiled = compile_content(CARD_CONTENT)
    values = {"prenom": "A", "code": "1", "visuel": "v"}
    first = compiled.render(values)
    first["richCard"]["standaloneCard"]["cardContent"]["suggestions"].clear()
    second = compiled.render(values)
    assert len(second["richCard"]["standaloneCard"]["cardContent"]["suggestions"]) == 1
    assert original == CARD_CONTENT


def test_content_render_names_a_missing_variable():
    with pytest.raises(MissingVariable) as caught:
        compile_content(CARD_CONTENT).render({"prenom": "A", "code": "1"})
    assert caught.value.name == "visuel"


# Declaring variables


@pytest.mark.parametrize("name", ["prenom", "_x", "code_2", "a" * 32])
def test_valid_variable_names(name):
    assert Variable(name).name == name


@pytest.mark.parametrize("name", ["", "Prenom", "prénom", "2code", "a-b", "a.b", "a b", "a" * 33])
def test_invalid_variable_names_are_refused(name):
    with pytest.raises(InvalidVariableName):
        Variable(name)


def test_variable_without_default_is_required():
    assert Variable("prenom").required
    assert not Variable("prenom", default="").required


def test_declare_refuses_a_duplicate_name():
    with pytest.raises(DuplicateVariable) as caught:
        declare([Variable("prenom"), {"name": "prenom", "default": "client"}])
    assert caught.value.name == "prenom"


def test_declare_reads_dicts():
    declared = declare([{"name": "prenom", "default": "client", "sample": "Léa"}, {"name": "code"}])
    assert declared == [Variable("prenom", "client", "Léa"), Variable("code")]


def test_declare_refuses_an_invalid_name_from_a_dict():
    with pytest.raises(InvalidVariableName):
        declare([{"name": "Code Promo"}])


def test_variable_errors_are_value_errors():
    assert issubclass(VariableError, ValueError)
    assert issubclass(MissingVariable, VariableError)


def test_missing_variable_message_is_translatable_and_names_it():
    with translation.override("en"):
        assert str(MissingVariable("prenom")) == "The variable “prenom” has no value."


# Resolving values

DECLARED = [
    Variable("prenom", default="cher client", sample="Léa"),
    Variable("code", sample="BIENVENUE10"),
    Variable("ville", default=""),
]


def test_given_values_win_and_defaults_fill_the_rest():
    assert resolve(DECLARED, {"prenom": "Jean", "code": "X"}) == {
        "prenom": "Jean",
        "code": "X",
        "ville": "",
    }


def test_blank_value_counts_as_absent_and_takes_the_default():
    assert resolve(DECLARED, {"prenom": "  ", "code": "X"})["prenom"] == "cher client"


def test_missing_required_variable_is_named():
    with pytest.raises(MissingVariable) as caught:
        resolve(DECLARED, {"prenom": "Jean"})
    assert caught.value.name == "code"


def test_blank_required_variable_is_missing():
    with pytest.raises(MissingVariable):
        resolve(DECLARED, {"code": ""})


def test_strict_refuses_an_undeclared_value():
    with pytest.raises(UnknownVariable) as caught:
        resolve(DECLARED, {"code": "X", "promo": "1"}, strict=True)
    assert caught.value.name == "promo"


def test_lenient_passes_undeclared_values_through():
    assert resolve(DECLARED, {"code": "X", "promo": "1"})["promo"] == "1"


def test_non_string_values_become_text():
    assert resolve([Variable("montant")], {"montant": 20}) == {"montant": "20"}


def test_previews_use_samples_before_defaults_and_never_fail():
    assert resolve(DECLARED, {}, use_samples=True) == {
        "prenom": "Léa",
        "code": "BIENVENUE10",
        "ville": "",
    }
    assert resolve([Variable("magasin")], {}, use_samples=True) == {"magasin": "[magasin]"}


def test_sample_values_for_previews():
    assert sample_values(DECLARED + [Variable("magasin")]) == {
        "prenom": "Léa",
        "code": "BIENVENUE10",
        "ville": "",
        "magasin": "[magasin]",
    }


def test_resolved_values_render_the_template():
    compiled = compile_text("Bonjour {{ prenom }}, code {{ code }}")
    values = resolve(DECLARED, {"code": "X"})
    assert compiled.render(values) == "Bonjour cher client, code X"


# Properties

names = st.from_regex(VARIABLE_NAME_RE, fullmatch=True)
# No "://": values inside a written link are encoded (test_variables_in_links.py).
literal = st.text().filter(lambda text: not {"{", "}"} & set(text) and "://" not in text)


@given(st.lists(st.tuples(literal, names, st.text()), max_size=6), literal)
def test_compiled_render_matches_straightforward_substitution(pieces, tail):
    template = "".join(f"{text}{{{{ {name} }}}}" for text, name, _value in pieces) + tail
    values = {name: value for _text, name, value in pieces}
    expected = "".join(f"{text}{values[name]}" for text, name, _value in pieces) + tail
    assert compile_text(template).render(values) == expected

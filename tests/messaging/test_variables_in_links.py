"""Variables inside links are percent-encoded: a value can never move a link elsewhere."""

import re
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from messaging.variables import (
    UnsafeLinkValue,
    VariableError,
    compile_content,
    compile_text,
    encode_url_value,
)

SMS = "Votre commande est prête : https://shop.example/commande/{{numero_commande}} Merci !"
PHISHING = "X Urgent: confirmez votre carte https://evil.example/login"
# How a phone finds links in a text message: from the scheme to the next space.
LINK_RE = re.compile(r"https?://\S+", re.IGNORECASE)
# WHATWG URL: a path segment that browsers resolve as "." or "..", percent-encoded or not.
DOT_SEGMENTS = {".", "..", "%2e", ".%2e", "%2e.", "%2e%2e"}


def links(text):
    return LINK_RE.findall(text)


def test_a_link_in_a_value_stays_inside_the_shops_link():
    rendered = compile_text(SMS).render({"numero_commande": PHISHING})

    assert links(rendered) == [
        "https://shop.example/commande/"
        "X%20Urgent%3A%20confirmez%20votre%20carte%20https%3A%2F%2Fevil.example%2Flogin"
    ]
    assert rendered.endswith(" Merci !")


def test_a_path_traversal_in_a_value_stays_one_segment():
    rendered = compile_text(SMS).render({"numero_commande": "../../../evil.example/"})

    (link,) = links(rendered)
    assert link == "https://shop.example/commande/..%2F..%2F..%2Fevil.example%2F"
    assert urlsplit(link).path.split("/")[1:] == ["commande", "..%2F..%2F..%2Fevil.example%2F"]


@pytest.mark.parametrize("value", [".", "..", "...."])
def test_a_value_of_only_dots_in_a_link_path_is_refused_naming_the_variable(value):
    with pytest.raises(UnsafeLinkValue) as caught:
        compile_text(SMS).render({"numero_commande": value})

    assert caught.value.name == "numero_commande"
    assert isinstance(caught.value, VariableError)
    assert "numero_commande" in str(caught.value)


def test_dots_in_a_query_value_are_harmless_and_kept():
    compiled = compile_text("https://shop.example/c?ref={{ ref }}")
    assert compiled.render({"ref": ".."}) == "https://shop.example/c?ref=.."


def test_a_variable_outside_any_link_stays_plain_text():
    compiled = compile_text("Bonjour {{ prenom }}, voir https://shop.example/c/{{ code }} !")
    rendered = compiled.render({"prenom": "Jean & Zoé", "code": "A 1"})
    assert rendered == "Bonjour Jean & Zoé, voir https://shop.example/c/A%201 !"


def test_a_link_ends_at_the_first_space():
    compiled = compile_text("https://shop.example/ {{ prenom }}")
    assert compiled.render({"prenom": "Jean/Zoé"}) == "https://shop.example/ Jean/Zoé"


def test_links_are_found_whatever_the_case_of_the_scheme_and_with_http():
    compiled = compile_text("HTTPS://shop.example/{{ a }} http://shop.example/{{ b }}")
    assert compiled.render({"a": "x y", "b": "p/q"}) == (
        "HTTPS://shop.example/x%20y http://shop.example/p%2Fq"
    )


def test_a_spaced_placeholder_does_not_end_the_link():
    compiled = compile_text("https://shop.example/c/{{ code }}/{{ suite }}")
    assert compiled.render({"code": "a b", "suite": "c?d"}) == (
        "https://shop.example/c/a%20b/c%3Fd"
    )


def test_links_in_rcs_text_are_encoded_too():
    content = {"text": "Suivez https://shop.example/c/{{ code }} ou répondez {{ code }}"}
    rendered = compile_content(content).render({"code": "a b"})
    assert rendered == {"text": "Suivez https://shop.example/c/a%20b ou répondez a b"}


def test_rcs_url_fields_refuse_a_dots_only_value_in_the_path():
    compiled = compile_content({"openUrlAction": {"url": "https://shop.example/c/{{ code }}"}})
    with pytest.raises(UnsafeLinkValue):
        compiled.render({"code": ".."})


def test_the_same_encoding_serves_rcs_url_fields_and_sms_links():
    value = "a/b c?d#e"
    url_field = compile_text("https://shop.example/{{ v }}", url=True).render({"v": value})
    sms_link = compile_text("https://shop.example/{{ v }}").render({"v": value})
    assert url_field == sms_link == "https://shop.example/" + encode_url_value("v", value)


# Properties: whatever a variable holds, the SMS carries one link, to the template's host,
# under the template's path, with no segment a browser would resolve as "." or "..".

tricky = st.sampled_from(
    [
        PHISHING,
        "../../../evil.example/",
        "..%2F..%2Fevil.example",
        "%2e%2e/%2e%2e/",
        "@evil.example",
        "#@evil.example",
        "\\\\evil.example",
        "?next=https://evil.example",
        "a\u00a0https://evil.example",
        "a\nhttps://evil.example",
        "a\u2028https://evil.example",
        "{{ numero_commande }}",
    ]
)


@given(st.one_of(tricky, st.text(), st.text(alphabet="./%2eE:@?#\\ \n\t")))
@example("..")
def test_whatever_the_value_the_sms_link_keeps_the_templates_host_and_path(value):
    try:
        rendered = compile_text(SMS).render({"numero_commande": value})
    except UnsafeLinkValue:
        assert value and not value.strip(".")
        return

    (link,) = links(rendered)
    parts = urlsplit(link)
    assert parts.hostname == "shop.example"
    assert parts.path.startswith("/commande/")
    assert parts.query == parts.fragment == ""
    segments = parts.path.split("/")[1:]
    assert len(segments) == 2
    assert segments[1].lower() not in DOT_SEGMENTS
    assert unquote(segments[1]) == value


@given(st.text(), st.text())
def test_whatever_the_values_a_query_keeps_its_parameters(first, second):
    compiled = compile_text("Voir https://shop.example/c?a={{ a }}&b={{ b }} vite")
    (link,) = links(compiled.render({"a": first, "b": second}))
    parts = urlsplit(link)
    assert parts.hostname == "shop.example"
    assert [pair.split("=")[0] for pair in parts.query.split("&")] == ["a", "b"]

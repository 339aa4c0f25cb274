"""The tracked-link redirect: where it sends, what it appends, and every code it refuses."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analytics import clickstream as clickstream_module
from messaging import links
from tests.support.links import code_of, make_tracked_message, tracked

pytestmark = pytest.mark.django_db


def follow(client, code, **headers):
    return client.get(f"/l/{code}", headers=headers)


def test_a_tap_goes_to_the_target_with_utm_and_a_click_id(client, click_stream):
    message = make_tracked_message()

    response = follow(client, code_of(tracked(message, 0)), **{"User-Agent": "Mozilla/5.0"})

    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert (target.scheme, target.netloc, target.path) == ("https", "shop.example", "/soldes")
    query = parse_qs(target.query)
    brand = message.template_version.brand_snapshot["name"]
    assert query == {
        "ref": ["rcs"],
        "utm_source": [brand],
        "utm_medium": ["rcs"],
        "utm_campaign": [message.template_version.template.slug],
        "utm_content": ["cta_offres01"],
        "rl_click": query["rl_click"],
    }
    # The target's own query comes first, as it was written.
    assert target.query.startswith("ref=rcs&")
    number, index, at = links.read_click_id(query["rl_click"][0], links.settings_keys()[0])
    assert (number, index) == (message.pk, 0)
    assert abs(at - time.time()) < 60
    assert response["Cache-Control"] == "private, no-store"
    assert click_stream.client().xlen(click_stream.key()) == 1


def test_an_sms_link_says_sms_and_keeps_its_fragment(client, click_stream):
    message = make_tracked_message()

    response = follow(client, code_of(tracked(message, 2)))

    target = urlsplit(response["Location"])
    assert (target.path, target.fragment) == ("/aide", "contact")
    query = parse_qs(target.query)
    assert (query["utm_medium"], query["utm_content"]) == (["sms"], ["sms-2"])


def test_the_authors_own_utm_values_win(client, click_stream):
    url = "https://shop.example/?utm_campaign=noel&utm_source=newsletter"
    message = make_tracked_message(links_=[{"cta": "cta_x0001", "url": url, "channel": "rcs"}])

    query = parse_qs(urlsplit(follow(client, code_of(tracked(message, 0)))["Location"]).query)

    assert query["utm_campaign"] == ["noel"] and query["utm_source"] == ["newsletter"]
    assert query["utm_medium"] == ["rcs"] and "rl_click" in query


def test_the_redirect_opens_no_session_and_writes_nothing(client, click_stream):
    message = make_tracked_message()
    code = code_of(tracked(message, 0))

    with CaptureQueriesContext(connection) as queries:
        response = follow(client, code)

    assert response.status_code == 302
    assert "Set-Cookie" not in response.headers and not response.cookies
    statements = [query["sql"].lstrip().split()[0].upper() for query in queries]
    assert set(statements) <= {"SELECT"}
    # One read of the message; the brand and template names are remembered afterwards.
    with CaptureQueriesContext(connection) as queries:
        follow(client, code)
    assert len(queries) == 1


def test_a_tap_without_redis_still_gets_its_page(client, monkeypatch, caplog):
    import redis

    def down(fields):
        raise redis.ConnectionError("down")

    monkeypatch.setattr(clickstream_module, "append", down)
    message = make_tracked_message()

    response = follow(client, code_of(tracked(message, 1)))

    assert response.status_code == 302
    assert "click not recorded" in caplog.text


def altered(code):
    replacement = "A" if code[3] != "A" else "B"
    return code[:3] + replacement + code[4:]


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda code: code[:-1], id="truncated"),
        pytest.param(lambda code: code[1:], id="first-character-dropped"),
        pytest.param(altered, id="one-character-changed"),
        pytest.param(lambda code: code + "a", id="lengthened"),
        pytest.param(lambda code: "0" + code, id="leading-zero"),
        pytest.param(lambda code: code.swapcase(), id="case-changed"),
        pytest.param(lambda code: code[:-2] + "%2F", id="escaped-slash"),
        pytest.param(lambda code: "..", id="dot-dot"),
        pytest.param(lambda code: "x" * 500, id="long"),
    ],
)
def test_a_forged_truncated_or_tampered_code_is_not_found(client, click_stream, change):
    message = make_tracked_message()

    response = follow(client, change(code_of(tracked(message, 0))))

    assert response.status_code == 404
    assert click_stream.client().xlen(click_stream.key()) == 0


def test_a_code_signed_with_another_key_is_not_found(client, click_stream):
    message = make_tracked_message()
    other = links.derive_key("not this installation's secret, but long enough anyway")

    assert follow(client, links.encode(message.pk, 0, other)).status_code == 404


@pytest.mark.parametrize(
    "path",
    ["/l//evil.example", "/l/%2F%2Fevil.example", "/l/%5Cevil.example", "/l/javascript:alert(1)"],
)
def test_hostile_paths_are_not_found(client, click_stream, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "https:evil.example",
        "http://",
        "https://shop.example\\@evil.example",
        "https://shop.example/\nLocation: https://evil.example",
        "",
        None,
    ],
)
def test_a_hostile_target_is_never_followed(client, click_stream, url):
    message = make_tracked_message(links_=[{"cta": "cta_x0001", "url": url, "channel": "sms"}])

    assert follow(client, code_of(tracked(message, 0))).status_code == 404


def test_a_link_the_message_does_not_carry_is_not_found(client, click_stream):
    message = make_tracked_message()
    key = links.settings_keys()[0]

    assert follow(client, links.encode(message.pk, 3, key)).status_code == 404
    assert follow(client, links.encode(message.pk + 1000, 0, key)).status_code == 404
    untracked = make_tracked_message()
    untracked.links = None
    untracked.save(update_fields=["links"])
    assert follow(client, links.encode(untracked.pk, 0, key)).status_code == 404


def test_only_get_and_head_are_answered(client, click_stream):
    message = make_tracked_message()
    code = code_of(tracked(message, 0))

    assert client.post(f"/l/{code}").status_code == 405
    assert client.head(f"/l/{code}").status_code == 302


def test_a_genuine_code_for_a_number_past_any_message_id_is_not_found(client, click_stream):
    key = links.settings_keys()[0]

    assert follow(client, links.encode(2**63 + 5, 0, key)).status_code == 404
    assert click_stream.client().xlen(click_stream.key()) == 0


def test_the_redirect_skips_the_middleware_of_a_visit(client, click_stream, monkeypatch):
    """Request id and security headers, then straight to the redirect: no language, session,
    CSRF, user, messages or login throttling on the way, for a tap or a refused code."""
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.middleware.locale import LocaleMiddleware

    def not_here(self, request):
        raise AssertionError(f"{type(self).__name__} ran for {request.path}")

    monkeypatch.setattr(SessionMiddleware, "process_request", not_here)
    monkeypatch.setattr(LocaleMiddleware, "process_request", not_here)
    message = make_tracked_message()

    tapped = follow(client, code_of(tracked(message, 0)))
    refused = follow(client, "tampered0000000")

    assert (tapped.status_code, refused.status_code) == (302, 404)
    for response in (tapped, refused):
        assert response["Request-Id"] and response["X-Content-Type-Options"] == "nosniff"
        assert "Vary" not in response.headers

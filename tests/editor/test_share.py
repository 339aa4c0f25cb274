"""Share links of the preview: signed, expiring after 7 days, revocable, opened signed out."""

import time
from unittest import mock

import pytest

from editor.sharing import SHARE_MAX_AGE, revoke_share_links, share_token, template_for_token
from tests.factories import make_template
from tests.support.views import signed_in

pytestmark = pytest.mark.django_db


def share_url(template):
    return f"/share/{share_token(template)}/"


def test_a_signed_out_visitor_sees_both_phones_and_the_sms(client):
    template = make_template(name="Soldes d'été")
    response = client.get(share_url(template))
    page = response.content.decode()
    assert response.status_code == 200
    assert "iPhone preview" in page and "Android preview" in page
    assert "Marie, -40 % sur tout ce week-end" in page  # the SMS with the sample value
    assert "STOP au 36111" in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    # Never the editor: no editing controls, no save URL, no navigation into the app.
    for editor_part in ("data-save-url", "/save/", "Publish", "/templates/", "Log out"):
        assert editor_part not in page


def test_a_link_shows_the_template_as_it_is_now(client):
    template = make_template()
    url = share_url(template)
    template.sms_fallback = "Nouveau texte du SMS"
    template.save()
    assert "Nouveau texte du SMS" in client.get(url).content.decode()


def test_an_expired_link_says_so_with_410(client):
    template = make_template()
    url = share_url(template)
    later = time.time() + SHARE_MAX_AGE.total_seconds() + 60
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = client.get(url)
    assert response.status_code == 410
    assert "has expired" in response.content.decode()
    assert "Marie" not in response.content.decode()


def test_a_link_still_works_just_before_it_expires(client):
    template = make_template()
    url = share_url(template)
    almost = time.time() + SHARE_MAX_AGE.total_seconds() - 60
    with mock.patch("django.core.signing.time.time", return_value=almost):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # the signature
        lambda token: "x" + token,  # the payload
        lambda token: "not-a-token",
        lambda token: ":::",
    ],
)
def test_a_tampered_link_is_a_clear_404(client, tamper):
    template = make_template()
    response = client.get(f"/share/{tamper(share_token(template))}/")
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_revoking_turns_off_every_earlier_link(client):
    template = make_template()
    old = share_url(template)
    revoke_share_links(template)
    response = client.get(old)
    assert response.status_code == 410
    assert "turned off" in response.content.decode()
    assert client.get(share_url(template)).status_code == 200


def test_a_link_to_a_deleted_or_archived_template_shows_nothing(client):
    template = make_template()
    url = share_url(template)
    template.archive()
    assert client.get(url).status_code == 410
    other = make_template()
    token = share_token(other)
    other.delete()
    assert client.get(f"/share/{token}/").status_code == 404


def test_the_editor_offers_the_link_and_marketing_revokes(client):
    template = make_template()
    signed_in(client)
    page = client.get(f"/templates/{template.pk}/").content.decode()
    assert "Share preview" in page
    assert f"http://testserver/share/{share_token(template)}/" in page
    client.post(f"/templates/{template.pk}/share/revoke/")
    template.refresh_from_db()
    assert template.share_generation == 1


def test_a_viewer_can_share_but_not_revoke(client):
    template = make_template()
    signed_in(client, "Viewer")
    page = client.get(f"/templates/{template.pk}/").content.decode()
    assert "Share preview" in page
    assert "Turn off every link" not in page
    assert client.post(f"/templates/{template.pk}/share/revoke/").status_code == 403
    template.refresh_from_db()
    assert template.share_generation == 0


def test_a_token_names_its_template():
    template = make_template()
    assert template_for_token(share_token(template)) == template


def test_an_archived_template_offers_no_link(client):
    template = make_template()
    template.archive()
    signed_in(client)
    assert "Share preview" not in client.get(f"/templates/{template.pk}/").content.decode()

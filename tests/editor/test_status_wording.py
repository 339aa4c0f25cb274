"""A published template being edited reads as published with changes, not as a draft."""

import pytest

from editor.services import publish_template
from tests.factories import make_published_template, make_template
from tests.support.views import signed_in

pytestmark = pytest.mark.django_db
CHANGED_V2 = "Published · unpublished changes (v2 live)"


@pytest.fixture
def edited():
    """Published twice, then edited: version 2 is live, the changes are not."""
    template, _version = make_published_template(name="Soldes")
    template.sms_fallback = "Deuxieme texte https://shop.example"
    template.save()
    publish_template(template)
    template.sms_fallback = "Troisieme texte https://shop.example"
    template.save()
    return template


def badge(page, name):
    row = page[page.index(name) :]
    start = row.index("status-badge")
    return row[start : row.index("</span>", start)]


def test_the_list_names_the_live_version_of_an_edited_template(client, edited):
    signed_in(client)
    make_template(name="Brouillon")
    make_published_template(name="Livraison", slug="livraison")

    page = client.get("/templates/").content.decode()

    assert CHANGED_V2 in badge(page, ">Soldes<")
    assert 'data-status="changed"' in badge(page, ">Soldes<")
    assert badge(page, ">Brouillon<").endswith(">Draft")
    assert badge(page, ">Livraison<").endswith(">Published")


def test_the_editor_header_names_the_live_version(client, edited):
    signed_in(client)

    page = client.get(f"/templates/{edited.pk}/").content.decode()

    header = page[page.index('id="status-badge"') :]
    assert header[: header.index("</span>")].endswith(CHANGED_V2)


def test_the_list_asks_the_database_once_for_every_live_version(
    client, edited, django_assert_max_num_queries
):
    signed_in(client)
    for number in range(5):
        template, _version = make_published_template(name=f"Promo {number}")
        template.sms_fallback = "Modifie https://shop.example"
        template.save()
    client.get("/templates/")  # warm the session and the translations

    with django_assert_max_num_queries(8):
        page = client.get("/templates/").content.decode()
    assert page.count("Published · unpublished changes") == 6

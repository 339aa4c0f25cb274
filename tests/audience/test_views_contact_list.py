"""/audience/ counts live contacts, and test contacts only when asked, with a banner."""

import re

import pytest

from tests.factories import make_contact
from tests.support.views import signed_in

pytestmark = pytest.mark.django_db

BANNER = "You are looking at test data"


def stat(page, name):
    return int(re.search(rf'data-stat="{name}">(\d+)<', page).group(1))


@pytest.fixture
def contacts():
    make_contact(opted_in=True)
    make_contact()
    for _ in range(3):
        make_contact(test_mode=True, opted_in=True)


def test_the_audience_counts_only_live_contacts(client, contacts):
    signed_in(client)
    page = client.get("/audience/").content.decode()

    assert (stat(page, "contacts"), stat(page, "promotable")) == (2, 1)
    assert BANNER not in page
    assert 'href="/audience/?mode=test"' in page


def test_test_data_is_shown_when_asked_with_a_banner(client, contacts):
    signed_in(client)
    page = client.get("/audience/?mode=test").content.decode()

    assert (stat(page, "contacts"), stat(page, "promotable")) == (3, 3)
    assert BANNER in page
    assert 'href="/audience/"' in page


def test_no_live_contact_shows_the_empty_page_even_with_test_contacts(client):
    make_contact(test_mode=True)
    signed_in(client)
    page = client.get("/audience/").content.decode()
    assert "No contact yet" in page
    assert "data-stat" not in page

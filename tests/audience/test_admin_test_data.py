"""The admin lists contacts and consent from live data unless "Test data" is chosen."""

import pytest

from tests.factories import make_contact

pytestmark = pytest.mark.django_db

LIVE = "+33611111111"
TEST = "+33622222222"


@pytest.fixture
def both():
    make_contact(phone=LIVE, opted_in=True)
    make_contact(phone=TEST, opted_in=True, test_mode=True)


@pytest.mark.parametrize("model", ["audience/contact", "audience/consententry"])
def test_lists_show_live_data_by_default(english, admin_client, both, model):
    page = admin_client.get(f"/admin/{model}/").content.decode()
    assert LIVE in page
    assert TEST not in page
    assert "Test data" in page  # the filter to switch
    assert ">TEST</span>" not in page


@pytest.mark.parametrize("model", ["audience/contact", "audience/consententry"])
def test_the_test_data_filter_shows_test_data_with_a_badge(admin_client, both, model):
    page = admin_client.get(f"/admin/{model}/?mode=test").content.decode()
    assert TEST in page
    assert LIVE not in page
    assert ">TEST</span>" in page


def test_a_search_stays_in_live_data(admin_client, both):
    page = admin_client.get("/admin/audience/contact/?q=%2B336").content.decode()
    assert LIVE in page and TEST not in page


def test_a_contact_never_changes_mode_in_the_admin(admin_client, both):
    from audience.models import Contact

    contact = Contact.objects.test().get()
    page = admin_client.get(f"/admin/audience/contact/{contact.pk}/change/").content.decode()
    assert 'name="test_mode"' not in page
    assert 'name="test_mode"' in admin_client.get("/admin/audience/contact/add/").content.decode()

"""The admin lists contacts and consent from live data unless "Test data" is chosen."""

from decimal import Decimal

import pytest

from tests.factories import make_contact
from tests.support.imports import import_bytes, import_folder  # noqa: F401

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


def test_imports_and_audits_are_listed_and_read_but_never_edited(
    english,
    admin_client,
    import_folder,  # noqa: F811
):
    from audience.models import CapabilityAudit, ContactList

    done = import_bytes(b"phone;first_name\n0612345678;Ada\n", name="clients-juin.csv")
    audit = CapabilityAudit.objects.create(
        contact_list=ContactList.objects.create(name="Fidèles"),
        total=3,
        checked=3,
        rcs_yes=2,
        rcs_price=Decimal("0.01"),
        sms_segment_price=Decimal("0.04"),
    )
    listing = admin_client.get("/admin/audience/contactimport/").content.decode()
    assert "clients-juin.csv" in listing
    page = admin_client.get(f"/admin/audience/contactimport/{done.pk}/change/").content.decode()
    assert "clients-juin.csv" in page and 'name="original_name"' not in page
    assert admin_client.get("/admin/audience/contactimport/add/").status_code == 403
    assert "Fidèles" in admin_client.get("/admin/audience/capabilityaudit/").content.decode()
    page = admin_client.get(f"/admin/audience/capabilityaudit/{audit.pk}/change/")
    assert page.status_code == 200 and b'name="rcs_yes"' not in page.content
    delete = admin_client.post(
        f"/admin/audience/capabilityaudit/{audit.pk}/delete/", {"post": "yes"}
    )
    assert delete.status_code == 403 and CapabilityAudit.objects.filter(pk=audit.pk).exists()

import pytest

from tests.factories import make_contact, make_list, make_published_template


@pytest.fixture
def version(db):
    _template, version = make_published_template(slug="promo_campaign")
    return version


def fill_list(contact_list, count, *, opted_in=True, **fields):
    """Add `count` new contacts of the list's mode to it; returns their ids."""
    ids = []
    for _ in range(count):
        contact = make_contact(opted_in=opted_in, test_mode=contact_list.test_mode, **fields)
        contact.lists.add(contact_list)
        ids.append(contact.pk)
    return ids


@pytest.fixture
def test_list(db):
    return make_list(test_mode=True)

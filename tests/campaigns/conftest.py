"""Fixtures of the campaign tests: a published version, a test-mode list. Helpers that fill
lists are in tests/support/campaigns.py."""

import pytest

from tests.factories import make_list, make_published_template


@pytest.fixture
def version(db):
    _template, version = make_published_template(slug="promo_campaign")
    return version


@pytest.fixture
def test_list(db):
    return make_list(test_mode=True)

"""Dates in English read the same on both sides of the Atlantic: "5 Dec 2026, 14:05"."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from tests.factories import make_template
from tests.support.views import signed_in

MOMENT = datetime.datetime(2026, 12, 5, 14, 5)


def shown(format_name, language):
    with translation.override(language):
        template = Template(f'{{{{ moment|date:"{format_name}" }}}}')
        return template.render(Context({"moment": MOMENT}))


@pytest.mark.parametrize("format_name", ["SHORT_DATETIME_FORMAT", "DATETIME_FORMAT"])
def test_english_dates_name_the_month_and_use_24_hours(format_name):
    assert shown(format_name, "en") == "5 Dec 2026, 14:05"


def test_english_short_dates_name_the_month():
    assert shown("SHORT_DATE_FORMAT", "en") == "5 Dec 2026"


def test_french_dates_keep_the_french_formats():
    assert shown("SHORT_DATETIME_FORMAT", "fr") == "05/12/2026 14:05"


@pytest.mark.django_db
def test_the_template_list_shows_unambiguous_english_dates(client):
    signed_in(client)
    template = make_template()
    with translation.override("en"):
        expected = Template('{{ moment|date:"j M Y" }}').render(
            Context({"moment": template.updated})
        )
    page = client.get("/templates/").content.decode()
    assert expected in page

"""Duplicate, archive and restore, as the template list and the editor call them."""

import pytest

from editor.models import MessageTemplate
from editor.services import publish_template
from tests.factories import make_template

pytestmark = pytest.mark.django_db


def test_duplicate_saves_a_draft_copy_with_a_free_template_id():
    original = make_template(name="Soldes", slug="soldes", status=MessageTemplate.Status.PUBLISHED)
    first = original.duplicate()
    second = original.duplicate()
    assert (first.name, first.slug, first.status) == ("Soldes (copy)", "soldes_copy", "draft")
    assert second.slug == "soldes_copy_2"
    assert first.versions.count() == 0


def test_a_copy_of_a_long_name_still_fits_the_name_field():
    original = make_template(name="x" * 120)
    assert len(original.duplicate().name) == 120


def test_archive_happens_once():
    template = make_template()
    assert template.archive() is True
    assert template.archive() is False
    template.refresh_from_db()
    assert template.status == MessageTemplate.Status.ARCHIVED


def test_restore_brings_back_the_status_before_archiving_and_ignores_active_templates():
    draft, published = make_template(), make_template()
    publish_template(published)
    assert published.restore() is False
    for template in (draft, published):
        template.archive()
        assert template.restore() is True
        template.refresh_from_db()
    assert draft.status == MessageTemplate.Status.DRAFT
    assert published.status == MessageTemplate.Status.PUBLISHED


def test_a_template_edited_since_publishing_comes_back_as_a_draft():
    template = make_template()
    publish_template(template)
    template.archive()
    template.sms_fallback = "Autre texte {{ prenom }}"
    template.save()
    template.restore()
    assert template.status == MessageTemplate.Status.DRAFT

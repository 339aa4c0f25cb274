"""MessageTemplate.CONTENT_FIELDS is the one list of what publishing freezes: naming a field
there is enough for the fingerprint, duplicate, publish, the editor, the admin and the library."""

import pytest
from django.db import models

from editor import library
from editor.admin_forms import MessageTemplateAdminForm
from editor.forms import TemplateStateForm, state_of
from editor.library import use_library_template
from editor.models import MessageTemplate, content_fingerprint
from editor.services import publish_template
from tests.factories import make_brand, make_template

pytestmark = pytest.mark.django_db

CONTENT_FIELDS = MessageTemplate.CONTENT_FIELDS


def changed(template, name):
    """Another valid value for a content field of template, whatever its type."""
    field = template._meta.get_field(name)
    value = getattr(template, name)
    if field.is_relation:
        return make_brand()
    if field.choices:
        return next(choice for choice, _label in field.choices if choice != value)
    if isinstance(field, models.BooleanField):
        return not value
    if isinstance(field, models.PositiveIntegerField):
        return 7200 if value == 3600 else 3600
    if name == "rcs_content":
        return {"text": "Autre message pour {{ prenom }}"}
    if isinstance(field, models.JSONField) and isinstance(value, list):
        return [*value, {"name": "ville", "default": "Paris", "sample": "Lyon"}]
    if isinstance(field, models.CharField | models.TextField):
        return value + " autrement"
    raise AssertionError(f"teach changed() another value for the content field {name!r}")


def change_every_content_field(template):
    for name in CONTENT_FIELDS:
        setattr(template, name, changed(template, name))
    template.save()
    return template


def test_content_fields_are_what_the_fingerprint_always_hashed():
    # Published versions store this hash: a different spelling would mark them all changed.
    template = make_template()
    assert template.fingerprint() == content_fingerprint(
        brand_id=template.brand_id,
        rcs_content=template.rcs_content,
        sms_fallback=template.sms_fallback,
        rcs_only=template.rcs_only,
        variables=template.variables,
        traffic_type=template.traffic_type,
        rcs_ttl_seconds=template.rcs_ttl_seconds,
        language=template.language,
    )


@pytest.mark.parametrize("name", CONTENT_FIELDS)
def test_changing_any_content_field_changes_the_fingerprint(name):
    template = make_template()
    before = template.fingerprint()
    setattr(template, name, changed(template, name))
    assert template.fingerprint() != before


@pytest.mark.parametrize("name", ["name", "slug", "category", "status"])
def test_other_fields_leave_the_fingerprint_alone(name):
    template = make_template()
    before = template.fingerprint()
    setattr(template, name, changed(template, name))
    assert template.fingerprint() == before


def test_duplicate_copies_every_content_field():
    original = change_every_content_field(make_template())
    copy = original.duplicate()
    copy.refresh_from_db()
    assert copy.content_values() == original.content_values()
    assert copy.fingerprint() == original.fingerprint()


def test_publish_freezes_every_content_field_and_the_brand_as_a_snapshot():
    template = change_every_content_field(make_template())
    version = publish_template(template)
    for name in CONTENT_FIELDS:
        if name == "brand":
            assert version.brand_snapshot["id"] == template.brand_id
        elif name != "sms_fallback":  # as sent: with the STOP mention, or none when RCS only
            assert getattr(version, name) == getattr(template, name), name
    assert not template.has_unpublished_changes


def test_the_editor_state_and_the_admin_set_every_content_field():
    template = make_template()
    state = state_of(template)
    assert {*CONTENT_FIELDS} <= {*TemplateStateForm.Meta.fields}
    assert {*CONTENT_FIELDS} <= {*state}
    assert state["brand"] == template.brand_id
    admin_sets = {*MessageTemplateAdminForm.Meta.fields, *MessageTemplateAdminForm.base_fields}
    elsewhere = MessageTemplateAdminForm.CONTENT_SET_ELSEWHERE
    assert {*CONTENT_FIELDS} <= admin_sets | {*elsewhere}
    assert {"rcs_ttl_minutes"} <= admin_sets


def test_the_state_form_applies_a_change_to_every_content_field():
    template = make_template()
    other = make_template()
    change_every_content_field(other)
    state = state_of(other)
    form = TemplateStateForm.from_state({name: state[name] for name in CONTENT_FIELDS}, template)
    assert form.is_valid(), form.errors
    form.save()
    template.refresh_from_db()
    assert template.content_values() == other.content_values()


def test_the_library_copies_any_content_field_its_texts_give(monkeypatch):
    texts = dict(library.TEXTS["fr"]["delivery"], rcs_ttl_seconds=3600, rcs_only=True)
    monkeypatch.setitem(library.TEXTS["fr"], "delivery", texts)
    template = use_library_template("delivery", make_brand(), language="fr")
    assert (template.rcs_ttl_seconds, template.rcs_only) == (3600, True)
    assert template.sms_fallback == texts["sms_fallback"]
    assert template.variables == texts["variables"]

"""Publishing a template that has not changed since its latest version makes no new version."""

import pytest

from editor.models import MessageTemplate, TemplateVersion
from editor.services import NothingToPublish, publish_template
from tests.factories import make_published_template
from tests.support.views import post_json, signed_in

pytestmark = pytest.mark.django_db


def test_publishing_twice_without_a_change_keeps_one_version():
    template, version = make_published_template()
    with pytest.raises(NothingToPublish) as refusal:
        publish_template(template)
    assert refusal.value.version == version
    assert refusal.value.messages == ["Nothing changed since version 1: it stays the one sent."]
    assert TemplateVersion.objects.filter(template=template).count() == 1


def test_a_change_undone_before_publishing_marks_the_template_published_again():
    template, _version = make_published_template()
    original = template.sms_fallback
    template.sms_fallback = "Autre texte"
    template.save()
    template.sms_fallback = original
    template.save()
    assert template.status == MessageTemplate.Status.DRAFT
    with pytest.raises(NothingToPublish):
        publish_template(template)
    template.refresh_from_db()
    assert template.status == MessageTemplate.Status.PUBLISHED
    assert template.versions.count() == 1


def test_a_change_of_the_brand_alone_makes_a_new_version():
    template, _version = make_published_template()
    template.brand.stop_mention = "STOP au 36222"
    template.brand.save()
    assert publish_template(template).number == 2


def test_the_editor_says_nothing_changed_and_keeps_one_version(client):
    signed_in(client)
    template, _version = make_published_template()
    response = post_json(client, f"/templates/{template.pk}/publish/", {})
    assert response.status_code == 200
    data = response.json()
    assert data["message"] == "Nothing changed since version 1: it stays the one sent."
    assert (data["version"], data["status"]) == (1, "published")
    assert template.versions.count() == 1


def test_the_admin_action_says_nothing_changed(admin_client):
    template, _version = make_published_template(name="Soldes")
    response = admin_client.post(
        "/admin/editor/messagetemplate/",
        {"action": "publish_selected", "_selected_action": [template.pk]},
        follow=True,
    )
    assert "“Soldes”: Nothing changed since version 1" in response.content.decode()
    assert template.versions.count() == 1

"""The editor page: what it shows, autosave, publish, versions, and Viewers reading only."""

import json

import pytest

from editor.models import MessageTemplate
from editor.services import publish_template
from tests.factories import make_template
from tests.support.views import card_content, post_json, signed_in

pytestmark = pytest.mark.django_db


def state_island(response):
    page = response.content.decode()
    start = page.index('<script id="editor-state" type="application/json">') + 50
    return json.loads(page[start : page.index("</script>", start)])


def test_editor_page_holds_the_state_the_canvas_and_both_previews(client):
    signed_in(client)
    template = make_template()
    response = client.get(f"/templates/{template.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    state = state_island(response)
    assert state["rcs_content"] == template.rcs_content
    assert state["variables"] == [{"name": "prenom", "default": None, "sample": "Marie"}]
    assert 'aria-label="iPhone preview"' in page
    assert 'aria-label="Android preview"' in page
    # Rendered with the sample value, in each phone.
    assert page.count('<p class="rcs-title">Marie, -40 % sur tout</p>') == 2
    assert 'data-path="[&quot;rcs_content&quot;,&quot;richCard&quot;' in page
    for name in ("Text", "Image", "Rich card", "Carousel", "Reply", "Open link", "Call"):
        assert f"<span>{name}</span>" in page
    assert 'data-action="publish"' in page


def test_editor_bar_offers_undo_and_redo_disabled_until_a_change(client):
    signed_in(client)
    template = make_template()
    page = client.get(f"/templates/{template.pk}/").content.decode()
    undo = page[
        page.index('id="undo-button"') : page.index("</button>", page.index('id="undo-button"'))
    ]
    assert "disabled" in undo
    assert 'aria-label="Undo"' in undo
    assert "Ctrl+Z when the cursor is not in a text field" in undo
    assert 'id="redo-button" data-action="redo" disabled' in page
    assert "js/editor/editor-history.js" in page
    assert 'data-action="undo-toast"' in page


def test_undo_and_redo_are_translated_in_french(client):
    signed_in(client)
    client.cookies["django_language"] = "fr"
    template = make_template()
    page = client.get(f"/templates/{template.pk}/").content.decode()
    assert 'aria-label="Annuler"' in page
    assert 'aria-label="Rétablir"' in page
    strings = json.loads(page[page.index('id="editor-strings"') :].split(">", 1)[1].split("<")[0])
    assert strings["deletedButton"] == "Bouton supprimé."
    assert strings["undone"] == "Annulé."


def test_buttons_made_outside_the_editor_get_their_id_when_opened(client):
    signed_in(client)
    content = card_content()
    del content["richCard"]["standaloneCard"]["cardContent"]["suggestions"][0]["ctaId"]
    template = make_template(rcs_content=content)
    state = state_island(client.get(f"/templates/{template.pk}/"))
    button = state["rcs_content"]["richCard"]["standaloneCard"]["cardContent"]["suggestions"][0]
    assert button["ctaId"].startswith("cta_")


def test_autosave_stores_the_draft_even_when_the_message_is_not_valid_yet(client):
    signed_in(client)
    template = make_template()
    content = card_content(label="A label far longer than twenty-five")
    response = post_json(
        client,
        f"/templates/{template.pk}/save/",
        {"name": "Soldes d'hiver", "rcs_content": content, "sms_fallback": "Bonjour\r\nà tous"},
    )
    assert response.status_code == 200
    assert response.json()["status"] == "draft"
    assert response.json()["errors"] == []
    template.refresh_from_db()
    assert template.name == "Soldes d'hiver"
    assert template.rcs_content == content
    assert template.sms_fallback == "Bonjour\nà tous"


def test_autosave_keeps_the_saved_value_of_a_field_that_does_not_validate(client):
    signed_in(client)
    template = make_template(name="Soldes")
    response = post_json(
        client,
        f"/templates/{template.pk}/save/",
        {"name": "", "sms_fallback": "Nouveau texte", "variables": "not a list"},
    )
    errors = {error["path"][0] for error in response.json()["errors"]}
    assert errors == {"name", "variables"}
    template.refresh_from_db()
    assert template.name == "Soldes"
    assert template.sms_fallback == "Nouveau texte"


def test_editing_a_published_template_makes_it_a_draft_again(client):
    signed_in(client)
    template = make_template()
    publish_template(template)
    response = post_json(client, f"/templates/{template.pk}/save/", {"sms_fallback": "Autre"})
    template.refresh_from_db()
    assert template.status == MessageTemplate.Status.DRAFT
    # Version 1 still goes out: the header says so rather than "Draft".
    assert response.json()["status"] == "changed"
    assert response.json()["status_label"] == "Published · unpublished changes (v1 live)"


def test_publish_saves_the_state_and_answers_the_new_version_history(client):
    user = signed_in(client)
    template = make_template()
    state = {"sms_fallback": "{{ prenom }}, -40 % ce week-end : https://shop.example/soldes"}
    response = post_json(client, f"/templates/{template.pk}/publish/", state)
    assert response.status_code == 200
    data = response.json()
    assert data["version"] == 1
    assert data["message"] == "Version 1 published."
    assert "Version 1" in data["versions_html"]
    assert f"/templates/{template.pk}/versions/1/" in data["versions_html"]
    version = template.versions.get()
    assert version.published_by == user
    assert version.sms_fallback.startswith("{{ prenom }}, -40 % ce week-end")


def test_publish_refused_lists_each_problem_with_the_path_of_its_element(client):
    signed_in(client)
    template = make_template()
    content = card_content(label="A label far longer than twenty-five")
    response = post_json(
        client, f"/templates/{template.pk}/publish/", {"rcs_content": content, "sms_fallback": ""}
    )
    assert response.status_code == 422
    data = response.json()
    assert data["error"] == "Not published: fix the 2 problems listed below."
    card_path = ["rcs_content", "richCard", "standaloneCard", "cardContent"]
    label_path = [*card_path, "suggestions", 0, "action", "text"]
    assert {"path": label_path, "where": "Button 1"} == {
        key: data["issues"][0][key] for key in ("path", "where")
    }
    assert data["issues"][0]["message"] == "label is 35 characters, the limit is 25"
    assert data["issues"][1]["path"] == ["sms_fallback"]
    assert not template.versions.exists()


def test_archived_template_opens_read_only_and_refuses_saving(client):
    signed_in(client)
    template = make_template(status=MessageTemplate.Status.ARCHIVED)
    page = client.get(f"/templates/{template.pk}/").content.decode()
    assert "This template is archived" in page
    assert 'data-read-only="true"' in page
    response = post_json(client, f"/templates/{template.pk}/save/", {"name": "x"})
    assert response.status_code == 409
    assert post_json(client, f"/templates/{template.pk}/publish/", {}).status_code == 409


def test_viewer_opens_the_editor_read_only_and_cannot_save_or_publish(client):
    signed_in(client, role="Viewer")
    template = make_template()
    page = client.get(f"/templates/{template.pk}/").content.decode()
    assert 'data-read-only="true"' in page
    assert "Read-only: your role can look" in page
    assert 'data-palette="blocks"' not in page
    assert 'data-action="publish"' not in page
    assert 'data-action="delete"' not in page
    assert 'id="undo-button"' not in page
    assert 'data-action="undo-toast"' not in page
    assert 'id="sms-text" class="form-control" rows="4" data-path=\'["sms_fallback"]\'' in page
    assert "disabled>" in page
    assert 'aria-label="Android preview"' in page
    for url in ("save", "publish", "preview", "canvas"):
        response = post_json(client, f"/templates/{template.pk}/{url}/", {"name": "x"})
        assert response.status_code == 403
    template.refresh_from_db()
    assert template.name == "Soldes"


def test_version_page_shows_the_frozen_version_read_only(client):
    signed_in(client)
    template = make_template()
    publish_template(template)
    template.sms_fallback = "Changed after publishing"
    template.save()
    page = client.get(f"/templates/{template.pk}/versions/1/").content.decode()
    assert "Version 1" in page
    assert "Marie, -40 % sur tout" in page
    assert "STOP au 36111" in page
    assert "Changed after publishing" not in page
    assert client.get(f"/templates/{template.pk}/versions/2/").status_code == 404

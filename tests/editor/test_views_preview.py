"""The editor's fragments: phone previews with problems, the canvas, the SMS fallback tools."""

import json
import re

import pytest

from editor.models import MessageTemplate
from tests.factories import make_template
from tests.support.views import card_content, post_json, signed_in

pytestmark = pytest.mark.django_db


def issues_of(page):
    found = re.search(r'<script id="issues-data" type="application/json">(.*?)</script>', page)
    return json.loads(found.group(1))


def preview(client, template, state):
    response = post_json(client, f"/templates/{template.pk}/preview/", state)
    assert response.status_code == 200
    return response.content.decode()


def test_preview_renders_the_posted_state_in_both_phones_with_sample_values(client):
    signed_in(client)
    template = make_template()
    content = card_content(title="{{ prenom }}, it is on")
    page = preview(client, template, {"rcs_content": content})
    assert page.count('<p class="rcs-title">Marie, it is on</p>') == 2
    assert page.count("Voir les offres") == 2
    # Nothing was saved: the preview shows an edit in progress.
    template.refresh_from_db()
    assert template.rcs_content != content


def test_preview_lists_the_problems_with_their_paths_and_a_summary(client):
    signed_in(client)
    template = make_template()
    page = preview(client, template, {"rcs_content": card_content(label="x" * 31)})
    issues = issues_of(page)
    assert issues[0]["path"][-4:] == ["suggestions", 0, "action", "text"]
    assert issues[0]["message"] == "label is 31 characters, the limit is 25"
    assert 'id="issues-summary" class="issues-summary has-issues" hx-swap-oob="true"' in page
    assert "Button 1: label is 31 characters, the limit is 25" in page


def test_preview_of_a_valid_message_says_it_is_ready(client):
    signed_in(client)
    template = make_template()
    page = preview(client, template, {})
    assert issues_of(page) == []
    assert "Ready to publish." in page


def test_preview_reports_a_state_field_that_does_not_validate(client):
    signed_in(client)
    template = make_template()
    issues = issues_of(preview(client, template, {"name": "", "brand": 999999}))
    assert {issue["path"][0] for issue in issues} == {"name", "brand"}


def test_sms_meter_explains_ucs2_marks_the_character_and_shows_the_stop_mention(client):
    signed_in(client)
    template = make_template()
    page = preview(client, template, {"sms_fallback": "C’est parti : -40 %"})
    assert "UCS-2" in page
    assert '<mark class="ucs2"' in page
    assert ">’</mark>" in page
    assert '<span class="stop-mention"' in page
    assert "STOP au 36111" in page
    assert "Replace look-alike characters" in page


def test_sms_meter_of_a_transactional_message_has_no_stop_mention(client):
    signed_in(client)
    template = make_template(traffic_type=MessageTemplate.TrafficType.TRANSACTION)
    page = preview(client, template, {"sms_fallback": "Votre colis arrive"})
    assert "GSM-7" in page
    assert "stop-mention" not in page
    assert "Replace look-alike characters" not in page


def test_canvas_renders_fields_with_their_paths_counters_and_move_controls(client):
    signed_in(client)
    template = make_template()
    content = {
        "richCard": {
            "carouselCard": {
                "cardWidth": "MEDIUM",
                "cardContents": [{"title": "Un"}, {"title": "x" * 201}, {"title": "Trois"}],
            }
        }
    }
    response = post_json(client, f"/templates/{template.pk}/canvas/", {"rcs_content": content})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('class="card-block"') == 3
    assert "201/200" in page
    assert (
        'data-path="[&quot;rcs_content&quot;,&quot;richCard&quot;,&quot;carouselCard&quot;,&quot;cardContents&quot;,1,&quot;title&quot;]"'
        in page
    )
    assert 'aria-label="Move card 1 left"' in page and 'aria-label="Move card 3 right"' in page
    assert "3 cards" in page
    assert 'id="variables-panel" class="variables-panel" hx-swap-oob="true"' in page


def test_generate_proposes_an_sms_from_the_rcs_content(client):
    signed_in(client)
    template = make_template()
    response = post_json(client, f"/templates/{template.pk}/fallback/generate/", {})
    text = response.json()["text"]
    assert "-40 % sur tout" in text
    assert "https://shop.example/soldes" in text


def test_generate_refuses_while_the_rcs_content_is_invalid(client):
    signed_in(client)
    template = make_template()
    state = {"rcs_content": card_content(label="x" * 31)}
    response = post_json(client, f"/templates/{template.pk}/fallback/generate/", state)
    assert response.status_code == 422
    assert "Fix the problems of the RCS message first" in response.json()["error"]


def test_replace_look_alikes_turns_the_sms_into_gsm(client):
    signed_in(client)
    template = make_template()
    state = {"sms_fallback": "C’est « top » – {{ prenom }}"}
    response = post_json(client, f"/templates/{template.pk}/fallback/gsm/", state)
    assert response.json()["text"] == 'C\'est "top" - {{ prenom }}'
    # The spaces inside the guillemets go too.
    assert response.json()["message"] == "6 characters replaced."


def test_remove_the_emoji_keeps_the_words_and_the_variables(client):
    signed_in(client)
    template = make_template()
    state = {"sms_fallback": "🎉 Soldes {{ prenom }} ! -40 % 🛍️\r\nC’est parti"}
    response = post_json(client, f"/templates/{template.pk}/fallback/without-emoji/", state)
    assert response.status_code == 200
    assert response.json()["text"] == "Soldes {{ prenom }} ! -40 %\nC'est parti"


def test_remove_the_emoji_of_an_sms_made_only_of_emoji_is_refused(client):
    signed_in(client)
    template = make_template()
    state = {"sms_fallback": "🎉🛍️"}
    response = post_json(client, f"/templates/{template.pk}/fallback/without-emoji/", state)
    assert response.status_code == 400
    assert "empty without its emoji" in response.json()["error"]


def test_a_body_that_is_not_json_is_refused(client):
    signed_in(client)
    template = make_template()
    response = client.post(
        f"/templates/{template.pk}/preview/", "not json", content_type="application/json"
    )
    assert response.status_code == 400


def test_canvas_gives_each_kind_of_button_the_inputs_it_needs(client):
    signed_in(client)
    template = make_template()

    def action(text, **body):
        return {"action": {"text": text, **body}, "ctaId": f"cta_{text.lower()}1"}

    chips = [
        {"reply": {"text": "Oui"}, "ctaId": "cta_oui1"},
        action("Site", openUrlAction={"url": "https://shop.example"}),
        action("Appel", dialAction={"phoneNumber": "+33123456789"}),
        action("Plan", viewLocationAction={"query": "Paris"}),
        action("Point", viewLocationAction={"latLong": {"latitude": 48.8, "longitude": 2.3}}),
        action(
            "Agenda",
            createCalendarEventAction={
                "title": "Vente",
                "startTime": "2026-05-01T09:00:00+02:00",
                "endTime": "2026-05-01T18:00:00+02:00",
            },
        ),
        action("Partage", shareLocationAction={}),
    ]
    content = {"text": "Bonjour", "suggestions": chips}
    page = post_json(client, f"/templates/{template.pk}/canvas/", {"rcs_content": content})
    page = page.content.decode()
    for label in ("Link", "Phone number", "Address or place", "Latitude", "Longitude"):
        assert f">{label}</label>" in page
    assert 'id="f-suggestions-5-action-createCalendarEventAction-startTime"' in page
    assert 'type="datetime-local"' in page and 'value="2026-05-01T09:00"' in page
    assert page.count('class="button-block') == 7
    assert "7/11" in page

"""Publishing freezes an immutable version, and refuses a template with problems."""

import copy

import pytest
from django.contrib.auth.models import User

from editor.models import ImmutableVersionError, MessageTemplate, TemplateVersion
from editor.services import (
    PublishError,
    fallback_analysis,
    fallback_text_for_sending,
    publish_template,
    render_version,
)
from messaging import sms
from messaging.variables import MissingVariable
from tests.factories import make_brand, make_published_template, make_template

pytestmark = pytest.mark.django_db


def test_publishing_freezes_a_version_with_the_brand_and_the_sms_analysis():
    user = User.objects.create_user("marie")
    template, version = make_published_template(user=user)

    assert version.number == 1
    assert version.rcs_content == template.rcs_content
    assert version.variables == [{"name": "prenom", "default": None, "sample": "Marie"}]
    assert version.traffic_type == "PROMOTION"
    assert version.published_by == user
    assert version.brand_snapshot["sms_sender_id"] == "MAISONREL"
    assert version.brand_snapshot["stop_mention"] == "STOP au 36111"
    assert version.sms_fallback.endswith("\nSTOP au 36111")
    assert (version.sms_encoding, version.sms_segments) == ("GSM-7", 1)
    template.refresh_from_db()
    assert template.status == MessageTemplate.Status.PUBLISHED
    assert template.current_version == version


def test_editing_after_publishing_leaves_the_version_unchanged_and_makes_a_draft():
    template, version = make_published_template()
    frozen_content = copy.deepcopy(version.rcs_content)

    card = template.rcs_content["richCard"]["standaloneCard"]["cardContent"]
    card["title"] = "{{ prenom }}, -50 % sur tout"
    template.sms_fallback = "Nouveau texte {{ prenom }}"
    template.save()

    version.refresh_from_db()
    assert version.rcs_content == frozen_content
    assert "Nouveau texte" not in version.sms_fallback
    template.refresh_from_db()
    assert template.status == MessageTemplate.Status.DRAFT
    assert template.has_unpublished_changes


def test_second_publish_gives_version_two_and_keeps_version_one():
    template, first = make_published_template()
    template.sms_fallback = "{{ prenom }}, derniers jours : https://shop.example/soldes"
    template.save()

    second = publish_template(template)

    assert second.number == 2
    assert template.current_version == second
    first.refresh_from_db()
    assert "derniers jours" not in first.sms_fallback
    assert "derniers jours" in second.sms_fallback
    assert TemplateVersion.objects.filter(template=template).count() == 2


def test_saving_without_changes_keeps_the_template_published():
    template, _version = make_published_template()
    template.name = template.name  # a save from a form that changed nothing
    template.save()
    template.refresh_from_db()
    assert template.status == MessageTemplate.Status.PUBLISHED


def test_a_version_cannot_be_changed():
    _template, version = make_published_template()
    version.sms_fallback = "changed"
    with pytest.raises(ImmutableVersionError):
        version.save()
    version.refresh_from_db()
    assert version.sms_fallback != "changed"


def test_publish_gives_missing_cta_ids_and_keeps_them_on_the_template():
    template = make_template(
        rcs_content={
            "text": "Bonjour {{ prenom }}",
            "suggestions": [{"reply": {"text": "Oui", "postbackData": "yes"}}],
        }
    )
    version = publish_template(template)
    cta_id = version.rcs_content["suggestions"][0]["ctaId"]
    assert cta_id.startswith("cta_")
    template.refresh_from_db()
    assert template.rcs_content["suggestions"][0]["ctaId"] == cta_id


def _problems(template):
    with pytest.raises(PublishError) as caught:
        publish_template(template)
    assert not TemplateVersion.objects.filter(template=template).exists()
    return caught.value


def test_invalid_content_is_refused_naming_the_button_and_the_limit():
    template = make_template()
    button = template.rcs_content["richCard"]["standaloneCard"]["cardContent"]["suggestions"][0]
    button["action"]["text"] = "Découvrir les soldes femme"  # 26 characters
    template.save()

    error = _problems(template)

    assert error.message_dict["rcs_content"] == [
        "Button 1: label is 26 characters, the limit is 25"
    ]
    assert error.content_issues[0].path[-2:] == ("action", "text")
    template.refresh_from_db()
    assert template.status == MessageTemplate.Status.DRAFT


def test_undeclared_variable_is_refused_where_it_is_used():
    template = make_template(sms_fallback="{{ prenom }}, code {{ code_promo }} !")
    error = _problems(template)
    assert any("{{ code_promo }}" in problem for problem in error.message_dict["sms_fallback"])
    assert "rcs_content" not in error.message_dict


def test_missing_fallback_is_refused_unless_rcs_only():
    template = make_template(sms_fallback="  ")
    error = _problems(template)
    assert "RCS only" in error.message_dict["sms_fallback"][0]

    template.rcs_only = True
    template.save()
    version = publish_template(template)
    assert version.sms_fallback == ""
    assert version.sms_segments == 0


def test_promotion_needs_a_sender_id_and_a_stop_mention():
    brand = make_brand(sms_sender_id="", stop_mention="")
    error = _problems(make_template(brand=brand))
    assert len(error.message_dict["brand"]) == 2
    assert "sender ID" in error.message_dict["brand"][0]
    assert "STOP" in error.message_dict["brand"][1]


def test_transactional_message_needs_no_stop_mention():
    brand = make_brand(sms_sender_id="", stop_mention="")
    template = make_template(brand=brand, traffic_type=MessageTemplate.TrafficType.TRANSACTION)
    version = publish_template(template)
    assert "STOP" not in version.sms_fallback


def test_every_problem_is_listed_at_once():
    brand = make_brand(stop_mention="")
    template = make_template(
        brand=brand,
        rcs_content={"text": ""},
        sms_fallback="Bonjour {{ nom }}",
        variables=[{"name": "Prenom", "sample": "Marie"}],
    )
    error = _problems(template)
    assert set(error.message_dict) == {"variables", "rcs_content", "sms_fallback", "brand"}


def test_sample_values_that_break_a_limit_are_refused():
    template = make_template(
        variables=[{"name": "prenom", "default": None, "sample": "Marie-Bérangère-Églantine"}],
        rcs_content={
            "text": "Bonjour",
            "suggestions": [
                {"reply": {"text": "Merci {{ prenom }}"}, "ctaId": "cta_merci01"},
            ],
        },
    )
    error = _problems(template)
    assert error.message_dict["rcs_content"][0].startswith("With the sample values, ")
    assert "limit is 25" in error.message_dict["rcs_content"][0]


def test_a_fallback_over_ten_sms_is_refused_whatever_the_brand_allows():
    template = make_template(
        brand=make_brand(sms_max_segments=10), sms_fallback="{{ prenom }} " + "a" * 1600
    )
    error = _problems(template)
    assert "the SMS takes 11 segments; the limit is 10" in error.message_dict["sms_fallback"][0]


def test_a_fallback_over_the_brands_segment_limit_is_refused():
    # Seven segments of fixed text: publishable before the brand limit (6 by default).
    template = make_template(sms_fallback="{{ prenom }} " + "a" * (6 * 153))
    error = _problems(template)
    assert "the SMS takes 7 segments; the limit is 6" in error.message_dict["sms_fallback"][0]


def test_a_variable_value_that_is_not_text_is_named_by_what_it_is_for():
    template = make_template(variables=[{"name": "prenom", "default": 3, "sample": ["Marie"]}])
    error = _problems(template)
    assert error.message_dict["variables"] == [
        "The default value of the variable “prenom” must be text.",
        "The sample value of the variable “prenom” must be text.",
    ]


def test_stop_mention_is_appended_on_its_own_line_and_counted():
    # 150 GSM characters: one SMS alone, two once the STOP line is added.
    template = make_template(sms_fallback="x" * 150, variables=[], rcs_content={"text": "Bonjour"})
    assert fallback_text_for_sending(template) == "x" * 150 + "\nSTOP au 36111"
    assert sms.analyze(template.sms_fallback).segments == 1
    assert fallback_analysis(template).segments == 2

    version = publish_template(template)
    assert version.sms_segments == 2


def test_stop_mention_already_written_is_not_repeated():
    template = make_template(sms_fallback="{{ prenom }}, -40 %. STOP au 36111")
    assert fallback_text_for_sending(template).count("STOP") == 1


def test_render_version_fills_content_and_sms_and_requires_variables():
    _template, version = make_published_template()
    rendered = render_version(version, {"prenom": "Léa"})
    card = rendered.rcs_content["richCard"]["standaloneCard"]["cardContent"]
    assert card["title"] == "Léa, -40 % sur tout"
    assert rendered.sms_text.startswith("Léa, -40 %")
    assert rendered.sms_text.endswith("STOP au 36111")
    with pytest.raises(MissingVariable):
        render_version(version, {})

"""The Django admin of the editor: validation on the forms, publishing, read-only versions."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from editor.models import Brand, MediaAsset, MessageTemplate, TemplateVersion
from tests.factories import make_brand, make_published_template, make_template

pytestmark = pytest.mark.django_db


def png(size=(600, 300)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def template_form(template, **changes):
    data = {
        "brand": template.brand_id,
        "name": template.name,
        "slug": template.slug,
        "language": template.language,
        "category": template.category,
        "traffic_type": template.traffic_type,
        "status": template.status,
        "rcs_content": json.dumps(template.rcs_content),
        "rcs_ttl_seconds": "",
        "sms_fallback": template.sms_fallback,
        "variables": json.dumps(template.variables),
        "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_change_page_shows_the_message_filled_with_sample_values(admin_client):
    template = make_template()
    response = admin_client.get(f"/admin/editor/messagetemplate/{template.pk}/change/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Marie, -40 % sur tout" in page  # the card title with the sample
    assert "Voir les offres" in page  # the button
    assert "STOP au 36111" in page  # the SMS as sent
    # The editor's phone frames, the one renderer of a message, with their styles.
    assert 'aria-label="iPhone preview"' in page
    assert 'aria-label="Android preview"' in page
    assert "css/phones.css" in page


def test_content_problems_are_shown_on_the_form(admin_client):
    template = make_template()
    content = {"text": "Bonjour", "suggestions": [{"reply": {"text": "x" * 30}}]}
    response = admin_client.post(
        f"/admin/editor/messagetemplate/{template.pk}/change/",
        template_form(template, rcs_content=json.dumps(content)),
    )
    assert response.status_code == 200
    assert "Suggestion chip 1: label is 30 characters, the limit is 25" in response.content.decode()
    template.refresh_from_db()
    assert "text" not in template.rcs_content


def test_saving_in_the_admin_gives_buttons_their_cta_ids(admin_client):
    template = make_template()
    content = {"text": "Bonjour", "suggestions": [{"reply": {"text": "Oui"}}]}
    response = admin_client.post(
        f"/admin/editor/messagetemplate/{template.pk}/change/",
        template_form(template, rcs_content=json.dumps(content)),
    )
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.rcs_content["suggestions"][0]["ctaId"].startswith("cta_")


def test_publish_action_publishes_and_reports_refusals(admin_client):
    good = make_template()
    bad = make_template(sms_fallback="")
    response = admin_client.post(
        "/admin/editor/messagetemplate/",
        {"action": "publish_selected", "_selected_action": [good.pk, bad.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "is published as version 1" in page
    assert "was not published" in page
    assert TemplateVersion.objects.filter(template=good).count() == 1
    assert not TemplateVersion.objects.filter(template=bad).exists()


def test_versions_are_read_only_in_the_admin(admin_client):
    template, version = make_published_template()
    url = f"/admin/editor/templateversion/{version.pk}/change/"
    response = admin_client.get(url)
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    assert admin_client.post(url, {"sms_fallback": "changed"}).status_code == 403
    assert admin_client.get("/admin/editor/templateversion/add/").status_code == 403
    assert (
        admin_client.post(f"/admin/editor/templateversion/{version.pk}/delete/").status_code == 403
    )
    inline = admin_client.get(f"/admin/editor/messagetemplate/{template.pk}/change/")
    assert f"/admin/editor/templateversion/{version.pk}/change/" in inline.content.decode()


def test_media_upload_in_the_admin_stores_the_variants(admin_client):
    response = admin_client.post(
        "/admin/editor/mediaasset/add/",
        {"upload": SimpleUploadedFile("banner.png", png()), "name": "", "kind": "card"},
    )
    assert response.status_code == 302
    asset = MediaAsset.objects.get()
    assert asset.name == "banner.png"
    assert "STANDALONE:MEDIUM" in asset.variants


def test_bad_media_upload_in_the_admin_shows_the_error_and_stores_nothing(admin_client, media_root):
    response = admin_client.post(
        "/admin/editor/mediaasset/add/",
        {"upload": SimpleUploadedFile("photo.jpg", b"not an image"), "kind": "card"},
    )
    assert response.status_code == 200
    assert "This file is not a JPEG, PNG or GIF image." in response.content.decode()
    assert not MediaAsset.objects.exists()
    assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))


def test_brand_logo_upload_makes_a_224_pixel_logo(admin_client):
    brand = make_brand()
    response = admin_client.post(
        f"/admin/editor/brand/{brand.pk}/change/",
        {
            "name": brand.name,
            "description": "",
            "colour": "#0F766E",
            "verified": "on",
            "rbm_agent_id": "",
            "sms_sender_id": "MAISONREL",
            "stop_mention": "STOP au 36111",
            "sms_max_segments": "6",
            "logo_upload": SimpleUploadedFile("logo.png", png((500, 400))),
        },
    )
    assert response.status_code == 302
    brand.refresh_from_db()
    assert brand.logo.kind == MediaAsset.Kind.LOGO
    assert (brand.logo.variants["LOGO"]["width"], brand.logo.variants["LOGO"]["height"]) == (
        224,
        224,
    )
    assert brand.snapshot()["logo_url"] == "media:" + brand.logo.variants["LOGO"]["file"]


def test_brand_form_explains_a_bad_sender_id(admin_client):
    response = admin_client.post(
        "/admin/editor/brand/add/",
        {"name": "Shop", "colour": "#0F766E", "sms_sender_id": "MA BOUTIQUE", "stop_mention": ""},
    )
    assert response.status_code == 200
    assert "no spaces or punctuation" in response.content.decode()
    assert not Brand.objects.exists()


def test_template_list_shows_status_and_version(admin_client):
    make_published_template(name="Soldes d'hiver")
    response = admin_client.get("/admin/editor/messagetemplate/")
    assert response.status_code == 200
    row = response.content.decode().split("Soldes d&#x27;hiver</a>")[1].split("</tr>")[0]
    assert '<td class="field-version_number">1</td>' in row
    assert MessageTemplate.objects.get().status == MessageTemplate.Status.PUBLISHED

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
        "rcs_ttl_minutes": "",
        "sms_fallback": template.sms_fallback,
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


def test_change_page_links_to_the_editor_instead_of_raw_json(admin_client):
    template = make_template()
    page = admin_client.get(f"/admin/editor/messagetemplate/{template.pk}/change/").content
    page = page.decode()
    assert f'href="/templates/{template.pk}/"' in page
    assert "Edit in the editor" in page
    assert 'name="rcs_content"' not in page
    assert 'name="variables"' not in page
    assert "<code>{{ prenom }}</code> sample: Marie" in page


def test_raw_content_posted_to_the_admin_changes_nothing(admin_client):
    template = make_template()
    content = {"text": "Bonjour", "suggestions": [{"reply": {"text": "Oui"}}]}
    response = admin_client.post(
        f"/admin/editor/messagetemplate/{template.pk}/change/",
        template_form(template, rcs_content=json.dumps(content), variables="[]"),
    )
    assert response.status_code == 302
    saved = MessageTemplate.objects.get(pk=template.pk)
    assert saved.rcs_content == template.rcs_content
    assert saved.variables == template.variables


def test_rcs_deadline_is_set_in_minutes_as_in_the_editor(admin_client):
    template = make_template(rcs_ttl_seconds=1800)
    url = f"/admin/editor/messagetemplate/{template.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert 'name="rcs_ttl_minutes" value="30"' in page
    assert "RCS deadline (minutes)" in page
    assert "not delivered within this many minutes" in page
    admin_client.post(url, template_form(template, rcs_ttl_minutes="45"))
    template.refresh_from_db()
    assert template.rcs_ttl_seconds == 45 * 60
    admin_client.post(url, template_form(template, rcs_ttl_minutes=""))
    template.refresh_from_db()
    assert template.rcs_ttl_seconds is None


def test_a_deadline_in_seconds_is_kept_when_the_minutes_are_not_changed(admin_client):
    template = make_template(rcs_ttl_seconds=90)
    url = f"/admin/editor/messagetemplate/{template.pk}/change/"
    assert 'name="rcs_ttl_minutes" value="2"' in admin_client.get(url).content.decode()
    form = template_form(template, name="Renamed", rcs_ttl_minutes="2")
    assert admin_client.post(url, form).status_code == 302
    template.refresh_from_db()
    assert (template.name, template.rcs_ttl_seconds) == ("Renamed", 90)


def test_the_admin_refuses_a_taken_template_id_naming_its_owner(admin_client):
    make_template(name="Soldes d'été", slug="promo_ete")
    template = make_template(slug="other")
    response = admin_client.post(
        f"/admin/editor/messagetemplate/{template.pk}/change/",
        template_form(template, slug="promo_ete"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "The template id “promo_ete” is already used by “Soldes d&#x27;été”" in page
    assert "e.g. “promo_ete_2”" in page


def test_the_admin_explains_the_traffic_type(admin_client):
    template = make_template()
    page = admin_client.get(f"/admin/editor/messagetemplate/{template.pk}/change/").content
    assert "goes only to contacts who opted in" in page.decode()


def test_version_page_shows_the_rcs_deadline_in_minutes(admin_client):
    _template, version = make_published_template(rcs_ttl_seconds=600)
    page = admin_client.get(f"/admin/editor/templateversion/{version.pk}/change/").content
    page = page.decode()
    assert "RCS deadline (minutes)" in page
    assert '<div class="readonly">10</div>' in page


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

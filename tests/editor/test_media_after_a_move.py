"""Images survive a new PUBLIC_BASE_URL: content keeps references, pages build the URLs."""

import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from editor.library import use_library_template
from editor.media import create_media_asset
from editor.models import MediaAsset
from editor.services import publish_template
from tests.factories import make_brand, make_template
from tests.support.views import card_content, post_json, signed_in

pytestmark = pytest.mark.django_db

OLD = "http://localhost:8000"
NEW = "https://relais.example"


def png(name="photo.png", size=(900, 450)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 60)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def images_of(page):
    """The sources of the page's images, but the app's own static pictures (its logo)."""
    sources = re.findall(r'<img[^>]* src="([^"]*)"', page)
    return [source for source in sources if not source.startswith("/static/")]


def assert_images_load(client, page):
    """Every image of page is on the page's own host and is served."""
    sources = images_of(page)
    assert sources
    for source in sources:
        assert "localhost:8000" not in source
        assert source.startswith("/media/assets/"), source
        assert client.get(source).status_code == 200, source


@pytest.fixture
def made_under_localhost(client, settings):
    """A draft and its published version with an uploaded image, and a brand logo, all made
    while PUBLIC_BASE_URL was the default localhost address; then Relais moves."""
    signed_in(client)
    settings.PUBLIC_BASE_URL = OLD
    uploaded = client.post("/media/upload/", {"image": png("soldes.png")}).json()
    crop = uploaded["variants"]["STANDALONE:MEDIUM"]
    logo = create_media_asset(png("logo.png", (300, 300)), kind=MediaAsset.Kind.LOGO)
    template = make_template(brand=make_brand(logo=logo))
    info = {"fileUrl": crop["file"], "thumbnailUrl": crop["thumbnail"]}
    content = card_content(media={"height": "MEDIUM", "contentInfo": info})
    assert (
        post_json(client, f"/templates/{template.pk}/save/", {"rcs_content": content}).status_code
        == 200
    )
    template.refresh_from_db()
    version = publish_template(template)
    settings.PUBLIC_BASE_URL = NEW
    return template, version


def test_drafts_versions_and_brand_snapshots_store_no_address(made_under_localhost):
    template, version = made_under_localhost
    stored = json.dumps([template.rcs_content, version.rcs_content, version.brand_snapshot])
    assert "localhost" not in stored
    info = version.rcs_content["richCard"]["standaloneCard"]["cardContent"]["media"]
    assert info["contentInfo"]["fileUrl"].startswith("media:assets/")
    assert version.brand_snapshot["logo_url"].startswith("media:assets/")


def test_after_a_move_the_editor_shows_every_image_from_the_page_host(client, made_under_localhost):
    template, _version = made_under_localhost
    page = client.get(f"/templates/{template.pk}/").content.decode()
    # The canvas' image, the card in both phones, the logo in both phones.
    assert len(images_of(page)) == 5
    assert_images_load(client, page)


def test_after_a_move_the_preview_shows_every_image_from_the_page_host(
    client, made_under_localhost
):
    template, _version = made_under_localhost
    response = post_json(client, f"/templates/{template.pk}/preview/", {})
    assert_images_load(client, response.content.decode())


def test_after_a_move_the_published_version_shows_its_images(client, made_under_localhost):
    template, version = made_under_localhost
    page = client.get(f"/templates/{template.pk}/versions/{version.number}/").content.decode()
    assert len(images_of(page)) == 4
    assert_images_load(client, page)


def test_after_a_move_a_template_from_the_library_shows_its_images(client, settings):
    signed_in(client)
    settings.PUBLIC_BASE_URL = OLD
    template = use_library_template("flash_sale", make_brand(), language="fr")
    settings.PUBLIC_BASE_URL = NEW
    page = client.get(f"/templates/{template.pk}/").content.decode()
    assert_images_load(client, page)
    picker = client.get("/media/library/").content.decode()
    assert_images_load(client, picker)


def test_a_pasted_link_to_one_of_our_images_is_kept_as_a_reference(client, settings):
    signed_in(client)
    asset = create_media_asset(png())
    path = asset.variants["STANDALONE:TALL"]["file"]
    template = make_template()
    content = card_content(
        media={"height": "TALL", "contentInfo": {"fileUrl": f"{OLD}/media/{path}"}}
    )
    assert (
        post_json(client, f"/templates/{template.pk}/save/", {"rcs_content": content}).status_code
        == 200
    )
    template.refresh_from_db()
    card = template.rcs_content["richCard"]["standaloneCard"]["cardContent"]
    assert card["media"]["contentInfo"]["fileUrl"] == f"media:{path}"


def test_external_image_links_stay_as_pasted(client):
    signed_in(client)
    template = make_template()
    external = "https://cdn.example/media/assets/soldes.jpg"
    content = card_content(media={"height": "TALL", "contentInfo": {"fileUrl": external}})
    assert (
        post_json(client, f"/templates/{template.pk}/save/", {"rcs_content": content}).status_code
        == 200
    )
    version = publish_template(template.__class__.objects.get(pk=template.pk))
    card = version.rcs_content["richCard"]["standaloneCard"]["cardContent"]
    assert card["media"]["contentInfo"]["fileUrl"] == external
    page = client.get(f"/templates/{template.pk}/").content.decode()
    assert f'src="{external}"' in page


def test_the_admin_shows_images_from_the_page_host(admin_client, made_under_localhost):
    page = admin_client.get("/admin/editor/mediaasset/").content.decode()
    assert len(images_of(page)) == 2
    assert_images_load(admin_client, page)

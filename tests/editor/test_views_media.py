"""Card images from the editor: upload one, pick one, and the crops the editor switches between."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from editor.media import create_media_asset
from editor.media_urls import media_ref_for
from editor.models import MediaAsset
from editor.views.media import known_media
from tests.support.views import signed_in

pytestmark = pytest.mark.django_db


def png(name="photo.png", size=(900, 450)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 60)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_upload_answers_the_reference_of_every_crop(client):
    signed_in(client)
    response = client.post("/media/upload/", {"image": png("soldes.png")})
    assert response.status_code == 201
    data = response.json()
    asset = MediaAsset.objects.get()
    assert data["id"] == asset.pk
    assert data["name"] == "soldes.png"
    assert data["variants"]["STANDALONE:MEDIUM"]["file"] == media_ref_for(asset, "MEDIUM")
    assert data["variants"]["SMALL:SHORT"]["file"].startswith("media:assets/")
    assert set(data["variants"]) >= {"HORIZONTAL", "MEDIUM:TALL", "STANDALONE:TALL"}


def test_upload_of_something_that_is_not_an_image_says_why(client):
    signed_in(client)
    fake = SimpleUploadedFile("photo.jpg", b"not an image at all", content_type="image/jpeg")
    response = client.post("/media/upload/", {"image": fake})
    assert response.status_code == 400
    assert response.json()["error"]
    assert not MediaAsset.objects.exists()


def test_viewer_cannot_upload(client):
    signed_in(client, role="Viewer")
    assert client.post("/media/upload/", {"image": png()}).status_code == 403


def test_media_library_lists_card_images_and_searches_by_name(client):
    signed_in(client)
    create_media_asset(png("plage.png"))
    create_media_asset(png("montagne.png"))
    page = client.get("/media/library/?q=plage").content.decode()
    assert "plage.png" in page
    assert "montagne.png" not in page
    assert 'data-action="choose-media"' in page


def test_known_media_finds_the_asset_behind_a_crop_used_in_the_content():
    used = create_media_asset(png("used.png"))
    create_media_asset(png("unused.png"))
    content = {
        "richCard": {
            "standaloneCard": {
                "cardOrientation": "VERTICAL",
                "cardContent": {"media": {"contentInfo": {"fileUrl": media_ref_for(used, "TALL")}}},
            }
        }
    }
    assert [asset["id"] for asset in known_media(content)] == [used.pk]
    assert known_media({"contentInfo": {"fileUrl": "https://cdn.example/x.jpg"}}) == []

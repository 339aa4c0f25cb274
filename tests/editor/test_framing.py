"""Image framing: every height's cut follows a focal point, in the preview and when sent."""

import io
import os

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from editor import framing
from editor.canvas import build_canvas
from editor.media import MediaError, create_media_asset, frame_asset
from editor.media_urls import absolute_media, media_ref_for
from editor.models import MediaAsset
from messaging.media_refs import path_of
from tests.factories import make_template
from tests.support.views import card_content, post_json, signed_in

pytestmark = pytest.mark.django_db


def two_halves(size=(2000, 1000)):
    """A PNG red on its left half and blue on its right half."""
    image = Image.new("RGB", size, (220, 20, 20))
    image.paste((20, 20, 220), (size[0] // 2, 0, size[0], size[1]))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile("halves.png", buffer.getvalue(), content_type="image/png")


def colour_share(ref):
    """(red share, blue share) of the pixels of the stored file a reference names."""
    with default_storage.open(path_of(ref)) as stored:
        raw = Image.open(stored).convert("RGB").tobytes()
    pixels = len(raw) // 3
    red = sum(1 for n in range(pixels) if raw[3 * n] > raw[3 * n + 2]) / pixels
    return red, 1 - red


# ---- Geometry: one focal point gives one window per height -----------------------------


def test_crop_box_is_the_largest_window_of_each_ratio_centred_on_the_focal_point():
    # A 2000 x 1000 image: SHORT (3:1) keeps the full width, TALL (1440 x 1131) the full height.
    assert framing.crop_box(2000, 1000, 3.0, (500, 500)) == (0, 167, 2000, 834)
    assert framing.crop_box(2000, 1000, 1440 / 1131, (500, 500)) == (364, 0, 1637, 1000)
    # Moving the focal point right moves the tall window right, stopping at the edge.
    left, top, right, bottom = framing.crop_box(2000, 1000, 1440 / 1131, (650, 500))
    assert (left, top, bottom) == (664, 0, 1000)
    assert right - left == 1273
    assert framing.crop_box(2000, 1000, 1440 / 1131, (700, 500))[::2] == (727, 2000)
    assert framing.crop_box(2000, 1000, 1440 / 1131, (1000, 0))[2] == 2000
    assert framing.crop_box(2000, 1000, 1440 / 1131, (0, 1000))[0] == 0
    # A focal point near the bottom lowers the short window, never past the edge.
    assert framing.crop_box(2000, 1000, 3.0, (500, 1000))[1::2] == (333, 1000)


def test_the_focal_point_is_read_from_the_reference_and_centre_gives_plain_names():
    ref = "media:assets/abc123/standalone-tall-at-700-250.jpg"
    assert framing.focus_of(ref) == (700, 250)
    assert framing.original_ref(ref) == "media:assets/abc123/original.jpg"
    assert framing.focus_of("media:assets/abc123/medium-short-thumb.jpg") == (500, 500)
    assert framing.framed_names("MEDIUM:SHORT", (500, 500)) == (
        "medium-short.jpg",
        "medium-short-thumb.jpg",
    )
    assert framing.framed_names("HORIZONTAL", (10, 990)) == (
        "horizontal-at-10-990.jpg",
        "horizontal-at-10-990-thumb.jpg",
    )
    # Not one of our cuts: a link, a logo, a made-up focal point.
    assert framing.parse("https://cdn.example/a.jpg") is None
    assert framing.parse("media:assets/abc123/logo.jpg") is None
    assert framing.parse("media:assets/abc123/standalone-tall-at-2000-1.jpg") is None
    assert framing.clamp_focus("1200", -5) == (1000, 0)


# ---- Cutting the files ---------------------------------------------------------------------


def test_framing_cuts_every_height_around_the_focal_point_once(media_root):
    asset = create_media_asset(two_halves())
    centre_red, _ = colour_share(media_ref_for(asset, "TALL"))
    assert 0.45 < centre_red < 0.55

    refs = frame_asset(asset, (900, 500))
    assert refs["STANDALONE:TALL"]["file"].endswith("/standalone-tall-at-900-500.jpg")
    assert refs["MEDIUM:SHORT"]["thumbnail"].endswith("/medium-short-at-900-500-thumb.jpg")
    assert set(refs) == set(asset.variants)
    red, blue = colour_share(refs["STANDALONE:TALL"]["file"])
    assert blue > 0.75, "the tall cut moved onto the blue half"
    with default_storage.open(path_of(refs["STANDALONE:TALL"]["file"])) as stored:
        tall = asset.variants["STANDALONE:TALL"]
        assert Image.open(stored).size == (tall["width"], tall["height"])
    # Framing again at the same point writes nothing new.
    files = sorted(p for p in media_root.rglob("*") if p.is_file())
    assert frame_asset(asset, (900, 500)) == refs
    assert sorted(p for p in media_root.rglob("*") if p.is_file()) == files
    # The centre is the plain cut.
    assert frame_asset(asset, (500, 500))["STANDALONE:TALL"]["file"] == media_ref_for(asset, "TALL")


def test_the_frame_view_answers_the_cuts_and_refuses_what_it_cannot_frame(client, media_root):
    signed_in(client)
    asset = create_media_asset(two_halves())
    plain = media_ref_for(asset, "MEDIUM")
    response = post_json(client, "/media/frame/", {"file": plain, "x": 120, "y": 480})
    assert response.status_code == 200
    data = response.json()
    assert data["focus"] == [120, 480]
    medium = data["variants"]["STANDALONE:MEDIUM"]["file"]
    assert medium.endswith("standalone-medium-at-120-480.jpg")
    assert colour_share(data["variants"]["STANDALONE:TALL"]["file"])[0] > 0.75

    for body in ({"file": plain}, {"file": plain, "x": "left", "y": 1}, ["not", "an", "object"]):
        bad = post_json(client, "/media/frame/", body)
        assert bad.status_code == 400
        assert bad.json()["error"] == "Send the image and a focal point."
    link = {"file": "https://cdn.example/a.jpg", "x": 1, "y": 1}
    foreign = post_json(client, "/media/frame/", link)
    assert foreign.status_code == 400
    assert "uploaded to Relais" in foreign.json()["error"]
    unknown = "media:assets/" + "0" * 32 + "/standalone-medium.jpg"
    assert post_json(client, "/media/frame/", {"file": unknown, "x": 1, "y": 1}).status_code == 400


def test_a_viewer_cannot_frame(client, media_root):
    signed_in(client, role="Viewer")
    asset = create_media_asset(two_halves())
    body = {"file": media_ref_for(asset, "MEDIUM"), "x": 100, "y": 100}
    assert post_json(client, "/media/frame/", body).status_code == 403


# ---- The cut is what the editor shows, the preview renders and the message sends ------------


def test_preview_canvas_and_sent_content_use_the_framed_cut(client, media_root, settings):
    signed_in(client)
    asset = create_media_asset(two_halves())
    refs = frame_asset(asset, (900, 500))
    content = card_content()
    content["richCard"]["standaloneCard"]["cardContent"]["media"] = {
        "height": "TALL",
        "contentInfo": {
            "fileUrl": refs["STANDALONE:TALL"]["file"],
            "thumbnailUrl": refs["STANDALONE:TALL"]["thumbnail"],
        },
    }
    framed_file = path_of(refs["STANDALONE:TALL"]["file"])

    sent = absolute_media(content)["richCard"]["standaloneCard"]["cardContent"]["media"]
    assert sent["contentInfo"]["fileUrl"] == f"https://relais.example/media/{framed_file}"

    template = make_template(rcs_content=content)
    page = post_json(client, f"/templates/{template.pk}/preview/", {"rcs_content": content})
    assert f"/media/{framed_file}" in page.content.decode()

    slot = build_canvas(content).cards[0].media
    assert slot.framing["focus"] == [900, 500]
    assert slot.framing["original"] == "media:" + asset.file.name
    assert [cut["key"] for cut in slot.framing["cuts"]] == [
        "STANDALONE:SHORT",
        "STANDALONE:MEDIUM",
        "STANDALONE:TALL",
    ]
    assert [cut["current"] for cut in slot.framing["cuts"]] == [False, False, True]
    assert slot.recommended == "1440 × 1131 px"
    canvas = post_json(client, f"/templates/{template.pk}/canvas/", {"rcs_content": content})
    html = canvas.content.decode()
    assert "data-framing" in html
    assert 'data-focus="[900,500]"' in html
    assert "Best size: 1440 × 1131 px or larger" in html


def test_a_pasted_link_has_no_framing_but_a_recommended_size():
    content = card_content()
    content["richCard"]["standaloneCard"]["cardContent"]["media"] = {
        "height": "SHORT",
        "contentInfo": {"fileUrl": "https://cdn.example/banner.jpg"},
    }
    slot = build_canvas(content).cards[0].media
    assert slot.framing is None
    assert slot.recommended == "1440 × 480 px"


# ---- Big photos are reduced, bombs are still refused -----------------------------------------


def test_a_photo_over_10_mb_is_reduced_instead_of_refused(client, media_root):
    signed_in(client)
    noise = Image.frombytes("RGB", (2100, 1800), os.urandom(2100 * 1800 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, "PNG")
    data = buffer.getvalue()
    assert len(data) > 10 * 1024 * 1024
    upload = SimpleUploadedFile("holiday.png", data, content_type="image/png")
    response = client.post("/media/upload/", {"image": upload})
    assert response.status_code == 201, response.content
    asset = MediaAsset.objects.get()
    assert (asset.width, asset.height) == (2048, 1755)
    assert response.json()["note"].startswith("The photo weighed 10.")
    assert "reduced to 2048 × 1755 pixels" in response.json()["note"]


def test_a_jpeg_of_more_megapixels_than_the_cap_is_decoded_smaller(media_root):
    buffer = io.BytesIO()
    Image.new("RGB", (6400, 4800), (30, 120, 200)).save(buffer, "JPEG", quality=60)
    asset = create_media_asset(SimpleUploadedFile("camera.jpg", buffer.getvalue()))
    assert (asset.width, asset.height) == (2048, 1536)


def jpeg_claiming(width, height):
    """A small JPEG whose frame header claims width x height pixels."""
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (0, 0, 0)).save(buffer, "JPEG")
    data = bytearray(buffer.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = height.to_bytes(2, "big") + width.to_bytes(2, "big")
    return bytes(data)


@pytest.mark.parametrize("size", [(12_000, 9_000), (65_000, 65_000)])
def test_a_jpeg_decompression_bomb_is_still_refused(media_root, size):
    with pytest.raises(MediaError) as caught:
        create_media_asset(SimpleUploadedFile("bomb.jpg", jpeg_claiming(*size)))
    assert "megapixels" in caught.value.messages[0]
    assert not MediaAsset.objects.exists()
    assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))


def test_a_cut_outside_an_asset_folder_frames_nothing(client, media_root):
    signed_in(client)
    create_media_asset(two_halves())
    # "assets/" is the parent of every asset's folder, not an asset's folder.
    body = {"file": "media:assets/standalone-medium.jpg", "x": 100, "y": 100}
    assert post_json(client, "/media/frame/", body).status_code == 400


def test_a_horizontal_card_has_one_portrait_cut_and_a_small_carousel_no_tall_one(media_root):
    asset = create_media_asset(two_halves())
    refs = frame_asset(asset, (200, 500))
    horizontal = {
        "richCard": {
            "standaloneCard": {
                "cardOrientation": "HORIZONTAL",
                "cardContent": {
                    "title": "Soldes",
                    "media": {"contentInfo": {"fileUrl": refs["HORIZONTAL"]["file"]}},
                },
            }
        }
    }
    slot = build_canvas(horizontal).cards[0].media
    assert [(cut["key"], cut["current"]) for cut in slot.framing["cuts"]] == [("HORIZONTAL", True)]
    assert slot.framing["focus"] == [200, 500]
    assert slot.recommended == "768 × 1024 px"
    red, _blue = colour_share(refs["HORIZONTAL"]["file"])
    assert red > 0.95, "a portrait cut around the left focal point keeps the red half"

    card = {
        "title": "Un",
        "media": {"height": "TALL", "contentInfo": {"fileUrl": refs["SMALL:MEDIUM"]["file"]}},
    }
    small = {"richCard": {"carouselCard": {"cardWidth": "SMALL", "cardContents": [card, card]}}}
    slot = build_canvas(small).cards[0].media
    cuts = [(cut["key"], cut["current"]) for cut in slot.framing["cuts"]]
    assert cuts == [("SMALL:SHORT", False), ("SMALL:MEDIUM", True)]
    assert slot.recommended == "480 × 672 px"


def test_a_card_width_or_height_the_content_does_not_allow_is_no_error(client, media_root):
    signed_in(client)
    asset = create_media_asset(two_halves())
    card = {
        "title": "Un",
        "media": {
            "height": "HUGE",
            "contentInfo": {"fileUrl": media_ref_for(asset, "MEDIUM", "MEDIUM")},
        },
    }
    template = make_template()
    for width in ("LARGE", "MEDIUM"):
        content = {"richCard": {"carouselCard": {"cardWidth": width, "cardContents": [card, card]}}}
        response = post_json(client, f"/templates/{template.pk}/canvas/", {"rcs_content": content})
        assert response.status_code == 200
    # A known width with an unknown height frames as medium.
    assert "data-framing" in response.content.decode()
    assert "Best size: 928 × 672 px" in response.content.decode()

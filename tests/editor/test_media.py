"""Image uploads: refused by content, cleaned, cut to RCS sizes, never half-written."""

import io
import struct
import zlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import ExifTags, Image

from editor import media, media_urls
from editor.media import MediaError, create_media_asset
from editor.media_urls import (
    absolute_url,
    local_url,
    media_ref_for,
    media_urlpatterns,
    references_in,
    thumbnail_ref_for,
)
from editor.models import MediaAsset

pytestmark = pytest.mark.django_db

# The media URL on its own, as config/urls.py mounts it.
urlpatterns = media_urlpatterns()


def image_bytes(size=(800, 400), colour=(200, 30, 60), fmt="PNG", **save):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, fmt, **save)
    return buffer.getvalue()


def upload(data, name="photo.png"):
    return SimpleUploadedFile(name, data)


def stored_files(media_root):
    return sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []


def png_header_only(width, height):
    """A tiny PNG whose header claims width x height pixels: a decompression bomb's shape."""

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


def assert_refused(file, words, media_root):
    with pytest.raises(MediaError) as caught:
        create_media_asset(file)
    assert words in caught.value.messages[0]
    assert MediaAsset.objects.count() == 0
    assert stored_files(media_root) == []


def test_a_text_file_named_like_a_photo_is_refused(media_root):
    assert_refused(
        upload(b"Bonjour, je suis un texte.\n" * 20, "photo.jpg"), "not a JPEG", media_root
    )


def test_other_image_formats_are_refused(media_root):
    assert_refused(upload(image_bytes(fmt="BMP"), "photo.png"), "not a JPEG", media_root)


def test_a_decompression_bomb_is_refused_before_decoding(media_root):
    bomb = png_header_only(6000, 6000)  # 36 MP: over our cap, under Pillow's own warning
    assert len(bomb) < 200
    assert_refused(upload(bomb), "megapixels", media_root)


def test_a_huge_decompression_bomb_is_refused(media_root):
    assert_refused(upload(png_header_only(100_000, 100_000)), "megapixels", media_root)


def test_an_oversized_file_is_refused(media_root):
    data = image_bytes() + b"\x00" * (media.MAX_UPLOAD_BYTES + 1)
    assert_refused(upload(data), "the limit is 30 MB", media_root)


def test_the_size_of_an_oversized_file_uses_the_reader_s_decimal_separator(media_root):
    data = b"\x00" * (media.MAX_UPLOAD_BYTES + 200_000)  # 30.19 MB
    assert_refused(upload(data), "The file is 30.2 MB", media_root)
    with translation.override("fr"):
        assert_refused(upload(data), "Le fichier fait 30,2\u00a0Mo", media_root)


def test_a_truncated_image_is_refused(media_root):
    data = image_bytes(fmt="JPEG")
    assert_refused(upload(data[: len(data) // 2], "photo.jpg"), "damaged", media_root)


def test_a_failure_while_writing_leaves_no_file_and_no_row(media_root, monkeypatch):
    real_save = default_storage.save
    calls = []

    def failing_save(name, content, **kwargs):
        calls.append(name)
        if len(calls) == 4:
            raise OSError("disk full")
        return real_save(name, content, **kwargs)

    monkeypatch.setattr(default_storage, "save", failing_save)
    with pytest.raises(OSError):
        create_media_asset(upload(image_bytes()))
    assert len(calls) == 4
    assert MediaAsset.objects.count() == 0
    assert stored_files(media_root) == []


def test_a_good_image_gets_every_card_size_with_rbm_ratios(media_root):
    asset = create_media_asset(upload(image_bytes((3000, 2000))), name="Soldes")

    assert asset.name == "Soldes"
    assert (asset.width, asset.height) == (2048, 1365)
    assert asset.original_format == "PNG"
    sizes = {key: (v["width"], v["height"]) for key, v in asset.variants.items()}
    assert sizes["STANDALONE:SHORT"] == (1440, 480)  # 3:1
    assert sizes["STANDALONE:MEDIUM"] == (1440, 720)  # 2:1
    assert sizes["MEDIUM:TALL"] == (928, 1056)
    assert sizes["SMALL:MEDIUM"] == (480, 672)
    assert "SMALL:TALL" not in sizes
    for key, variant in asset.variants.items():
        with default_storage.open(variant["file"]) as stored:
            assert Image.open(stored).size == sizes[key]
    # Every file sits in one random folder under assets/.
    folders = {p.parent for p in stored_files(media_root)}
    assert len(folders) == 1
    assert len(folders.pop().name) == 32


def test_small_images_are_cropped_but_not_enlarged(media_root):
    asset = create_media_asset(upload(image_bytes((600, 600))))
    assert (
        asset.variants["STANDALONE:MEDIUM"]["width"],
        asset.variants["STANDALONE:MEDIUM"]["height"],
    ) == (600, 300)


def test_a_crop_is_referenced_and_its_url_uses_the_public_base_url(media_root):
    asset = create_media_asset(upload(image_bytes()))
    ref = media_ref_for(asset, "TALL", "MEDIUM")
    assert ref == "media:" + asset.variants["MEDIUM:TALL"]["file"]
    assert absolute_url(ref) == "https://relais.example/media/" + ref.removeprefix("media:")
    assert thumbnail_ref_for(asset, "TALL", "MEDIUM").endswith("medium-tall-thumb.jpg")


def test_with_media_on_another_host_pages_and_providers_both_use_it(settings):
    settings.MEDIA_URL = "https://cdn.relais.example/m/"
    ref = "media:assets/abc/logo.jpg"
    assert absolute_url(ref) == local_url(ref) == "https://cdn.relais.example/m/assets/abc/logo.jpg"
    content = {"contentInfo": {"fileUrl": "https://old-cdn.example/m/assets/abc/logo.jpg"}}
    assert references_in(content, lambda path: path == "assets/abc/logo.jpg") == {
        "contentInfo": {"fileUrl": ref}
    }


def test_every_card_width_and_height_named_for_urls_has_a_size():
    assert set(media_urls.CARD_WIDTHS) == set(media.CARD_WIDTHS_DP)
    assert set(media_urls.MEDIA_HEIGHTS) == set(media.HEIGHTS_DP)


def test_exif_orientation_is_applied_and_metadata_stripped(media_root):
    # Stored sideways: left half red, right half blue, with "rotate 90° clockwise" in EXIF
    # and a GPS position.
    image = Image.new("RGB", (400, 200), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, 200, 200))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (48.0, 51.0, 24.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes(), quality=95)
    assert b"PhoneMaker" in buffer.getvalue()

    asset = create_media_asset(upload(buffer.getvalue(), "portrait.jpg"))

    assert (asset.width, asset.height) == (200, 400)
    for path in stored_files(media_root):
        data = path.read_bytes()
        assert b"Exif" not in data and b"PhoneMaker" not in data
        stored = Image.open(io.BytesIO(data))
        assert not stored.getexif()
    with default_storage.open(asset.file.name) as stored:
        upright = Image.open(stored).convert("RGB")
        red, _g, blue = upright.getpixel((100, 20))
        assert red > 200 and blue < 60  # the red half is now on top
        red, _g, blue = upright.getpixel((100, 380))
        assert blue > 200 and red < 60


def test_thumbnails_stay_under_100_kb_even_for_noisy_photos(media_root):
    noise = Image.effect_noise((2000, 1500), 120).convert("RGB")
    buffer = io.BytesIO()
    noise.save(buffer, "JPEG", quality=95)
    assert len(buffer.getvalue()) > 100_000

    asset = create_media_asset(upload(buffer.getvalue(), "noise.jpg"))

    thumbnails = [asset.thumbnail.name] + [v["thumbnail"] for v in asset.variants.values()]
    for name in thumbnails:
        assert default_storage.size(name) <= 100_000


def test_transparent_gif_is_accepted_on_a_white_background(media_root):
    image = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    image.paste((0, 128, 0, 255), (100, 100, 200, 200))
    buffer = io.BytesIO()
    image.save(buffer, "GIF")

    asset = create_media_asset(upload(buffer.getvalue(), "logo.gif"), kind=MediaAsset.Kind.LOGO)

    assert asset.original_format == "GIF"
    assert set(asset.variants) == {"LOGO"}
    with default_storage.open(asset.variants["LOGO"]["file"]) as stored:
        logo = Image.open(stored).convert("RGB")
        assert logo.size == (224, 224)  # logos are enlarged to the size phones show
        assert logo.getpixel((5, 5)) == pytest.approx((255, 255, 255), abs=3)


@pytest.mark.urls("tests.editor.test_media")
def test_media_files_are_served_to_anyone_with_their_type(client):
    asset = create_media_asset(upload(image_bytes()))
    response = client.get("/media/" + asset.variants["STANDALONE:MEDIUM"]["file"])
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "immutable" in response["Cache-Control"]
    assert client.get("/media/assets/missing.jpg").status_code == 404
    client.raise_request_exception = False
    assert client.get("/media/assets/../../settings.py").status_code == 400

"""Existing rows: absolute URLs to our own media, made under any address, become references."""

import io
from importlib import import_module

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from PIL import Image

from editor.media import create_media_asset
from editor.models import MediaAsset, MessageTemplate, TemplateVersion
from tests.factories import make_brand, make_published_template

migration = import_module("editor.migrations.0005_media_references")
CDN = "https://cdn.example/media/assets/0123456789abcdef0123456789abcdef/standalone-tall.jpg"


def png(name="photo.png", size=(900, 450)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 130, 60)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def carousel_with(first, second, cdn=CDN):
    """A carousel of three cards: two images at the given URLs, one on an external CDN."""
    cards = [
        {"title": "Un", "media": {"height": "SHORT", "contentInfo": first}},
        {"title": "Deux", "media": {"height": "SHORT", "contentInfo": second}},
        {"title": "Trois", "media": {"height": "SHORT", "contentInfo": {"fileUrl": cdn}}},
    ]
    return {"richCard": {"carouselCard": {"cardWidth": "MEDIUM", "cardContents": cards}}}


def old_rows(then=None):
    """A draft, its version and its brand as stored before references, under two old addresses.

    The rows are made with today's models; then() runs before they are turned old (going back
    to the migration under test: fields added since would not exist there any more).
    """
    card = create_media_asset(png())
    logo = create_media_asset(png("logo.png", (300, 300)), kind=MediaAsset.Kind.LOGO)
    short = card.variants["MEDIUM:SHORT"]
    paths = {
        "file": short["file"],
        "thumbnail": short["thumbnail"],
        "logo": logo.variants["LOGO"]["file"],
    }
    template, version = make_published_template(brand=make_brand(logo=logo))
    old = carousel_with(
        {
            "fileUrl": f"http://localhost:8000/media/{paths['file']}",
            "thumbnailUrl": f"http://localhost:8000/media/{paths['thumbnail']}",
        },
        {"fileUrl": f"http://192.168.1.20:9000/media/{paths['file']}"},
    )
    snapshot = {
        **version.brand_snapshot,
        "logo_url": f"http://localhost:8000/media/{paths['logo']}",
    }
    if then is not None:
        then()
    template.rcs_content = old
    # update(): a version cannot be saved again, and saving a draft would already convert.
    MessageTemplate.objects.filter(pk=template.pk).update(rcs_content=old)
    TemplateVersion.objects.filter(pk=version.pk).update(
        rcs_content=old,
        brand_snapshot=snapshot,
        source_fingerprint=template.fingerprint(),
    )
    return template, version, paths


def expected_references(paths):
    return carousel_with(
        {"fileUrl": f"media:{paths['file']}", "thumbnailUrl": f"media:{paths['thumbnail']}"},
        {"fileUrl": f"media:{paths['file']}"},
    )


def assert_references(template, version, paths):
    template.refresh_from_db()
    version.refresh_from_db()
    assert template.rcs_content == expected_references(paths)
    assert version.rcs_content == expected_references(paths)
    assert version.brand_snapshot["logo_url"] == f"media:{paths['logo']}"
    # Published and unchanged it was, published and unchanged it stays.
    assert not template.has_unpublished_changes


@pytest.mark.django_db
def test_own_media_urls_of_any_address_become_references_and_a_rerun_changes_nothing():
    template, version, paths = old_rows()

    migration.to_references(apps, None)
    assert_references(template, version, paths)

    migration.to_references(apps, None)
    assert_references(template, version, paths)


@pytest.mark.django_db
def test_an_url_under_media_that_names_none_of_our_files_stays():
    template, version, paths = old_rows()
    unknown = f"http://localhost:8000/media/assets/{'f' * 32}/standalone-tall.jpg"
    content = carousel_with({"fileUrl": unknown}, {"fileUrl": "http://localhost:8000/admin/x.jpg"})
    MessageTemplate.objects.filter(pk=template.pk).update(rcs_content=content)

    migration.to_references(apps, None)

    template.refresh_from_db()
    assert template.rcs_content == content


@pytest.mark.django_db
def test_going_back_writes_urls_on_todays_public_address(settings):
    template, version, paths = old_rows()
    migration.to_references(apps, None)
    settings.PUBLIC_BASE_URL = "https://relais.example"

    migration.to_absolute_urls(apps, None)

    version.refresh_from_db()
    url = "https://relais.example/media/"
    assert version.rcs_content == carousel_with(
        {"fileUrl": url + paths["file"], "thumbnailUrl": url + paths["thumbnail"]},
        {"fileUrl": url + paths["file"]},
    )
    assert version.brand_snapshot["logo_url"] == url + paths["logo"]
    template.refresh_from_db()
    assert not template.has_unpublished_changes


@pytest.fixture
def whole_schema_after():
    """Migrate every app back to its latest migration after the test, whatever happened.

    Going back to an older editor migration also unapplies the migrations of other apps that
    depend on a later one (sending's Dispatch does); migrating only editor forward again would
    leave the next tests without those tables.
    """
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_migrating_forward_and_back_through_the_real_migration(settings, whole_schema_after):
    previous = migration.Migration.dependencies[0]
    template, version, paths = old_rows(
        then=lambda: MigrationExecutor(connection).migrate([previous])
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes("editor"))
    assert_references(template, version, paths)

    settings.PUBLIC_BASE_URL = "https://relais.example"
    executor = MigrationExecutor(connection)
    executor.migrate([previous])
    version.refresh_from_db()
    assert version.brand_snapshot["logo_url"] == f"https://relais.example/media/{paths['logo']}"

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes("editor"))
    assert_references(template, version, paths)

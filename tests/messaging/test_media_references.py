"""Media references ("media:assets/…") where RCS content takes an image, and only there."""

import pytest

from messaging import media_refs
from messaging.content import parse_content
from tests.support.content import card, issues, link, standalone

REFERENCE = "media:assets/0123456789abcdef/standalone-medium.jpg"

# The default language is French; the expected wording below is the English source text.
pytestmark = pytest.mark.usefixtures("english")


def with_image(file_url, thumbnail_url=None):
    info = {"fileUrl": file_url}
    if thumbnail_url is not None:
        info["thumbnailUrl"] = thumbnail_url
    return standalone(card(title="Soldes", media={"height": "MEDIUM", "contentInfo": info}))


def test_a_card_image_and_its_thumbnail_may_be_references():
    data = with_image(REFERENCE, REFERENCE.replace(".jpg", "-thumb.jpg"))
    assert parse_content(data).to_storage() == data
    assert parse_content({"contentInfo": {"fileUrl": REFERENCE}}).to_storage()


@pytest.mark.parametrize(
    "reference",
    [
        "media:",
        "media:/etc/passwd",
        "media:assets/../../settings.py",
        "media:assets//x.jpg",
        "media:assets/x y.jpg",
        "media:assets/{{ image }}.jpg",
    ],
)
def test_a_reference_to_no_stored_file_is_refused_in_words(reference):
    assert issues(with_image(reference)) == [
        "Card: the media link names no image of the media library"
    ]


def test_a_button_link_is_never_a_media_reference():
    data = standalone(card(title="Soldes", suggestions=[link(REFERENCE)]))
    assert issues(data) == ["Button 1: the link must start with https:// or http://"]


def test_replacing_media_changes_the_media_fields_only_and_leaves_the_original_alone():
    data = with_image(REFERENCE)
    data["richCard"]["standaloneCard"]["cardContent"]["suggestions"] = [
        link("https://shop.example")
    ]

    replaced = media_refs.replace_media(data, lambda value: value.upper())

    assert replaced["richCard"]["standaloneCard"]["cardContent"]["media"]["contentInfo"] == {
        "fileUrl": REFERENCE.upper()
    }
    suggestion = replaced["richCard"]["standaloneCard"]["cardContent"]["suggestions"][0]
    assert suggestion["action"]["openUrlAction"]["url"] == "https://shop.example"
    assert data["richCard"]["standaloneCard"]["cardContent"]["media"]["contentInfo"] == {
        "fileUrl": REFERENCE
    }

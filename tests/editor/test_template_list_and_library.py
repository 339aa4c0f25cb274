"""The template list shows each message's language and a thumbnail, and filters by language;
the library shows a preview before "Use this template"."""

import pytest

from editor.list_thumbs import message_thumb
from editor.models import MessageTemplate
from tests.factories import make_brand, make_template
from tests.support.views import signed_in

pytestmark = pytest.mark.django_db


def names(response):
    return sorted(template.name for template in response.context["page"].object_list)


def test_filter_by_language_and_each_row_says_its_language(client):
    signed_in(client)
    make_template(name="Soldes", language=MessageTemplate.Language.FR)
    make_template(name="Sale", language=MessageTemplate.Language.EN)
    assert names(client.get("/templates/?language=en")) == ["Sale"]
    assert names(client.get("/templates/?language=fr")) == ["Soldes"]
    everything = client.get("/templates/")
    assert names(everything) == ["Sale", "Soldes"]
    page = everything.content.decode()
    assert '<option value="en">English</option>' in page
    assert '<span class="visually-hidden">French</span>' in page
    assert '<span class="visually-hidden">English</span>' in page
    filtered = client.get("/templates/?language=en").content.decode()
    assert 'aria-label="Clear the filters"' in filtered


def test_an_unknown_language_is_ignored_not_an_error(client):
    signed_in(client)
    make_template(name="Soldes")
    response = client.get("/templates/?language=xx")
    assert response.status_code == 200
    assert names(response) == ["Soldes"]


def test_the_thumbnail_is_the_first_image_else_a_text_snippet():
    card = {
        "title": "Hello",
        "media": {
            "height": "SHORT",
            "contentInfo": {
                "fileUrl": "media:assets/a/standalone-short.jpg",
                "thumbnailUrl": "media:assets/a/standalone-short-thumb.jpg",
            },
        },
    }
    carousel = {
        "richCard": {
            "carouselCard": {
                "cardWidth": "MEDIUM",
                "cardContents": [
                    {"title": "No image"},
                    card,
                ],
            }
        }
    }
    assert message_thumb(carousel).image == "media:assets/a/standalone-short-thumb.jpg"
    text = {"text": "Bonjour " * 30}
    assert message_thumb(text).image == ""
    assert message_thumb(text).text.startswith("Bonjour Bonjour")
    assert len(message_thumb(text).text) <= 70
    no_image = {"richCard": {"standaloneCard": {"cardContent": {"description": "Only words"}}}}
    assert message_thumb(no_image).text == "Only words"
    assert message_thumb(None).text == ""


def test_the_list_shows_the_thumbnail_of_each_message(client, media_root):
    signed_in(client)
    make_template(name="Texte", rcs_content={"text": "Bonjour, nos soldes commencent demain."})
    image = {"fileUrl": "media:assets/abc/standalone-medium.jpg"}
    make_template(
        name="Image",
        rcs_content={
            "richCard": {
                "standaloneCard": {
                    "cardContent": {
                        "title": "Soldes",
                        "media": {"height": "MEDIUM", "contentInfo": image},
                    }
                }
            }
        },
    )
    page = client.get("/templates/").content.decode()
    assert 'class="message-thumb" src="/media/assets/abc/standalone-medium.jpg"' in page
    assert "Bonjour, nos soldes commencent demain." in page


def test_library_preview_shows_both_phones_and_the_use_button(client, media_root):
    signed_in(client)
    brand = make_brand(name="Maison")
    response = client.get("/templates/library/flash_sale/preview/?language=en")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'aria-label="iPhone preview"' in page
    assert 'aria-label="Android preview"' in page
    assert "/static/editor/library/flash_sale_en.jpg" in page
    assert "Maison" in page
    assert f'<input type="hidden" name="brand" value="{brand.pk}">' in page
    assert "Use this template" in page
    # Nothing is imported or created by looking.
    assert not MessageTemplate.objects.exists()
    library = client.get("/templates/library/?language=en").content.decode()
    assert 'hx-get="/templates/library/flash_sale/preview/?language=en"' in library


def test_library_preview_of_an_unknown_template_is_not_found(client):
    signed_in(client)
    assert client.get("/templates/library/nope/preview/").status_code == 404


def test_a_viewer_sees_the_library_preview_without_the_use_button(client):
    signed_in(client, role="Viewer")
    make_brand()
    page = client.get("/templates/library/appointment/preview/?language=fr").content.decode()
    assert 'aria-label="iPhone preview"' in page
    assert "Use this template" not in page

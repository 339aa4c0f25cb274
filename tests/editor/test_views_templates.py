"""The template list: search, filters, a new template, duplicate, archive with undo."""

import pytest

from editor.models import MessageTemplate
from tests.factories import make_brand, make_template
from tests.support.views import signed_in

pytestmark = pytest.mark.django_db


def names(response):
    return [template.name for template in response.context["page"].object_list]


def test_list_shows_drafts_and_published_but_not_archived(client):
    signed_in(client)
    make_template(name="Soldes")
    make_template(name="Livraison", status=MessageTemplate.Status.PUBLISHED)
    make_template(name="Ancienne promo", status=MessageTemplate.Status.ARCHIVED)
    response = client.get("/templates/")
    assert response.status_code == 200
    assert sorted(names(response)) == ["Livraison", "Soldes"]


def test_search_matches_the_name_or_the_template_id(client):
    signed_in(client)
    make_template(name="Soldes d'été", slug="promo_ete")
    make_template(name="Livraison", slug="livraison_v1")
    assert names(client.get("/templates/?q=été")) == ["Soldes d'été"]
    assert names(client.get("/templates/?q=LIVRAISON_v")) == ["Livraison"]


def test_filters_by_brand_category_and_status(client):
    signed_in(client)
    shop, other = make_brand(name="Shop"), make_brand(name="Other")
    make_template(name="A", brand=shop, category=MessageTemplate.Category.PROMOTION)
    make_template(name="B", brand=other, category=MessageTemplate.Category.DELIVERY)
    make_template(name="C", brand=shop, status=MessageTemplate.Status.ARCHIVED)
    assert names(client.get(f"/templates/?brand={shop.pk}")) == ["A"]
    assert names(client.get("/templates/?category=delivery")) == ["B"]
    assert names(client.get("/templates/?status=archived")) == ["C"]


def test_new_template_gets_an_id_from_its_name_and_opens_the_editor(client):
    signed_in(client)
    brand = make_brand()
    make_template(slug="soldes_d_ete")
    response = client.post(
        "/templates/new/",
        {
            "name": "Soldes d'été",
            "brand": brand.pk,
            "category": "promotion",
            "traffic_type": "PROMOTION",
            "language": "fr",
            "slug": "",
        },
    )
    template = MessageTemplate.objects.get(name="Soldes d'été")
    assert response.status_code == 302
    assert response["Location"] == f"/templates/{template.pk}/"
    assert template.slug == "soldes_d_ete_2"
    assert template.status == MessageTemplate.Status.DRAFT
    assert template.rcs_content == {}


def test_new_template_refuses_a_bad_id_next_to_the_field(client):
    signed_in(client)
    brand = make_brand()
    response = client.post(
        "/templates/new/",
        {
            "name": "Soldes",
            "brand": brand.pk,
            "category": "promotion",
            "traffic_type": "PROMOTION",
            "language": "fr",
            "slug": "Promo Été",
        },
    )
    assert response.status_code == 200
    assert "slug" in response.context["form"].errors
    assert not MessageTemplate.objects.filter(name="Soldes").exists()


def test_duplicate_makes_a_draft_copy_and_opens_it(client):
    signed_in(client)
    original = make_template(name="Soldes", slug="soldes", status=MessageTemplate.Status.PUBLISHED)
    response = client.post(f"/templates/{original.pk}/duplicate/")
    copy = MessageTemplate.objects.exclude(pk=original.pk).get()
    assert response["Location"] == f"/templates/{copy.pk}/"
    assert copy.name == "Soldes (copy)"
    assert copy.slug == "soldes_copy"
    assert copy.status == MessageTemplate.Status.DRAFT
    assert copy.rcs_content == original.rcs_content
    assert copy.sms_fallback == original.sms_fallback
    assert copy.variables == original.variables


def test_archive_hides_the_template_and_offers_undo_once(client):
    signed_in(client)
    template = make_template(name="Soldes")
    response = client.post(f"/templates/{template.pk}/archive/", follow=True)
    template.refresh_from_db()
    assert template.status == MessageTemplate.Status.ARCHIVED
    assert names(response) == []
    assert response.context["archived"] == template
    page = response.content.decode()
    assert "“Soldes” archived" in page
    assert f'action="/templates/{template.pk}/restore/"' in page
    assert client.get("/templates/").context["archived"] is None


def test_undo_restores_a_draft_as_draft_and_a_published_template_as_published(client):
    signed_in(client)
    draft = make_template(name="Draft")
    published = make_template(name="Published")
    from editor.services import publish_template

    publish_template(published)
    for template in (draft, published):
        client.post(f"/templates/{template.pk}/archive/")
        response = client.post(f"/templates/{template.pk}/restore/", follow=True)
        assert f"“{template.name}” restored." in response.content.decode()
    draft.refresh_from_db()
    published.refresh_from_db()
    assert draft.status == MessageTemplate.Status.DRAFT
    assert published.status == MessageTemplate.Status.PUBLISHED


def test_viewer_sees_the_list_without_write_controls_and_cannot_archive(client):
    signed_in(client, role="Viewer")
    template = make_template(name="Soldes")
    page = client.get("/templates/").content.decode()
    assert "Soldes" in page
    assert "New template" not in page
    assert "/archive/" not in page
    assert "/duplicate/" not in page
    assert client.post(f"/templates/{template.pk}/archive/").status_code == 403
    template.refresh_from_db()
    assert template.status == MessageTemplate.Status.DRAFT


def test_library_lists_the_ready_made_templates_and_uses_one(client):
    signed_in(client)
    brand = make_brand()
    page = client.get("/templates/library/?language=en").content.decode()
    assert "Order confirmation" in page
    assert "Collection launch" in page
    response = client.post(
        "/templates/library/flash_sale/use/", {"brand": brand.pk, "language": "en"}
    )
    template = MessageTemplate.objects.get()
    assert response["Location"] == f"/templates/{template.pk}/"
    assert template.brand == brand
    assert template.language == "en"
    assert template.rcs_content["richCard"]["standaloneCard"]["cardContent"]["suggestions"]


def test_library_refuses_an_unknown_template(client):
    signed_in(client)
    brand = make_brand()
    response = client.post("/templates/library/nope/use/", {"brand": brand.pk})
    assert response.status_code == 404

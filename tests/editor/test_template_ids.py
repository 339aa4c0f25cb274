"""A template id in use gets a clear error naming its template and a free id, never a 500."""

from unittest import mock

import pytest
from django.db import IntegrityError

from editor.models import MessageTemplate
from tests.factories import make_brand, make_template
from tests.support.views import signed_in

pytestmark = pytest.mark.django_db


def new_template(brand, **changes):
    return {
        "name": "Soldes",
        "brand": brand.pk,
        "category": "promotion",
        "traffic_type": "PROMOTION",
        "language": "fr",
        "slug": "",
        **changes,
    }


def test_creating_with_a_taken_id_names_its_template_and_a_free_id(client):
    signed_in(client)
    make_template(name="Soldes d'été", slug="promo_ete")
    response = client.post("/templates/new/", new_template(make_brand(), slug="promo_ete"))
    assert response.status_code == 200
    assert response.context["form"].errors["slug"] == [
        "The template id “promo_ete” is already used by “Soldes d'été”. Choose another one, "
        "e.g. “promo_ete_2”."
    ]
    assert MessageTemplate.objects.count() == 1


def test_an_id_taken_between_the_check_and_the_insert_is_reported_on_the_form(client):
    signed_in(client)
    brand = make_brand()
    rival = make_template(name="Rival", slug="soldes")
    # Another request inserts "soldes" after this form checked it was free: the checks pass.
    with (
        mock.patch("editor.forms.check_template_id_free"),
        mock.patch("editor.forms.TemplateCreateForm.validate_unique"),
    ):
        response = client.post("/templates/new/", new_template(brand, slug="soldes"))
    assert response.status_code == 200
    assert "already used by “Rival”" in response.context["form"].errors["slug"][0]
    assert list(MessageTemplate.objects.all()) == [rival]


def test_duplicating_proposes_a_name_and_a_free_id(client):
    signed_in(client)
    original = make_template(name="Soldes", slug="soldes")
    make_template(name="Soldes (copy)", slug="soldes_copy")
    form = client.get(f"/templates/{original.pk}/duplicate/").context["form"]
    assert form.initial == {"name": "Soldes (copy)", "slug": "soldes_copy_2"}


def test_duplicating_under_a_taken_id_names_its_template_and_a_free_id(client):
    signed_in(client)
    original = make_template(name="Soldes", slug="soldes")
    make_template(name="Noël", slug="promo_noel")
    response = client.post(
        f"/templates/{original.pk}/duplicate/", {"name": "Soldes 2", "slug": "promo_noel"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Duplicate a template" in page
    assert "The template id “promo_noel” is already used by “Noël”" in page
    assert "e.g. “promo_noel_2”" in page
    assert MessageTemplate.objects.count() == 2


def test_duplicating_under_a_chosen_free_id_opens_the_copy(client):
    signed_in(client)
    original = make_template(name="Soldes", slug="soldes")
    response = client.post(
        f"/templates/{original.pk}/duplicate/", {"name": "Soldes d'hiver", "slug": "soldes_hiver"}
    )
    copy = MessageTemplate.objects.get(slug="soldes_hiver")
    assert response["Location"] == f"/templates/{copy.pk}/"
    assert copy.name == "Soldes d'hiver"
    assert copy.rcs_content == original.rcs_content


def test_a_duplicate_that_loses_a_race_for_its_id_is_reported_not_a_500(client):
    signed_in(client)
    original = make_template(name="Soldes", slug="soldes")
    make_template(name="Quicker", slug="soldes_hiver")
    # The other request's copy was inserted after this one checked the id was free.
    with mock.patch("editor.forms.check_template_id_free"):
        response = client.post(
            f"/templates/{original.pk}/duplicate/", {"name": "Mine", "slug": "soldes_hiver"}
        )
    assert response.status_code == 200
    assert "already used by “Quicker”" in response.content.decode()
    assert not MessageTemplate.objects.filter(name="Mine").exists()


def test_an_integrity_error_of_another_kind_is_not_hidden(client):
    signed_in(client)
    original = make_template(name="Soldes", slug="soldes")
    with (
        mock.patch.object(MessageTemplate, "duplicate", side_effect=IntegrityError("other")),
        pytest.raises(IntegrityError),
    ):
        client.post(f"/templates/{original.pk}/duplicate/")

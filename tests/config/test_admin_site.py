"""The admin for admins who are not developers: branded, named sections, technical ones hidden."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission, User
from django.utils.functional import Promise

from tests.factories import make_template

pytestmark = pytest.mark.django_db

BUSINESS_APPS = ("editor", "audience", "sending", "api")
TECHNICAL_URLS = (
    "/admin/django_rq/dashboard/",
    "/admin/axes/accessattempt/",
    "/admin/axes/accesslog/",
    "/admin/auth/group/",
)


def staff_admin(client, language="en"):
    """Sign in a staff account (not a superuser) allowed every business model and the users."""
    user = User.objects.create_user("office", "", "a-long-passphrase", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=BUSINESS_APPS)
        | Permission.objects.filter(content_type__app_label="auth", content_type__model="user")
    )
    client.force_login(user)
    client.cookies["django_language"] = language
    return user


def superuser(client, language="en"):
    user = User.objects.create_superuser("root", "", "a-long-passphrase")
    client.force_login(user)
    client.cookies["django_language"] = language
    return user


def section_names(response):
    return [app["name"] for app in response.context["app_list"]]


def test_the_index_is_branded_relais(client):
    staff_admin(client)
    page = client.get("/admin/").content.decode()
    assert "<title>Brands, templates, API keys and users | Relais administration</title>" in page
    assert "Relais administration</a>" in page
    assert "img/relais-mark.svg" in page
    assert "css/admin.css" in page
    assert "Django administration" not in page


def test_a_staff_admin_sees_the_business_sections_in_working_order(client):
    staff_admin(client)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert section_names(response) == [
        "Templates and brands",
        "Audience",
        "Sending",
        "API keys",
        "Users and roles",
    ]
    page = response.content.decode()
    for url in TECHNICAL_URLS:
        assert url not in page


def test_section_names_are_translatable():
    for app_label in (*BUSINESS_APPS, "auth"):
        assert isinstance(apps.get_app_config(app_label).verbose_name, Promise), app_label


def test_section_names_are_translated_into_french(client):
    staff_admin(client, language="fr")
    names = section_names(client.get("/admin/"))
    assert names == [
        "Modèles et marques",
        "Audience",
        "Envois",
        "Clés d’API",
        "Utilisateurs et rôles",
    ]


def test_technical_sections_are_refused_to_a_staff_admin(client):
    staff_admin(client)
    for url in (*TECHNICAL_URLS, "/admin/django_rq/dashboard/queues/0/", "/admin/axes/"):
        assert client.get(url).status_code in (403, 404), url


def test_technical_sections_are_shown_to_superusers_after_the_business_ones(client):
    superuser(client)
    response = client.get("/admin/")
    names = section_names(response)
    assert names[:5] == [
        "Templates and brands",
        "Audience",
        "Sending",
        "API keys",
        "Users and roles",
    ]
    labels = [app["app_label"] for app in response.context["app_list"]]
    assert {"django_rq", "axes"} <= set(labels[5:])
    page = response.content.decode()
    for url in TECHNICAL_URLS:
        assert url in page
        assert client.get(url).status_code == 200, url


def test_a_staff_admin_can_open_every_business_page(client):
    staff_admin(client)
    template = make_template()
    for url in (
        "/admin/editor/",
        "/admin/editor/brand/",
        "/admin/editor/messagetemplate/",
        f"/admin/editor/messagetemplate/{template.pk}/change/",
        "/admin/editor/messagetemplate/add/",
        "/admin/audience/contact/",
        "/admin/sending/message/",
        "/admin/api/apikey/",
        "/admin/auth/user/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Relais administration" in response.content.decode(), url

"""The ready-made roles: Approver approves, Administrator runs the admin (not a developer)."""

import pytest
from django.contrib.auth.models import Group, Permission

from accounts.roles import ADMINISTRATOR_PERMISSIONS, can_approve, can_edit, sync_administrator_role
from tests.factories import make_brand, make_person

pytestmark = pytest.mark.django_db


def test_the_roles_exist_after_migrate():
    names = set(Group.objects.values_list("name", flat=True))
    assert {"Marketing", "Viewer", "Approver", "Administrator"} <= names


def test_the_administrator_role_holds_every_listed_permission():
    granted = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name="Administrator").permissions.select_related("content_type")
    }
    wanted = {
        f"{label.split('.')[0]}.{action}_{label.split('.')[1]}"
        for label, actions in ADMINISTRATOR_PERMISSIONS.items()
        for action in actions
    }
    assert granted == wanted
    # What stays with developers and superusers.
    assert "auth.change_group" not in granted
    assert "editor.change_templateversion" not in granted
    assert "auth.delete_user" not in granted


def test_syncing_again_keeps_what_was_added_by_hand():
    group = Group.objects.get(name="Administrator")
    added = Permission.objects.get(content_type__app_label="auth", codename="change_group")
    group.permissions.add(added)
    sync_administrator_role()
    assert group.permissions.filter(pk=added.pk).exists()


def test_an_administrator_manages_brands_and_users_in_the_admin(client):
    admin = make_person("alice", "Administrator")
    admin.is_staff = True
    admin.save()
    brand = make_brand()
    client.force_login(admin)
    client.cookies["django_language"] = "en"

    assert client.get("/admin/").status_code == 200
    brand_page = client.get(f"/admin/editor/brand/{brand.pk}/change/")
    assert "requires_approval" in brand_page.content.decode()
    assert client.get("/admin/auth/user/add/").status_code == 200
    assert client.get("/admin/api/apikey/").status_code == 200
    # The technical sections stay with superusers.
    assert client.get("/admin/auth/group/").status_code == 403
    assert not can_edit(admin)


def test_an_approver_approves_but_does_not_edit():
    approver = make_person("lea", "Approver")
    assert can_approve(approver) and not can_edit(approver)
    marketer = make_person("marie", "Marketing")
    assert can_edit(marketer) and not can_approve(marketer)

"""The product's roles: Marketing edits everything in the product UI, Viewer only reads,
Approver approves templates of the brands that require it, Administrator runs the admin."""

MARKETING = "Marketing"
VIEWER = "Viewer"
APPROVER = "Approver"
ADMINISTRATOR = "Administrator"

# What an admin who is not a developer needs in the Django admin, as {"app.model": actions}.
# Technical sections (queues, sign-in records, permission groups) stay with superusers
# (config.admin_site), and published versions, sent messages and the consent ledger are read.
ADMINISTRATOR_PERMISSIONS = {
    "auth.user": ("add", "change", "view"),
    "api.apikey": ("add", "change", "view"),
    "editor.brand": ("add", "change", "view"),
    "editor.messagetemplate": ("add", "change", "view"),
    "editor.templateversion": ("view",),
    "editor.mediaasset": ("add", "view"),
    "editor.testrecipient": ("view", "delete"),
    "audience.contact": ("change", "view"),
    "audience.consententry": ("view",),
    "audience.contactlist": ("add", "change", "view"),
    "audience.erasedconsent": ("view",),
    "sending.message": ("view",),
    "sending.event": ("view",),
    "sending.sendingpause": ("add", "change", "view"),
    # Shops and webhook endpoints are added on their screens (which take or show the secret);
    # events and deliveries are evidence. change_webhookendpoint also allows "Send again".
    "integrations.shop": ("change", "view"),
    "integrations.shopmapping": ("change", "view"),
    "integrations.shopevent": ("view",),
    "integrations.webhookendpoint": ("change", "view"),
    "integrations.webhookdelivery": ("view",),
}


def _in_group(user, name):
    # Asked several times a page (edit? approve?): the names are read once per user object.
    if not hasattr(user, "_role_names"):
        user._role_names = {group.name for group in user.groups.all()}
    return name in user._role_names


def can_edit(user):
    """Return whether the user may change things in the product UI."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return _in_group(user, MARKETING)


def can_approve(user):
    """Return whether the user may approve or send back templates submitted for review."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or _in_group(user, APPROVER)


def sync_administrator_role(**kwargs):
    """Give the Administrator role every permission of ADMINISTRATOR_PERMISSIONS that exists.

    Run after each migrate (permissions are created then), so new models named here are
    granted on the next deploy; permissions added by hand are left alone.
    """
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.filter(name=ADMINISTRATOR).first()
    if group is None:
        return
    wanted = [
        (label.split(".")[0], f"{action}_{label.split('.')[1]}")
        for label, actions in ADMINISTRATOR_PERMISSIONS.items()
        for action in actions
    ]
    by_key = {
        (permission.content_type.app_label, permission.codename): permission
        for permission in Permission.objects.select_related("content_type").filter(
            codename__in=[codename for _app, codename in wanted]
        )
    }
    group.permissions.add(*(by_key[key] for key in wanted if key in by_key))

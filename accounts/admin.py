"""Users in the admin: staff who are not superusers give roles, not superuser or permissions."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy

# What only a superuser may grant: with either, an admin could give itself every right.
SUPERUSER_ONLY_FIELDS = ("is_superuser", "user_permissions")

user_model = get_user_model()


class RelaisUserAdmin(UserAdmin):
    """Django's user admin; a staff admin gives roles (groups) and leaves superusers alone."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (
                name,
                {
                    **options,
                    "fields": [f for f in options["fields"] if f not in SUPERUSER_ONLY_FIELDS],
                },
            )
            for name, options in fieldsets
        ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "groups" in form.base_fields:
            form.base_fields["groups"].label = gettext_lazy("Roles")
            form.base_fields["groups"].help_text = gettext_lazy(
                "Marketing edits everything in the app; Viewer only reads; Approver approves "
                "the templates of brands that require it; Administrator manages brands, "
                "templates, API keys and users here (also tick “Staff status”)."
            )
        return form

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


admin.site.unregister(user_model)
admin.site.register(user_model, RelaisUserAdmin)

"""Admin for API keys: create one (its secret shown once), list, revoke."""

from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from api.models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "prefix",
        "mode",
        "rate_limit_per_minute",
        "read_rate_limit_per_minute",
        "created",
        "created_by",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["mode", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix"]
    actions = ["revoke"]
    # The hash never appears: it is neither a form field (editable=False) nor listed here.
    readonly_fields = ["prefix", "created_by", "created", "last_used_at", "revoked_at"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "mode", "rate_limit_per_minute", "read_rate_limit_per_minute"]
        return [
            "name",
            "prefix",
            "mode",
            "rate_limit_per_minute",
            "read_rate_limit_per_minute",
            *self.readonly_fields[1:],
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # The mode is part of the key itself (rl_test_… / rl_live_…): it cannot change.
        return ["mode", *self.readonly_fields]

    def save_model(self, request, obj, form, change):
        full_key = None
        if not change:
            full_key = obj.set_new_secret()
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if full_key:
            messages.warning(
                request,
                format_html(
                    "{} <code style='user-select: all'>{}</code> {}",
                    _("The API key “%(name)s” is:") % {"name": obj.name},
                    full_key,
                    _("Copy it now: it is stored hashed and will never be shown again."),
                ),
            )

    @admin.action(description=gettext_lazy("Revoke the selected API keys"))
    def revoke(self, request, queryset):
        keys = list(queryset.filter(revoked_at__isnull=True))
        for api_key in keys:
            api_key.revoke()
        self.message_user(
            request,
            ngettext("%(count)d API key revoked.", "%(count)d API keys revoked.", len(keys))
            % {"count": len(keys)},
            messages.SUCCESS,
        )

"""Templates and their published versions in the admin."""

from django.contrib import admin, messages
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from editor.admin.common import PhonePreviewMedia
from editor.admin_forms import SECONDS_PER_MINUTE, MessageTemplateAdminForm
from editor.models import MessageTemplate, TemplateVersion
from editor.preview import preview_template, preview_version
from editor.services import (
    NothingToPublish,
    PublishError,
    fallback_analysis,
    publish_template,
)
from messaging import sms


class TemplateVersionInline(admin.TabularInline):
    model = TemplateVersion
    fields = ["number", "published_at", "published_by", "sms_encoding", "sms_segments"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ["-number"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    Media = PhonePreviewMedia
    form = MessageTemplateAdminForm
    list_display = [
        "name",
        "slug",
        "brand",
        "category",
        "traffic_type",
        "language",
        "status",
        "version_number",
        "updated",
    ]
    list_filter = ["status", "category", "traffic_type", "language", "brand"]
    search_fields = ["name", "slug"]
    list_select_related = ["brand"]
    readonly_fields = [
        "edit_in_editor",
        "variables_summary",
        "fallback_summary",
        "preview",
        "created",
        "updated",
    ]
    # The message is written in the editor (a link), not as raw JSON here.
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "brand",
                    "name",
                    "slug",
                    "language",
                    "category",
                    "traffic_type",
                    "status",
                ]
            },
        ),
        (gettext_lazy("RCS"), {"fields": ["edit_in_editor", "rcs_ttl_minutes", "rcs_only"]}),
        (gettext_lazy("SMS fallback"), {"fields": ["sms_fallback", "fallback_summary"]}),
        (gettext_lazy("Variables"), {"fields": ["variables_summary"]}),
        (gettext_lazy("Preview with the sample values"), {"fields": ["preview"]}),
        (None, {"fields": ["created", "updated"]}),
    ]
    inlines = [TemplateVersionInline]
    actions = ["publish_selected"]

    @admin.display(description=gettext_lazy("message"))
    def edit_in_editor(self, template):
        if template.pk is None:
            return _("Save the template, then write its message in the editor.")
        return format_html(
            '<a class="button" href="{}">{}</a><div class="help">{}</div>',
            reverse("editor:template_edit", args=[template.pk]),
            _("Edit in the editor"),
            _("The RCS message, its buttons and variables are written there, with both phones."),
        )

    @admin.display(description=gettext_lazy("variables"))
    def variables_summary(self, template):
        variables = [item for item in template.variables or [] if isinstance(item, dict)]
        if not variables:
            return "—"
        return format_html_join(
            "",
            "<div><code>{{{{ {} }}}}</code> {}</div>",
            (
                (item.get("name", ""), _("sample: %(sample)s") % {"sample": item.get("sample")})
                for item in variables
            ),
        )

    @admin.display(description=gettext_lazy("version"))
    def version_number(self, template):
        version = template.current_version
        return version.number if version else "—"

    @admin.display(description=gettext_lazy("SMS as sent"))
    def fallback_summary(self, template):
        if template.pk is None or template.rcs_only or not template.sms_fallback:
            return "—"
        analysis = fallback_analysis(template)
        characters = ngettext(
            "%(count)d character", "%(count)d characters", analysis.characters
        ) % {"count": analysis.characters}
        segments = ngettext("%(count)d segment", "%(count)d segments", analysis.segments) % {
            "count": analysis.segments
        }
        return format_html(
            "{}<br>{}",
            _(
                "%(characters)s, %(segments)s (%(encoding)s), with the STOP mention and the "
                "sample values."
            )
            % {"characters": characters, "segments": segments, "encoding": analysis.encoding},
            sms.explain(analysis),
        )

    @admin.display(description=gettext_lazy("preview"))
    def preview(self, template):
        if template.pk is None:
            return _("Save the template to see its preview.")
        return render_to_string(
            "editor/_admin_preview.html", {"preview": preview_template(template)}
        )

    @admin.action(
        description=gettext_lazy("Publish the selected templates"), permissions=["change"]
    )
    def publish_selected(self, request, queryset):
        for template in queryset.select_related("brand"):
            try:
                version = publish_template(template, request.user)
            except NothingToPublish as exc:
                self.message_user(request, f"“{template.name}”: {exc.messages[0]}", messages.INFO)
            except PublishError as exc:
                self.message_user(
                    request,
                    format_html(
                        "{}<ul>{}</ul>",
                        _("“%(template)s” was not published:") % {"template": template.name},
                        format_html_join("", "<li>{}</li>", ((m,) for m in exc.messages)),
                    ),
                    messages.ERROR,
                )
            else:
                self.message_user(
                    request,
                    _("“%(template)s” is published as version %(number)d.")
                    % {"template": template.name, "number": version.number},
                    messages.SUCCESS,
                )


@admin.register(TemplateVersion)
class TemplateVersionAdmin(admin.ModelAdmin):
    Media = PhonePreviewMedia
    list_display = [
        "__str__",
        "template",
        "number",
        "traffic_type",
        "sms_segments",
        "published_at",
        "published_by",
    ]
    list_filter = ["traffic_type", "language"]
    search_fields = ["template__slug", "template__name"]
    list_select_related = ["template", "published_by"]
    fields = [
        "template",
        "number",
        "published_at",
        "published_by",
        "traffic_type",
        "language",
        "rcs_only",
        "rcs_deadline",
        "rcs_content",
        "sms_fallback",
        "sms_encoding",
        "sms_segments",
        "variables",
        "brand_snapshot",
        "preview",
    ]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("RCS deadline (minutes)"))
    def rcs_deadline(self, version):
        if not version.rcs_ttl_seconds:
            return "—"
        return f"{version.rcs_ttl_seconds / SECONDS_PER_MINUTE:g}"

    @admin.display(description=gettext_lazy("preview"))
    def preview(self, version):
        return render_to_string("editor/_admin_preview.html", {"preview": preview_version(version)})

    # A version is what was sent: nobody adds, changes or deletes one by hand.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

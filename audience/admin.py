from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from audience.models import (
    CapabilityAudit,
    ConsentEntry,
    Contact,
    ContactImport,
    ContactList,
    ErasedConsent,
)

TEST_BADGE = (
    '<span title="{}" style="background:#b45309;color:#fff;border-radius:4px;'
    'padding:1px 6px;font-size:11px;font-weight:bold;letter-spacing:.05em">{}</span>'
)


def test_badge(test_mode):
    """The TEST badge shown next to test data in admin lists, or nothing for live data."""
    if not test_mode:
        return ""
    return format_html(
        TEST_BADGE, gettext_lazy("Test data: never seen by live sends"), gettext_lazy("TEST")
    )


class DataModeFilter(admin.SimpleListFilter):
    """Live data unless "Test data" is chosen: test and live are never listed together."""

    title = gettext_lazy("type of data")
    parameter_name = "mode"
    # The boolean field saying an object is test data; subclasses name another path.
    field_path = "test_mode"

    def lookups(self, request, model_admin):
        return [("live", gettext_lazy("Live data")), ("test", gettext_lazy("Test data"))]

    def queryset(self, request, queryset):
        return queryset.filter(**{self.field_path: self.value() == "test"})

    def choices(self, changelist):
        current = self.value() if self.value() in ("live", "test") else "live"
        for value, label in self.lookup_choices:
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }


class ReadOnlyMixin:
    """What providers and the pipeline wrote is evidence: shown, never edited here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ConsentEntryInline(ReadOnlyMixin, admin.TabularInline):
    model = ConsentEntry
    fields = ["occurred_at", "kind", "channel", "source", "wording", "ip", "operator"]
    readonly_fields = fields
    extra = 0
    ordering = ["-occurred_at", "-pk"]
    verbose_name_plural = gettext_lazy("consent ledger (latest entry wins)")


class ContactDataModeFilter(DataModeFilter):
    field_path = "contact__test_mode"


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = [
        "phone",
        "data_badge",
        "first_name",
        "last_name",
        "sms_consent",
        "rcs_consent",
        "rcs_capable",
        "rcs_checked_at",
        "created",
    ]
    list_filter = [DataModeFilter, "sms_consent", "rcs_consent", "rcs_capable"]
    search_fields = ["phone", "first_name", "last_name", "email"]
    # The consent columns follow the ledger: a new entry changes them, never a form.
    readonly_fields = [
        "public_id",
        "sms_consent",
        "sms_consent_at",
        "rcs_consent",
        "rcs_consent_at",
        "consent_updated",
        "rcs_capable",
        "rcs_checked_at",
        "created",
        "updated",
    ]
    inlines = [ConsentEntryInline]

    @admin.display(description=gettext_lazy("data"))
    def data_badge(self, contact):
        return test_badge(contact.test_mode)

    def get_readonly_fields(self, request, obj=None):
        # A contact's ledger and capability belong to its mode: it never changes mode.
        if obj is not None:
            return [*self.readonly_fields, "test_mode"]
        return self.readonly_fields


@admin.register(ConsentEntry)
class ConsentEntryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["occurred_at", "contact", "data_badge", "kind", "channel", "source"]
    list_filter = [ContactDataModeFilter, "kind", "channel", "source"]
    search_fields = ["contact__phone", "wording"]
    list_select_related = ["contact"]
    date_hierarchy = "occurred_at"

    @admin.display(description=gettext_lazy("data"))
    def data_badge(self, entry):
        return test_badge(entry.contact.test_mode)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


@admin.register(ContactList)
class ContactListAdmin(admin.ModelAdmin):
    list_display = ["name", "data_badge", "created"]
    list_filter = [DataModeFilter]
    search_fields = ["name"]

    @admin.display(description=gettext_lazy("data"))
    def data_badge(self, contact_list):
        return test_badge(contact_list.test_mode)


@admin.register(ErasedConsent)
class ErasedConsentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["occurred_at", "phone_hash", "kind", "channel", "source", "erased_at"]
    list_filter = [DataModeFilter, "kind", "source"]
    search_fields = ["phone_hash"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


class JobRecordAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """An import or an audit is a record of work done: listed and read, started elsewhere."""

    list_filter = [DataModeFilter, "status"]
    date_hierarchy = "created"
    list_select_related = ["created_by"]

    @admin.display(description=gettext_lazy("data"))
    def data_badge(self, record):
        return test_badge(record.test_mode)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


@admin.register(ContactImport)
class ContactImportAdmin(JobRecordAdmin):
    list_display = [
        "original_name",
        "data_badge",
        "status",
        "rows",
        "created_count",
        "updated_count",
        "rejected_count",
        "created_by",
        "created",
    ]
    search_fields = ["original_name"]


@admin.register(CapabilityAudit)
class CapabilityAuditAdmin(JobRecordAdmin):
    list_display = [
        "pk",
        "data_badge",
        "status",
        "contact_list",
        "segment",
        "checked",
        "total",
        "rcs_yes",
        "rcs_no",
        "created_by",
        "created",
    ]
    list_select_related = ["created_by", "contact_list", "segment"]

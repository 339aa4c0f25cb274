from django.contrib import admin

from campaigns.models import Campaign, CampaignArm


class CampaignArmInline(admin.TabularInline):
    model = CampaignArm
    extra = 0
    readonly_fields = ("arm", "dispatch")
    can_delete = False


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "status", "experiment", "test_mode", "created", "launched_at")
    list_filter = ("status", "experiment", "test_mode")
    search_fields = ("name",)
    readonly_fields = (
        "public_id",
        "seed",
        "status",
        "stop_reason",
        "stop_figures",
        "stop_detail",
        "rollout_check_due_at",
    )
    inlines = [CampaignArmInline]

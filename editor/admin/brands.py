"""Brands in the admin, with logo and banner uploads."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy

from editor.admin.common import thumbnail
from editor.media import prepare_image, store_prepared
from editor.models import Brand, MediaAsset
from messaging.fields import fit


class BrandForm(forms.ModelForm):
    logo_upload = forms.FileField(
        label=gettext_lazy("Upload a new logo"),
        required=False,
        help_text=gettext_lazy("JPEG, PNG or GIF; cropped to a 224 × 224 square."),
    )
    banner_upload = forms.FileField(
        label=gettext_lazy("Upload a new banner"),
        required=False,
        help_text=gettext_lazy("JPEG, PNG or GIF; cropped to 1440 × 448."),
    )

    class Meta:
        model = Brand
        fields = [
            "name",
            "description",
            "colour",
            "verified",
            "rbm_agent_id",
            "logo",
            "banner",
            "sms_sender_id",
            "stop_mention",
            "requires_approval",
        ]

    def clean_logo_upload(self):
        upload = self.cleaned_data.get("logo_upload")
        self.prepared_logo = prepare_image(upload, MediaAsset.Kind.LOGO) if upload else None
        return upload

    def clean_banner_upload(self):
        upload = self.cleaned_data.get("banner_upload")
        self.prepared_banner = prepare_image(upload, MediaAsset.Kind.BANNER) if upload else None
        return upload


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    form = BrandForm
    list_display = [
        "name",
        "logo_thumbnail",
        "sms_sender_id",
        "stop_mention",
        "verified",
        "updated",
    ]
    search_fields = ["name", "sms_sender_id"]
    readonly_fields = ["logo_thumbnail", "created", "updated"]
    fieldsets = [
        (None, {"fields": ["name", "description", "colour", "verified", "rbm_agent_id"]}),
        (
            gettext_lazy("Images"),
            {"fields": ["logo_thumbnail", "logo", "logo_upload", "banner", "banner_upload"]},
        ),
        (
            gettext_lazy("SMS"),
            {"fields": ["sms_sender_id", "stop_mention", "sms_max_segments", "help_reply"]},
        ),
        (gettext_lazy("Review"), {"fields": ["requires_approval"]}),
        (None, {"fields": ["created", "updated"]}),
    ]

    @admin.display(description=gettext_lazy("logo"))
    def logo_thumbnail(self, brand):
        return thumbnail(brand.logo, 40)

    def save_model(self, request, obj, form, change):
        for field, prepared in (
            ("logo", form.prepared_logo),
            ("banner", form.prepared_banner),
        ):
            if prepared is not None:
                upload = form.cleaned_data[f"{field}_upload"]
                asset = MediaAsset(name=fit(MediaAsset, "name", f"{obj.name} – {upload.name}"))
                setattr(obj, field, store_prepared(asset, prepared))
        super().save_model(request, obj, form, change)

"""Uploaded images and saved test numbers in the admin."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy

from editor.admin.common import thumbnail
from editor.media import prepare_image, store_prepared
from editor.media_urls import page_url
from editor.models import MediaAsset, TestRecipient
from messaging.fields import fit


class MediaAssetAddForm(forms.ModelForm):
    upload = forms.FileField(
        label=gettext_lazy("Image"),
        help_text=gettext_lazy("JPEG, PNG or GIF, up to 10 MB."),
    )

    class Meta:
        model = MediaAsset
        fields = ["name", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        if upload is not None:
            try:
                self.prepared = prepare_image(upload, cleaned.get("kind") or MediaAsset.Kind.CARD)
            except ValidationError as exc:
                self.add_error("upload", exc)
            if not cleaned.get("name"):
                cleaned["name"] = fit(MediaAsset, "name", upload.name)
        return cleaned


@admin.register(MediaAsset)
class MediaAssetAdmin(admin.ModelAdmin):
    list_display = ["preview_thumbnail", "name", "kind", "dimensions", "created"]
    list_display_links = ["preview_thumbnail", "name"]
    list_filter = ["kind"]
    search_fields = ["name"]
    readonly_fields = [
        "preview_thumbnail",
        "name",
        "kind",
        "dimensions",
        "original_format",
        "original_bytes",
        "variant_links",
        "created",
    ]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = MediaAssetAddForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["upload", "name", "kind"]
        return self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def save_model(self, request, obj, form, change):
        store_prepared(obj, form.prepared)

    @admin.display(description=gettext_lazy("image"))
    def preview_thumbnail(self, asset):
        return thumbnail(asset)

    @admin.display(description=gettext_lazy("size"))
    def dimensions(self, asset):
        return f"{asset.width} × {asset.height}"

    @admin.display(description=gettext_lazy("sizes for cards"))
    def variant_links(self, asset):
        return format_html_join(
            "",
            '<div><a href="{}">{}</a> {} × {}</div>',
            (
                (page_url(variant["file"]), key, variant["width"], variant["height"])
                for key, variant in sorted(asset.variants.items())
            ),
        )

    # Published versions refer to these files (media:<path>): an asset is never changed or deleted.
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TestRecipient)
class TestRecipientAdmin(admin.ModelAdmin):
    list_display = ("label", "phone", "user")
    list_filter = ("user",)
    search_fields = ("label", "phone", "user__username")

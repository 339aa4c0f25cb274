"""Uploaded media: images cleaned and cut into the sizes RCS cards display."""

from django.db import models
from django.utils.translation import gettext_lazy


class MediaAsset(models.Model):
    """An uploaded image, cleaned and cut into the sizes RCS cards display (see editor.media)."""

    class Kind(models.TextChoices):
        CARD = "card", gettext_lazy("Card media")
        LOGO = "logo", gettext_lazy("Brand logo")
        BANNER = "banner", gettext_lazy("Brand banner")

    name = models.CharField(gettext_lazy("name"), max_length=200)
    kind = models.CharField(
        gettext_lazy("kind"), max_length=10, choices=Kind.choices, default=Kind.CARD
    )
    # The cleaned full-size image (orientation applied, metadata stripped).
    file = models.FileField(gettext_lazy("image"), max_length=255)
    thumbnail = models.FileField(gettext_lazy("thumbnail"), max_length=255)
    width = models.PositiveIntegerField(gettext_lazy("width"))
    height = models.PositiveIntegerField(gettext_lazy("height"))
    original_format = models.CharField(gettext_lazy("uploaded format"), max_length=10)
    original_bytes = models.PositiveIntegerField(gettext_lazy("uploaded size in bytes"))
    # {"STANDALONE:MEDIUM": {"file": path, "thumbnail": path, "width": 1440, "height": 720}, ...}
    variants = models.JSONField(gettext_lazy("variants"), default=dict)
    # Serves the library's "reuse the image already imported" lookup.
    checksum = models.CharField(gettext_lazy("SHA-256 of the upload"), max_length=64, db_index=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("media asset")
        verbose_name_plural = gettext_lazy("media assets")
        ordering = ["-created"]

    def __str__(self):
        return self.name

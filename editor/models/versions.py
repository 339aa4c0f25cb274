"""Published versions (frozen, never changed) and the numbers tests are sent to."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from editor.models.templates import MessageTemplate
from messaging.providers.normalized import TrafficType as MessageTrafficType
from messaging.variables import Variable, declare


class ImmutableVersionError(Exception):
    """A published version was about to be changed; publish a new version instead."""


class TemplateVersion(models.Model):
    """A published, frozen copy of a template: what campaigns and API messages send."""

    template = models.ForeignKey(
        MessageTemplate,
        verbose_name=gettext_lazy("template"),
        on_delete=models.PROTECT,
        related_name="versions",
    )
    number = models.PositiveIntegerField(gettext_lazy("version"))
    rcs_content = models.JSONField(gettext_lazy("RCS content"))
    # As sent: the brand's STOP mention is already appended for promotions.
    sms_fallback = models.TextField(gettext_lazy("SMS fallback"), blank=True)
    rcs_only = models.BooleanField(gettext_lazy("RCS only"), default=False)
    variables = models.JSONField(gettext_lazy("variables"), default=list)
    brand_snapshot = models.JSONField(gettext_lazy("brand"))
    traffic_type = models.CharField(
        gettext_lazy("traffic type"), max_length=20, choices=MessageTrafficType.choices
    )
    rcs_ttl_seconds = models.PositiveIntegerField(
        gettext_lazy("RCS deadline (seconds)"), null=True, blank=True
    )
    language = models.CharField(
        gettext_lazy("language"), max_length=2, choices=MessageTemplate.Language.choices
    )
    # Measured on the fallback rendered with the sample values.
    sms_encoding = models.CharField(gettext_lazy("SMS encoding"), max_length=10, blank=True)
    sms_segments = models.PositiveSmallIntegerField(gettext_lazy("SMS segments"), default=0)
    source_fingerprint = models.CharField(max_length=64, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="published_template_versions",
    )
    published_at = models.DateTimeField(gettext_lazy("published at"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("template version")
        verbose_name_plural = gettext_lazy("template versions")
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "number"], name="editor_version_number_unique"
            )
        ]

    def __str__(self):
        return f"{self.template.slug} v{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableVersionError(
                _("A published version cannot be changed; publish the template again.")
            )
        super().save(*args, **kwargs)

    def declared_variables(self) -> list[Variable]:
        """The variables declared when this version was published."""
        return declare(self.variables or [])


class TestRecipient(models.Model):
    """A phone number a user sends test messages to from the editor, saved for next time."""

    __test__ = False  # the name starts with "Test": tell pytest it is not a test class

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("user"),
        on_delete=models.CASCADE,
        related_name="test_recipients",
    )
    phone = models.CharField(
        gettext_lazy("phone number"),
        max_length=16,
        validators=[
            RegexValidator(
                r"^\+[1-9][0-9]{6,14}$",
                gettext_lazy("Give the number in international format, e.g. +33612345678."),
            )
        ],
    )
    label = models.CharField(gettext_lazy("label"), max_length=60, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("test recipient")
        verbose_name_plural = gettext_lazy("test recipients")
        ordering = ["label", "phone"]
        constraints = [
            models.UniqueConstraint(fields=["user", "phone"], name="editor_test_recipient_unique")
        ]

    def __str__(self):
        return f"{self.label} ({self.phone})" if self.label else self.phone

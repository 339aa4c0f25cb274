"""Message templates: the drafts being composed, with their content fingerprint."""

import hashlib
import json
import re

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from editor.media_urls import references_in, stored_in
from editor.models.brand import Brand
from editor.models.media import MediaAsset
from editor.validators import validate_template_id
from messaging.providers.normalized import RCS_TTL_MAX_SECONDS, RCS_TTL_MIN_SECONDS
from messaging.providers.normalized import TrafficType as MessageTrafficType
from messaging.variables import Variable, declare


class MessageTemplate(models.Model):
    """A message being composed: RCS content, SMS fallback and variables, for one brand."""

    TrafficType = MessageTrafficType

    class Category(models.TextChoices):
        PROMOTION = "promotion", gettext_lazy("Promotion / flash sale")
        ORDER = "order", gettext_lazy("Order")
        DELIVERY = "delivery", gettext_lazy("Delivery")
        BACK_IN_STOCK = "back_in_stock", gettext_lazy("Back in stock")
        PRODUCT_LAUNCH = "product_launch", gettext_lazy("Product launch")
        CART = "cart", gettext_lazy("Abandoned cart")
        REENGAGEMENT = "reengagement", gettext_lazy("Re-engagement")
        APPOINTMENT = "appointment", gettext_lazy("Appointment")
        OTHER = "other", gettext_lazy("Other")

    class Status(models.TextChoices):
        DRAFT = "draft", gettext_lazy("Draft")
        PUBLISHED = "published", gettext_lazy("Published")
        ARCHIVED = "archived", gettext_lazy("Archived")

    class Language(models.TextChoices):
        FR = "fr", gettext_lazy("French")
        EN = "en", gettext_lazy("English")

    # What publishing freezes: fingerprint() hashes these fields, publish_template() copies
    # them into the version, duplicate() and the library copy them, the editor's state form
    # and the admin edit them. A new field that changes what gets sent is added here.
    CONTENT_FIELDS = (
        "brand",
        "traffic_type",
        "language",
        "rcs_only",
        "rcs_ttl_seconds",
        "sms_fallback",
        "rcs_content",
        "variables",
    )

    brand = models.ForeignKey(
        Brand,
        verbose_name=gettext_lazy("brand"),
        on_delete=models.PROTECT,
        related_name="templates",
    )
    name = models.CharField(gettext_lazy("name"), max_length=120)
    slug = models.CharField(
        gettext_lazy("template id"),
        max_length=64,
        unique=True,
        validators=[validate_template_id],
        help_text=gettext_lazy("The template_id the API uses, e.g. promo_soldes_v1."),
    )
    category = models.CharField(
        gettext_lazy("use case"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    # Promotion by default: the stricter rules (consent, quiet hours, STOP) apply until told.
    traffic_type = models.CharField(
        gettext_lazy("traffic type"),
        max_length=20,
        choices=TrafficType.choices,
        default=TrafficType.PROMOTION,
    )
    rcs_content = models.JSONField(gettext_lazy("RCS content"), default=dict, blank=True)
    sms_fallback = models.TextField(gettext_lazy("SMS fallback"), blank=True)
    rcs_only = models.BooleanField(
        gettext_lazy("RCS only"),
        default=False,
        help_text=gettext_lazy("Never fall back to SMS: phones without RCS get nothing."),
    )
    # [{"name": "prenom", "default": None, "sample": "Marie"}, ...]; required = no default.
    variables = models.JSONField(gettext_lazy("variables"), default=list, blank=True)
    rcs_ttl_seconds = models.PositiveIntegerField(
        gettext_lazy("RCS deadline (seconds)"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(RCS_TTL_MIN_SECONDS),
            MaxValueValidator(RCS_TTL_MAX_SECONDS),
        ],
        help_text=gettext_lazy(
            "Send the SMS fallback when the RCS message is not delivered within this time."
        ),
    )
    status = models.CharField(
        gettext_lazy("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    language = models.CharField(
        gettext_lazy("language"), max_length=2, choices=Language.choices, default=Language.FR
    )
    # Moves forward with every save of the draft: an editor page sends the revision it
    # loaded, and a save based on an older one is refused instead of overwriting a newer edit.
    revision = models.PositiveIntegerField(gettext_lazy("revision"), default=0, editable=False)
    # Signed into every share link of the preview (editor.sharing): moving it on revokes them.
    share_generation = models.PositiveIntegerField(default=0, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = gettext_lazy("message template")
        verbose_name_plural = gettext_lazy("message templates")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.slug})"

    def save(self, *args, **kwargs):
        # A pasted link to one of our own images is kept as a reference, like a picked one:
        # it must not break when Relais moves to another address.
        self.rcs_content = references_in(self.rcs_content, stored_in(MediaAsset))
        # An edit after publishing makes a draft again: the published versions stay as they
        # were, and the template shows it needs publishing.
        if self.status == self.Status.PUBLISHED and self.pk and self.has_unpublished_changes:
            self.status = self.Status.DRAFT
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "status"}
        # A whole-row save (admin, publishing) is a new revision too; an expression, so a
        # copy loaded earlier never writes an older number back.
        bump = (
            self.pk is not None and not self._state.adding and kwargs.get("update_fields") is None
        )
        if bump:
            self.revision = models.F("revision") + 1
        super().save(*args, **kwargs)
        if bump:
            self.refresh_from_db(fields=["revision"])

    def claim_revision(self, based_on):
        """Move to the next revision if based_on is the current one (None: any); else False."""
        rows = MessageTemplate.objects.filter(pk=self.pk)
        if based_on is not None:
            rows = rows.filter(revision=based_on)
        if not rows.update(revision=models.F("revision") + 1):
            return False
        self.refresh_from_db(fields=["revision"])
        return True

    @property
    def current_version(self):
        """The latest published TemplateVersion, or None."""
        if self.pk is None:
            return None
        return self.versions.order_by("-number").first()

    @property
    def is_promotion(self):
        return self.traffic_type == self.TrafficType.PROMOTION

    @property
    def has_unpublished_changes(self):
        """True when what would be sent differs from the latest published version."""
        version = self.current_version
        return version is None or version.source_fingerprint != self.fingerprint()

    def content_values(self):
        """The CONTENT_FIELDS by attribute name ("brand_id" for the brand) with their values."""
        attnames = (self._meta.get_field(name).attname for name in self.CONTENT_FIELDS)
        return {attname: getattr(self, attname) for attname in attnames}

    def fingerprint(self):
        """A hash of everything publishing freezes, to tell whether the template changed."""
        return content_fingerprint(**self.content_values())

    def declared_variables(self) -> list[Variable]:
        """The declared variables; raises messaging.variables.VariableError when malformed."""
        return declare(self.variables or [])

    def duplicate(self, *, name=None, slug=None):
        """Save and return a draft copy of the template, named "… (copy)" with a free id unless
        name and slug are given."""
        name = name or _("%(name)s (copy)") % {"name": self.name}
        return MessageTemplate.objects.create(
            name=name[: self._meta.get_field("name").max_length],
            slug=slug or unique_slug(f"{self.slug}_copy"),
            category=self.category,
            **self.content_values(),
        )

    def archive(self):
        """Archive the template (hidden from the list and new campaigns); False if it was."""
        if self.status == self.Status.ARCHIVED:
            return False
        self.status = self.Status.ARCHIVED
        self.save(update_fields=["status", "updated"])
        return True

    def restore(self):
        """Bring an archived template back as it was (published or draft); False if it was not."""
        if self.status != self.Status.ARCHIVED:
            return False
        published = self.versions.exists() and not self.has_unpublished_changes
        self.status = self.Status.PUBLISHED if published else self.Status.DRAFT
        self.save(update_fields=["status", "updated"])
        return True


def unique_slug(name, *, exclude_pk=None):
    """Return an unused template id made from name ("Soldes d'été" → "soldes_d_ete")."""
    # Punctuation separates words: "d'été" gives "d_ete", not "dete".
    words = slugify(re.sub(r"[\W_]+", " ", name))
    slug_max = MessageTemplate._meta.get_field("slug").max_length
    base = re.sub(r"[^a-z0-9]+", "_", words).strip("_")[: slug_max - 4] or "template"
    taken = set(
        MessageTemplate.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}_{number}"
        number += 1
    return slug


def content_fingerprint(**fields):
    """SHA-256 of the fields as canonical JSON."""
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

"""Brands: the sender identities templates are sent under."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy

from editor.media_urls import variant_ref
from editor.models.media import MediaAsset
from editor.validators import (
    SENDER_ID_MAX,
    validate_colour,
    validate_sender_id,
    validate_stop_mention,
)


class Brand(models.Model):
    """A sender identity: how the brand appears in RCS (agent) and in SMS (sender ID)."""

    name = models.CharField(gettext_lazy("display name"), max_length=100)
    logo = models.ForeignKey(
        MediaAsset,
        verbose_name=gettext_lazy("logo"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="brand_logos",
        limit_choices_to={"kind": MediaAsset.Kind.LOGO},
        help_text=gettext_lazy("Shown round, 224 × 224 pixels."),
    )
    banner = models.ForeignKey(
        MediaAsset,
        verbose_name=gettext_lazy("banner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="brand_banners",
        limit_choices_to={"kind": MediaAsset.Kind.BANNER},
        help_text=gettext_lazy("1440 × 448 pixels, shown on the brand's RCS profile."),
    )
    colour = models.CharField(
        gettext_lazy("colour"), max_length=7, default="#1A73E8", validators=[validate_colour]
    )
    # RBM agent descriptions are limited to 100 characters.
    description = models.CharField(gettext_lazy("description"), max_length=100, blank=True)
    verified = models.BooleanField(
        gettext_lazy("verified"),
        default=False,
        help_text=gettext_lazy("The RCS agent is verified: phones show a check mark."),
    )
    rbm_agent_id = models.CharField(gettext_lazy("RBM agent id"), max_length=200, blank=True)
    sms_sender_id = models.CharField(
        gettext_lazy("SMS sender ID"),
        max_length=SENDER_ID_MAX,
        blank=True,
        validators=[validate_sender_id],
        help_text=gettext_lazy("2 to 11 letters or digits, no spaces, e.g. MAISONREL."),
    )
    stop_mention = models.CharField(
        gettext_lazy("STOP mention"),
        max_length=40,
        blank=True,
        validators=[validate_stop_mention],
        help_text=gettext_lazy(
            "Added at the end of promotional SMS, e.g. “STOP au 36111” (required in France)."
        ),
    )
    # A runaway variable must not turn one message into dozens of billed segments.
    sms_max_segments = models.PositiveSmallIntegerField(
        gettext_lazy("SMS segment limit"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=gettext_lazy(
            "An SMS longer than this many segments is refused (each segment is billed)."
        ),
    )
    help_reply = models.CharField(
        gettext_lazy("HELP reply"),
        max_length=300,
        blank=True,
        help_text=gettext_lazy(
            "Sent back when someone replies AIDE or HELP, e.g. who you are and how to reach you."
        ),
    )
    requires_approval = models.BooleanField(
        gettext_lazy("requires approval"),
        default=False,
        help_text=gettext_lazy(
            "Templates of this brand go live only once an approver has approved them."
        ),
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = gettext_lazy("brand")
        verbose_name_plural = gettext_lazy("brands")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def snapshot(self):
        """What a published version keeps of the brand, so reports show what was sent.

        The logo is kept as a media reference: pages and sends build its URL when they need it.
        """
        logo_url = variant_ref(self.logo, "LOGO") if self.logo_id else ""
        return {
            "id": self.pk,
            "name": self.name,
            "logo_url": logo_url,
            "colour": self.colour,
            "verified": self.verified,
            "rbm_agent_id": self.rbm_agent_id,
            "sms_sender_id": self.sms_sender_id,
            "stop_mention": self.stop_mention,
        }

"""The consent ledger that proves what contacts agreed to, and what stays of it after erasure."""

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from audience import signals
from audience.models.contacts import Contact
from messaging.providers.normalized import Channel


class ConsentEntryQuerySet(models.QuerySet):
    def in_mode(self, test_mode):
        """Entries of one mode (the mode of their contact)."""
        return self.filter(contact__test_mode=bool(test_mode))

    def live(self):
        return self.in_mode(False)

    def test(self):
        return self.in_mode(True)

    def covering(self, channel):
        """Entries that apply to channel: scoped to it or to every channel."""
        return self.filter(channel__in=[ConsentEntry.Scope.ALL, str(channel)])

    def latest_covering(self, channel):
        """The entry that decides channel: the latest by occurred_at (then by id), or None."""
        return self.covering(channel).order_by("-occurred_at", "-pk").first()


class ConsentEntry(models.Model):
    """One opt-in or opt-out, kept for good: current consent is the latest entry that applies.

    An entry is test or live data as its contact is: a test STOP never reaches a live ledger.
    """

    class Kind(models.TextChoices):
        OPT_IN = "opt_in", gettext_lazy("Opt-in")
        OPT_OUT = "opt_out", gettext_lazy("Opt-out")

    class Scope(models.TextChoices):
        ALL = "all", gettext_lazy("All channels")
        SMS = "sms", gettext_lazy("SMS")
        RCS = "rcs", gettext_lazy("RCS")

    class Source(models.TextChoices):
        API = "api", gettext_lazy("API")
        IMPORT = "import", gettext_lazy("Import")
        WEB_FORM = "web_form", gettext_lazy("Web form")
        INBOUND_STOP = "inbound_stop", gettext_lazy("STOP reply")
        RCS_BUTTON = "rcs_button", gettext_lazy("Unsubscribe button")
        ADMIN = "admin", gettext_lazy("Admin")
        # A signed-in user on the contacts screens (the entry's operator names them).
        OPERATOR = "operator", gettext_lazy("Operator")
        OTHER = "other", gettext_lazy("Other")
        # The shop connectors: the consent the shop collected at checkout (integrations.shops).
        SHOPIFY = "shopify", "Shopify"
        WOOCOMMERCE = "woocommerce", "WooCommerce"
        # The closing opt-out written when a contact's data is erased (ErasedConsent only).
        ERASURE = "erasure", gettext_lazy("Erasure")

    contact = models.ForeignKey(
        Contact,
        verbose_name=gettext_lazy("contact"),
        on_delete=models.CASCADE,
        related_name="consent_entries",
    )
    kind = models.CharField(gettext_lazy("kind"), max_length=10, choices=Kind.choices)
    channel = models.CharField(
        gettext_lazy("channels"), max_length=3, choices=Scope.choices, default=Scope.ALL
    )
    source = models.CharField(gettext_lazy("source"), max_length=20, choices=Source.choices)
    # The proof: the sentence shown when consent was collected, or the inbound message text.
    wording = models.TextField(gettext_lazy("wording"), blank=True)
    occurred_at = models.DateTimeField(gettext_lazy("occurred at"), default=timezone.now)
    # More proof: the address the consent came from (a web form's visitor), and who recorded
    # it (the signed-in user, or the name of the API key).
    ip = models.GenericIPAddressField(gettext_lazy("IP address"), null=True, blank=True)
    operator = models.CharField(gettext_lazy("recorded by"), max_length=150, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = ConsentEntryQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("consent entry")
        verbose_name_plural = gettext_lazy("consent entries")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            # Serves "the latest entry of this contact" (current_consent, with_consent).
            models.Index(fields=["contact", "-occurred_at"], name="audience_consent_latest"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.contact.phone} ({self.get_channel_display()})"

    def save(self, *args, **kwargs):
        # A ledger: entries are added, never rewritten.
        if not self._state.adding:
            raise ValueError("Consent entries are never changed; add a new entry instead.")
        # The contact's current-consent columns change with the ledger or not at all.
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.contact.apply_consent(self)
            if signals.listening():
                signals.announce([signals.change_of(self)], sender=ConsentEntry)

    def channels(self):
        """The channels this entry covers."""
        if self.channel == self.Scope.ALL:
            return list(Channel)
        return [Channel(self.channel)]


class ErasedConsent(models.Model):
    """What the ledger keeps of an erased contact: proof that consent existed and was
    withdrawn, under a keyed hash of the number instead of the number.

    One row per ledger entry the contact had, and a last opt-out of source ERASURE. Nothing in
    it names the person: no phone, no IP address, no inbound text (a STOP reply's wording).
    """

    phone_hash = models.CharField(gettext_lazy("phone hash"), max_length=64)
    test_mode = models.BooleanField(gettext_lazy("test data"), default=False)
    kind = models.CharField(gettext_lazy("kind"), max_length=10, choices=ConsentEntry.Kind.choices)
    channel = models.CharField(
        gettext_lazy("channels"), max_length=3, choices=ConsentEntry.Scope.choices
    )
    source = models.CharField(
        gettext_lazy("source"), max_length=20, choices=ConsentEntry.Source.choices
    )
    wording = models.TextField(gettext_lazy("wording"), blank=True)
    occurred_at = models.DateTimeField(gettext_lazy("occurred at"))
    operator = models.CharField(gettext_lazy("recorded by"), max_length=150, blank=True)
    erased_at = models.DateTimeField(gettext_lazy("erased at"))

    class Meta:
        verbose_name = gettext_lazy("erased contact's consent")
        verbose_name_plural = gettext_lazy("erased contacts' consent")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            # Serves the question "did this number consent?" (erased_consent_proof).
            models.Index(fields=["phone_hash", "test_mode"], name="audience_erased_hash"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.phone_hash[:12]}… ({self.get_channel_display()})"

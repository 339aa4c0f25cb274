"""Contacts, the people we may message, and the consent ledger that proves what they agreed to."""

from datetime import timedelta

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy

from messaging.providers.base import Channel

# RBM only answers capability questions about numbers seen on RCS in the last 31 days, so an
# older answer is no better than none.
CAPABILITY_MAX_AGE = timedelta(days=31)

validate_e164 = RegexValidator(
    r"^\+[1-9][0-9]{6,14}$",
    gettext_lazy("Give the number in international format, e.g. +33612345678."),
)


class ContactQuerySet(models.QuerySet):
    def in_mode(self, test_mode):
        """Contacts of one mode: test data (test_mode=True) or live data."""
        return self.filter(test_mode=bool(test_mode))

    def live(self):
        return self.in_mode(False)

    def test(self):
        return self.in_mode(True)

    def rcs_capable(self, now=None):
        """Contacts known to receive RCS: answered capable in the last 31 days."""
        since = (now or timezone.now()) - CAPABILITY_MAX_AGE
        return self.filter(rcs_capable=True, rcs_checked_at__gte=since)

    def with_consent(self, channel=Channel.SMS):
        """Annotate `consent` with the kind of the latest ledger entry covering channel, or None."""
        latest = (
            ConsentEntry.objects.filter(contact=OuterRef("pk"))
            .covering(channel)
            .order_by("-occurred_at", "-pk")
            .values("kind")[:1]
        )
        return self.annotate(consent=Subquery(latest))

    def promotable(self, channel=Channel.SMS):
        """Contacts whose current consent on channel is an opt-in."""
        return self.with_consent(channel).filter(consent=ConsentEntry.Kind.OPT_IN)


class Contact(models.Model):
    """A person we may message, known by phone number; consent lives in the ledger.

    Test and live never mix: a test contact (test keys, the editor's tests, the simulator) and
    a live contact may share a phone number, each with its own consent and RCS capability.
    """

    phone = models.CharField(
        gettext_lazy("phone number"), max_length=16, validators=[validate_e164]
    )
    test_mode = models.BooleanField(
        gettext_lazy("test data"),
        default=False,
        help_text=gettext_lazy(
            "Test contacts belong to test keys and the editor's tests; live sends never see them."
        ),
    )
    first_name = models.CharField(gettext_lazy("first name"), max_length=100, blank=True)
    last_name = models.CharField(gettext_lazy("last name"), max_length=100, blank=True)
    attributes = models.JSONField(gettext_lazy("attributes"), default=dict, blank=True)
    rcs_capable = models.BooleanField(gettext_lazy("RCS capable"), null=True, blank=True)
    rcs_checked_at = models.DateTimeField(gettext_lazy("RCS checked at"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("contact")
        verbose_name_plural = gettext_lazy("contacts")
        ordering = ["-created"]
        constraints = [
            # One contact per number in each mode; the constraint's index serves the lookup
            # by phone of get_or_create_contact and the capability check.
            models.UniqueConstraint(
                fields=["phone", "test_mode"], name="audience_contact_phone_mode"
            ),
        ]

    def __str__(self):
        name = " ".join(part for part in (self.first_name, self.last_name) if part)
        return f"{name} ({self.phone})" if name else self.phone

    @property
    def known_rcs_capable(self):
        """The cached capability when checked in the last 31 days, else None (unknown)."""
        if self.rcs_checked_at is None or self.rcs_checked_at < timezone.now() - CAPABILITY_MAX_AGE:
            return None
        return self.rcs_capable

    def remember_capability(self, capable, at=None):
        """Store what we learnt about RCS for this number (not saved)."""
        self.rcs_capable = capable
        self.rcs_checked_at = at or timezone.now()

    def current_consent(self, channel=Channel.SMS):
        """The latest ledger entry covering channel (latest wins), or None."""
        return self.consent_entries.covering(channel).order_by("-occurred_at", "-pk").first()

    def allows_promotions(self, channel=Channel.SMS):
        """True when the latest entry covering channel is an opt-in."""
        entry = self.current_consent(channel)
        return entry is not None and entry.kind == ConsentEntry.Kind.OPT_IN

    def is_opted_out(self, channel=Channel.SMS):
        entry = self.current_consent(channel)
        return entry is not None and entry.kind == ConsentEntry.Kind.OPT_OUT


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
        OTHER = "other", gettext_lazy("Other")

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
        super().save(*args, **kwargs)

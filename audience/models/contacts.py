"""Contacts, the people we may message, with their current consent, and their lists."""

import uuid
from datetime import timedelta

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import NullIf
from django.utils import timezone
from django.utils.translation import gettext_lazy

from messaging.providers.normalized import Channel

# RBM only answers capability questions about numbers seen on RCS in the last 31 days, so an
# older answer is no better than none.
CAPABILITY_MAX_AGE = timedelta(days=31)

validate_e164 = RegexValidator(
    r"^\+[1-9][0-9]{6,14}$",
    gettext_lazy("Give the number in international format, e.g. +33612345678."),
)


class Consent(models.TextChoices):
    """A contact's current consent on one channel, as its latest ledger entry says."""

    OPT_IN = "opt_in", gettext_lazy("Opt-in")
    OPT_OUT = "opt_out", gettext_lazy("Opt-out")
    NONE = "none", gettext_lazy("Not asked")


# Per channel: the column holding the current consent, and the occurred_at of the ledger entry
# it comes from (an entry older than that changes nothing: the latest entry wins).
CONSENT_COLUMNS = {
    Channel.SMS: ("sms_consent", "sms_consent_at"),
    Channel.RCS: ("rcs_consent", "rcs_consent_at"),
}


class ContactList(models.Model):
    """A static list of contacts (filled by imports, bulk actions and the API), test or live."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(gettext_lazy("name"), max_length=100)
    test_mode = models.BooleanField(gettext_lazy("test data"), default=False)
    created = models.DateTimeField(gettext_lazy("created"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("list")
        verbose_name_plural = gettext_lazy("lists")
        ordering = ["name"]
        constraints = [
            # One list by a name in each mode: an import's --list NAME finds it again.
            models.UniqueConstraint(fields=["name", "test_mode"], name="audience_list_name_mode"),
        ]

    def __str__(self):
        return self.name


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
        # The current-consent column holds exactly that (kept by ConsentEntry.save).
        column = CONSENT_COLUMNS[Channel(channel)][0]
        return self.annotate(consent=NullIf(F(column), Value(Consent.NONE)))

    def promotable(self, channel=Channel.SMS):
        """Contacts whose current consent on channel is an opt-in."""
        return self.filter(**{CONSENT_COLUMNS[Channel(channel)][0]: Consent.OPT_IN})


class Contact(models.Model):
    """A person we may message, known by phone number; consent lives in the ledger.

    Test and live never mix: a test contact (test keys, the editor's tests, the simulator) and
    a live contact may share a phone number, each with its own consent and RCS capability.
    """

    # What the API shows: the primary key is never exposed (it would count the contacts).
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
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
    email = models.EmailField(gettext_lazy("email"), blank=True)
    # A language tag (fr, en, fr-CA): which language to write to this person in.
    language = models.CharField(gettext_lazy("language"), max_length=15, blank=True)
    attributes = models.JSONField(gettext_lazy("attributes"), default=dict, blank=True)
    lists = models.ManyToManyField(
        ContactList,
        through="ListMembership",
        verbose_name=gettext_lazy("lists"),
        related_name="contacts",
        blank=True,
    )
    # Current consent per channel, written with each ledger entry (ConsentEntry.save), so a
    # segment over a million contacts filters on a column instead of reading the ledger.
    sms_consent = models.CharField(
        gettext_lazy("SMS consent"), max_length=7, choices=Consent, default=Consent.NONE
    )
    sms_consent_at = models.DateTimeField(
        gettext_lazy("SMS consent given at"), null=True, blank=True
    )
    rcs_consent = models.CharField(
        gettext_lazy("RCS consent"), max_length=7, choices=Consent, default=Consent.NONE
    )
    rcs_consent_at = models.DateTimeField(
        gettext_lazy("RCS consent given at"), null=True, blank=True
    )
    # When a ledger entry was last recorded for this contact (what a sync asks: "changed since").
    consent_updated = models.DateTimeField(gettext_lazy("consent updated"), null=True, blank=True)
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
        indexes = [
            # Serves promotable() counts and filters of one mode (the contacts screen, segments).
            models.Index(fields=["test_mode", "sms_consent"], name="audience_contact_sms_consent"),
            # Serves the API's pages of contacts (oldest first, after a cursor) and the
            # contacts screen's newest first.
            models.Index(
                fields=["test_mode", "created", "public_id"], name="audience_contact_created"
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

    def consent(self, channel=Channel.SMS):
        """The current consent on channel (a Consent), from the column the ledger keeps."""
        return getattr(self, CONSENT_COLUMNS[Channel(channel)][0])

    def allows_promotions(self, channel=Channel.SMS):
        """True when the latest entry covering channel is an opt-in."""
        return self.consent(channel) == Consent.OPT_IN

    def is_opted_out(self, channel=Channel.SMS):
        return self.consent(channel) == Consent.OPT_OUT

    def apply_consent(self, entry):
        """Write a new ledger entry into the current-consent columns of the channels it covers,
        unless a later entry already decided them (then refresh this instance)."""
        changes = {"consent_updated": timezone.now()}
        for channel in entry.channels():
            value_column, at_column = CONSENT_COLUMNS[channel]
            # Conditions in the UPDATE itself, so two entries written together cannot leave
            # the older one in place. At equal times the newer row wins, as in the ledger.
            newer = Q(**{f"{at_column}__isnull": True}) | Q(
                **{f"{at_column}__lte": entry.occurred_at}
            )
            changes[value_column] = Case(
                When(newer, then=Value(entry.kind)),
                default=F(value_column),
                output_field=models.CharField(),
            )
            changes[at_column] = Case(
                When(newer, then=Value(entry.occurred_at)),
                default=F(at_column),
                output_field=models.DateTimeField(),
            )
        Contact.objects.filter(pk=self.pk).update(**changes)
        self.refresh_from_db(fields=[*changes])


class ListMembership(models.Model):
    """A contact's place on a list: when it was added and by what."""

    class Source(models.TextChoices):
        API = "api", gettext_lazy("API")
        IMPORT = "import", gettext_lazy("Import")
        BULK_ACTION = "bulk_action", gettext_lazy("Bulk action")
        ADMIN = "admin", gettext_lazy("Admin")

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="memberships")
    contact_list = models.ForeignKey(
        ContactList, on_delete=models.CASCADE, related_name="memberships"
    )
    added = models.DateTimeField(gettext_lazy("added"), default=timezone.now)
    source = models.CharField(gettext_lazy("source"), max_length=20, choices=Source.choices)

    class Meta:
        verbose_name = gettext_lazy("list membership")
        verbose_name_plural = gettext_lazy("list memberships")
        constraints = [
            # Its index also serves "the contacts of a list" (list counts, segments).
            models.UniqueConstraint(
                fields=["contact_list", "contact"], name="audience_membership_once"
            ),
        ]

    def __str__(self):
        return f"{self.contact_id} ∈ {self.contact_list_id}"

"""Contacts, the people we may message, and the consent ledger that proves what they agreed to."""

import os
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import NullIf
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

    def channels(self):
        """The channels this entry covers."""
        if self.channel == self.Scope.ALL:
            return list(Channel)
        return [Channel(self.channel)]


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


def empty_rules():
    """The rules of a new segment: every contact of its mode."""
    return {"match": "all", "conditions": []}


class SegmentQuerySet(models.QuerySet):
    def in_mode(self, test_mode):
        """Segments of one mode: over test contacts (test_mode=True) or live ones."""
        return self.filter(test_mode=bool(test_mode))


class Segment(models.Model):
    """A saved set of rules over the contacts of one mode; dynamic: contacts() asks the
    database each time, so a send reaches whoever matches then (audience.segments)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(gettext_lazy("name"), max_length=100)
    description = models.TextField(gettext_lazy("description"), blank=True)
    # {"match": "all"|"any", "conditions": [...]}: see audience.segments for the kinds.
    rules = models.JSONField(gettext_lazy("rules"), default=empty_rules)
    test_mode = models.BooleanField(gettext_lazy("test data"), default=False)
    created = models.DateTimeField(gettext_lazy("created"), auto_now_add=True)
    updated = models.DateTimeField(gettext_lazy("updated"), auto_now=True)

    objects = SegmentQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("segment")
        verbose_name_plural = gettext_lazy("segments")
        ordering = ["name"]
        constraints = [
            # One segment by a name in each mode, as for lists: a name says which one.
            models.UniqueConstraint(
                fields=["name", "test_mode"], name="audience_segment_name_mode"
            ),
        ]

    def __str__(self):
        return self.name

    def contacts(self):
        """The contacts of the segment's mode its rules match now, as one query (a lazy
        QuerySet: counting it or iterating it asks the database then)."""
        from audience.segments import compile_rules

        return Contact.objects.in_mode(self.test_mode).filter(
            compile_rules(self.rules, self.test_mode, segment=self)
        )


# A chunk takes seconds even paced; an audit silent for this long has lost its worker.
AUDIT_STALLED_AFTER = timedelta(minutes=10)


class CapabilityAudit(models.Model):
    """One check of a list's (or a segment's) RCS reach through the provider's bulk check.

    The counters and the cursor move together, one chunk at a time, with the contacts' cached
    capability: a job re-run after a crash goes on from the cursor and counts nobody twice.
    """

    ERRORS = {
        "provider": gettext_lazy("The RCS provider could not answer; try again later."),
        "simulated_live": gettext_lazy("The simulator cannot check live contacts."),
        "rules": gettext_lazy("The segment's rules name a list or segment that is gone."),
        "unexpected": gettext_lazy("The audit stopped on an unexpected error."),
    }

    class Status(models.TextChoices):
        PENDING = "pending", gettext_lazy("Waiting to start")
        RUNNING = "running", gettext_lazy("Checking")
        DONE = "done", gettext_lazy("Done")
        FAILED = "failed", gettext_lazy("Stopped")

    contact_list = models.ForeignKey(
        ContactList,
        verbose_name=gettext_lazy("list"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="audits",
    )
    segment = models.ForeignKey(
        Segment,
        verbose_name=gettext_lazy("segment"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="audits",
    )
    test_mode = models.BooleanField(gettext_lazy("test data"), default=False)
    status = models.CharField(
        gettext_lazy("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # The provider that answered (the simulator for test data).
    provider = models.CharField(gettext_lazy("provider"), max_length=100, blank=True)
    total = models.PositiveIntegerField(gettext_lazy("contacts to check"), default=0)
    checked = models.PositiveIntegerField(gettext_lazy("checked"), default=0)
    rcs_yes = models.PositiveIntegerField(gettext_lazy("reachable by RCS"), default=0)
    rcs_no = models.PositiveIntegerField(gettext_lazy("not reachable by RCS"), default=0)
    unknown = models.PositiveIntegerField(gettext_lazy("unknown"), default=0)
    # The last contact checked (contacts are taken in primary-key order): where a re-run resumes.
    cursor = models.BigIntegerField(default=0, editable=False)
    # The prices of this installation when the audit ran, so its estimate keeps its meaning.
    rcs_price = models.DecimalField(
        gettext_lazy("price of an RCS message (EUR)"), max_digits=8, decimal_places=4
    )
    sms_segment_price = models.DecimalField(
        gettext_lazy("price of an SMS segment (EUR)"), max_digits=8, decimal_places=4
    )
    sms_segments = models.PositiveSmallIntegerField(
        gettext_lazy("SMS segments per message"), default=1
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("started by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="capability_audits",
    )
    created = models.DateTimeField(gettext_lazy("created"), auto_now_add=True)
    started = models.DateTimeField(gettext_lazy("started"), null=True, blank=True)
    # When the job last wrote a chunk: an audit running with no progress for long lost its job.
    progressed = models.DateTimeField(gettext_lazy("last progress"), null=True, blank=True)
    finished = models.DateTimeField(gettext_lazy("finished"), null=True, blank=True)
    # Why it stopped, as a code of ERRORS (words in the reader's language, not the worker's).
    error = models.CharField(gettext_lazy("error"), max_length=30, blank=True)
    # The two segments "<audience> — RCS" and "<audience> — not RCS" made from the result.
    rcs_segment = models.ForeignKey(
        Segment,
        verbose_name=gettext_lazy("RCS segment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    other_segment = models.ForeignKey(
        Segment,
        verbose_name=gettext_lazy("not-RCS segment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = gettext_lazy("capability audit")
        verbose_name_plural = gettext_lazy("capability audits")
        ordering = ["-created", "-pk"]
        constraints = [
            # An audit checks one list or one segment.
            models.CheckConstraint(
                condition=Q(contact_list__isnull=False, segment__isnull=True)
                | Q(contact_list__isnull=True, segment__isnull=False),
                name="audience_audit_one_audience",
            ),
        ]

    def __str__(self):
        return f"{self.audience_name} ({self.get_status_display()})"

    @property
    def audience(self):
        """The list or the segment the audit checks."""
        return self.contact_list or self.segment

    @property
    def audience_name(self):
        audience = self.audience
        return str(audience) if audience is not None else gettext_lazy("(deleted)")

    @property
    def is_settled(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def is_stalled(self):
        """True when the audit waits or runs but its job has written nothing for a while."""
        if self.is_settled:
            return False
        last = self.progressed or self.started or self.created
        return last is not None and last < timezone.now() - AUDIT_STALLED_AFTER

    @property
    def can_resume(self):
        return self.status == self.Status.FAILED or self.is_stalled

    @property
    def error_message(self):
        if not self.error:
            return ""
        return self.ERRORS.get(self.error, self.ERRORS["unexpected"])

    @property
    def rcs_share(self):
        """The share of checked contacts reachable by RCS, in whole per cent."""
        return round(100 * self.rcs_yes / self.checked) if self.checked else 0

    @property
    def progress_percent(self):
        if not self.total:
            return 100 if self.is_settled else 0
        return min(100, round(100 * self.checked / self.total))


class ImportStorage(FileSystemStorage):
    """Where uploaded customer files and their reports live: var/imports, never under the
    public /media/ (they hold personal data). Read from settings on each use."""

    @property
    def base_location(self):
        return str(settings.VAR_DIR / "imports")

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def import_storage():
    return ImportStorage()


class ContactImport(models.Model):
    """One customer file imported into contacts: its mapping, its progress, what it did."""

    class Status(models.TextChoices):
        PENDING = "pending", gettext_lazy("Waiting")
        RUNNING = "running", gettext_lazy("Running")
        DONE = "done", gettext_lazy("Done")
        FAILED = "failed", gettext_lazy("Failed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(gettext_lazy("file"), upload_to="files/%Y/%m/", storage=import_storage)
    original_name = models.CharField(gettext_lazy("file name"), max_length=255)
    size = models.PositiveBigIntegerField(gettext_lazy("size in bytes"), default=0)
    test_mode = models.BooleanField(gettext_lazy("test data"), default=False)
    encoding = models.CharField(gettext_lazy("encoding"), max_length=20)
    delimiter = models.CharField(gettext_lazy("delimiter"), max_length=1)
    headers = models.JSONField(gettext_lazy("columns"), default=list)
    # One field per column, in order: phone, first_name, attribute:city, "" (not imported)...
    mapping = models.JSONField(gettext_lazy("mapping"), default=list, blank=True)
    # The same for the same set of columns: finds the mapping used last time for such a file.
    header_key = models.CharField(max_length=64, db_index=True)
    contact_list = models.ForeignKey(
        ContactList,
        verbose_name=gettext_lazy("list"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="imports",
    )
    status = models.CharField(
        gettext_lazy("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    bytes_read = models.PositiveBigIntegerField(default=0)
    rows = models.PositiveIntegerField(gettext_lazy("rows read"), default=0)
    created_count = models.PositiveIntegerField(gettext_lazy("contacts created"), default=0)
    updated_count = models.PositiveIntegerField(gettext_lazy("contacts updated"), default=0)
    unchanged_count = models.PositiveIntegerField(gettext_lazy("contacts unchanged"), default=0)
    rejected_count = models.PositiveIntegerField(gettext_lazy("rows rejected"), default=0)
    consent_count = models.PositiveIntegerField(gettext_lazy("consents recorded"), default=0)
    membership_count = models.PositiveIntegerField(gettext_lazy("added to the list"), default=0)
    unproven_opt_ins = models.PositiveIntegerField(gettext_lazy("opt-ins without proof"), default=0)
    # Rejections by reason code: {"invalid_phone": 3, "duplicate_in_file": 1}.
    reasons = models.JSONField(gettext_lazy("rejections by reason"), default=dict, blank=True)
    rejected_report = models.FileField(
        gettext_lazy("rejected rows"),
        upload_to="reports/%Y/%m/",
        storage=import_storage,
        blank=True,
    )
    error = models.TextField(gettext_lazy("error"), blank=True)
    # The uploader's language: the reasons in the rejected-rows report are written in it.
    language = models.CharField(gettext_lazy("language"), max_length=15, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("imported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_imports",
    )
    created = models.DateTimeField(gettext_lazy("uploaded"), auto_now_add=True)
    started = models.DateTimeField(gettext_lazy("started"), null=True, blank=True)
    finished = models.DateTimeField(gettext_lazy("finished"), null=True, blank=True)
    # Saved with each chunk's progress: a running import silent for minutes lost its worker.
    heartbeat = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = gettext_lazy("contact import")
        verbose_name_plural = gettext_lazy("contact imports")
        ordering = ["-created"]

    def __str__(self):
        return self.original_name

    @property
    def percent(self):
        """How far the import has read its file, 0 to 100."""
        if self.status == self.Status.DONE:
            return 100
        return min(99, self.bytes_read * 100 // self.size) if self.size else 0

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)

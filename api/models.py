"""API keys for the REST API, and the idempotency records that make its POSTs safe to retry."""

import hashlib
import json
import secrets
import string
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

KEY_ALPHABET = string.ascii_letters + string.digits
# 32 characters from 62 symbols: about 190 bits of randomness.
KEY_SECRET_LENGTH = 32
# How many secret characters the prefix keeps, so people can tell their keys apart.
PREFIX_SECRET_CHARACTERS = 6
DEFAULT_RATE_LIMIT_PER_MINUTE = 120
# Reads (GET, HEAD) have their own budget, so polling statuses never blocks sending.
DEFAULT_READ_RATE_LIMIT_PER_MINUTE = 1200
# Writing last_used_at on every request would turn each API read into a database write.
LAST_USED_PRECISION = timedelta(minutes=1)

IDEMPOTENCY_KEY_MAX = 255
IDEMPOTENCY_TTL = timedelta(hours=24)
# A request still "in progress" after this long died before finishing: its work ran in one
# transaction that never committed, so the key may safely be used again.
IDEMPOTENCY_LOCK_TIMEOUT = timedelta(minutes=2)


def hash_key(raw_key: str) -> str:
    """The SHA-256 hex digest under which an API key is stored and looked up."""
    return hashlib.sha256(raw_key.encode("utf-8")).hexdigest()


class ApiKey(models.Model):
    """A secret that authenticates API calls; only its hash and a short prefix are stored."""

    class Mode(models.TextChoices):
        TEST = "test", gettext_lazy("Test (simulator only)")
        LIVE = "live", gettext_lazy("Live")

    name = models.CharField(
        gettext_lazy("name"),
        max_length=100,
        help_text=gettext_lazy("Who or what uses this key, e.g. “Shop back office”."),
    )
    mode = models.CharField(
        gettext_lazy("mode"),
        max_length=4,
        choices=Mode.choices,
        default=Mode.TEST,
        help_text=gettext_lazy(
            "Test keys always send through the simulator and only see test messages."
        ),
    )
    prefix = models.CharField(gettext_lazy("prefix"), max_length=20, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    rate_limit_per_minute = models.PositiveIntegerField(
        gettext_lazy("requests per minute"),
        default=DEFAULT_RATE_LIMIT_PER_MINUTE,
        validators=[MinValueValidator(1), MaxValueValidator(100_000)],
        help_text=gettext_lazy("Writes: sends, contacts, campaigns (every method but GET)."),
    )
    read_rate_limit_per_minute = models.PositiveIntegerField(
        gettext_lazy("reads per minute"),
        default=DEFAULT_READ_RATE_LIMIT_PER_MINUTE,
        validators=[MinValueValidator(1), MaxValueValidator(100_000)],
        help_text=gettext_lazy(
            "GET requests (reading statuses, lists): a budget of their own, so polling never "
            "blocks sending."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="api_keys",
    )
    created = models.DateTimeField(gettext_lazy("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(
        gettext_lazy("last used"), null=True, blank=True, editable=False
    )
    revoked_at = models.DateTimeField(
        gettext_lazy("revoked"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = gettext_lazy("API key")
        verbose_name_plural = gettext_lazy("API keys")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def create(
        cls,
        *,
        name,
        mode=Mode.TEST,
        created_by=None,
        rate_limit_per_minute=None,
        read_rate_limit_per_minute=None,
    ):
        """Create and save a key; return (api_key, full_key): the full key is never stored."""
        api_key = cls(name=name, mode=mode, created_by=created_by)
        if rate_limit_per_minute is not None:
            api_key.rate_limit_per_minute = rate_limit_per_minute
        if read_rate_limit_per_minute is not None:
            api_key.read_rate_limit_per_minute = read_rate_limit_per_minute
        full_key = api_key.set_new_secret()
        api_key.save()
        return api_key, full_key

    def set_new_secret(self):
        """Give this (unsaved) key a fresh secret, set its prefix and hash, return the secret."""
        secret = "".join(secrets.choice(KEY_ALPHABET) for _ in range(KEY_SECRET_LENGTH))
        full_key = f"rl_{self.mode}_{secret}"
        self.prefix = f"rl_{self.mode}_{secret[:PREFIX_SECRET_CHARACTERS]}"
        self.key_hash = hash_key(full_key)
        return full_key

    @property
    def is_test(self):
        return self.mode == self.Mode.TEST

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    def revoke(self):
        """Refuse this key from now on (it stays listed so its history remains readable)."""
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    def touch(self, now=None):
        """Record a use, writing at most once per LAST_USED_PRECISION."""
        now = now or timezone.now()
        if self.last_used_at is not None and now - self.last_used_at < LAST_USED_PRECISION:
            return
        self.last_used_at = now
        ApiKey.objects.filter(pk=self.pk).update(last_used_at=now)


def request_fingerprint(method: str, path: str, body: object) -> str:
    """SHA-256 of the method, the path and the JSON body in canonical form."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    # surrogatepass: a body holding a lone surrogate gets a fingerprint, not a crash.
    text = f"{method.upper()}\n{path}\n{canonical}"
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class IdempotencyConflict(Exception):
    """The Idempotency-Key was used for another request, or that request is still running."""

    def __init__(self, reason):
        self.reason = reason  # "different_request" or "in_progress"
        super().__init__(reason)


class IdempotencyRecordQuerySet(models.QuerySet):
    def expired(self, now=None):
        return self.filter(created__lt=(now or timezone.now()) - IDEMPOTENCY_TTL)


class IdempotencyRecord(models.Model):
    """The first answer given to a request carrying an Idempotency-Key, kept for 24 hours."""

    api_key = models.ForeignKey(
        ApiKey, on_delete=models.CASCADE, related_name="idempotency_records"
    )
    key = models.CharField(max_length=IDEMPOTENCY_KEY_MAX)
    fingerprint = models.CharField(max_length=64)
    # Both empty while the first request is still being processed.
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    # Headers the first answer set (Location), repeated on a replay.
    response_headers = models.JSONField(default=dict, blank=True)
    # Serves purge_expired(): records are deleted by age.
    created = models.DateTimeField(default=timezone.now, db_index=True)

    objects = IdempotencyRecordQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("idempotency record")
        verbose_name_plural = gettext_lazy("idempotency records")
        constraints = [
            models.UniqueConstraint(fields=["api_key", "key"], name="api_idempotency_key_unique")
        ]

    def __str__(self):
        return f"{self.key} ({self.api_key_id})"

    @property
    def is_finished(self):
        return self.response_status is not None

    @classmethod
    def claim(cls, api_key, key, fingerprint):
        """Return (record, finished_record): a new in-progress record to fill, or the finished
        one to replay; raise IdempotencyConflict for another request or one still running."""
        now = timezone.now()
        for _attempt in range(2):
            try:
                # Committed before the work starts (the API runs without ATOMIC_REQUESTS), so a
                # concurrent duplicate hits the unique constraint instead of working twice.
                with transaction.atomic():
                    record = cls.objects.create(
                        api_key=api_key, key=key, fingerprint=fingerprint, created=now
                    )
                return record, None
            except IntegrityError:
                existing = cls.objects.filter(api_key=api_key, key=key).first()
            if existing is None:
                continue  # deleted in between: try the insert again
            stale = existing.created < now - (
                IDEMPOTENCY_TTL if existing.is_finished else IDEMPOTENCY_LOCK_TIMEOUT
            )
            if stale:
                cls.objects.filter(pk=existing.pk, created=existing.created).delete()
                continue
            if existing.fingerprint != fingerprint:
                raise IdempotencyConflict("different_request")
            if not existing.is_finished:
                raise IdempotencyConflict("in_progress")
            return None, existing
        raise IdempotencyConflict("in_progress")

    def finish(self, status, body, headers=None):
        """Store the answer that later repeats of this request will receive."""
        self.response_status = status
        self.response_body = body
        self.response_headers = headers or {}
        self.save(update_fields=["response_status", "response_body", "response_headers"])

    def release(self):
        """Forget this in-progress record so the same key can be tried again (after a refusal)."""
        IdempotencyRecord.objects.filter(pk=self.pk, response_status__isnull=True).delete()

    @classmethod
    def purge_expired(cls, now=None):
        """Delete the records older than 24 hours; return how many were deleted."""
        deleted, _by_model = cls.objects.expired(now).delete()
        return deleted

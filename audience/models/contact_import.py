"""One customer file imported into contacts, and where such files are kept."""

import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy

from audience.models.contacts import ContactList


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

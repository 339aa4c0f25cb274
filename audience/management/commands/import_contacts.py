"""Import a CSV file of contacts now, with the engine the upload screen uses."""

import sys
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from audience.imports import mapping as columns
from audience.imports import runs
from audience.imports.mapping import MappingError
from audience.imports.reading import FileRefused
from audience.models import ContactImport


class Command(BaseCommand):
    help = (
        "Import contacts from a CSV file (UTF-8 or Windows-1252, separated by ; , or tabs): "
        "columns are guessed from their headers unless given with --mapping."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV file")
        parser.add_argument("--list", default="", help="put every imported contact on this list")
        parser.add_argument(
            "--test", action="store_true", help="import as test data (never seen by live sends)"
        )
        parser.add_argument(
            "--mapping",
            default="",
            help='columns as "Header=field,..." with phone, first_name, last_name, email, '
            "language, attribute:<name>, consent_status, consent_channel, consent_source, "
            'consent_wording, consent_collected_at or "" to skip; other columns are guessed',
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        try:
            with path.open("rb") as binary:
                contact_import = runs.open_upload(
                    File(binary, name=path.name), test_mode=options["test"], name=path.name
                )
            mapping = runs.suggested_mapping(contact_import)
            chosen = columns.parse_option(options["mapping"], contact_import.headers)
            mapping = [
                chosen.get(header, field)
                for header, field in zip(contact_import.headers, mapping, strict=True)
            ]
            runs.choose(contact_import, mapping, list_name=options["list"])
        except (FileRefused, MappingError) as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(self.describe(contact_import))
        try:
            contact_import = runs.run(contact_import.pk, on_progress=self.progress)
        except Exception as error:
            raise CommandError(ContactImport.objects.get(pk=contact_import.pk).error) from error
        # The last report came while the final chunk was being written: say it is whole.
        self.progress(contact_import)
        if sys.stdout.isatty():
            self.stdout.write("")
        self.stdout.write(self.summary(contact_import))

    def describe(self, contact_import):
        shown = ", ".join(
            f"{header} -> {field or '(skipped)'}"
            for header, field in zip(contact_import.headers, contact_import.mapping, strict=True)
        )
        mode = "test" if contact_import.test_mode else "live"
        return (
            f"{contact_import.original_name}: {contact_import.encoding}, "
            f"delimiter {contact_import.delimiter!r}, {mode} data\nColumns: {shown}"
        )

    def progress(self, contact_import):
        line = f"{contact_import.percent:3d}% · {contact_import.rows:,} rows read"
        if sys.stdout.isatty():
            self.stdout.write("\r" + line, ending="")
            self.stdout.flush()
        else:
            self.stdout.write(line)

    def summary(self, contact_import):
        lines = [
            f"Rows read: {contact_import.rows}",
            f"Contacts created: {contact_import.created_count}, updated: "
            f"{contact_import.updated_count}, unchanged: {contact_import.unchanged_count}",
            f"Consent entries recorded: {contact_import.consent_count}",
        ]
        if contact_import.contact_list:
            lines.append(
                f"Added to list “{contact_import.contact_list}”: {contact_import.membership_count}"
            )
        if not columns.claims_consent(contact_import.mapping):
            lines.append(
                "No consent claimed: the file has no consent status, source and wording "
                "columns, so the contacts were imported WITHOUT consent (no promotion can go "
                "to them until an opt-in is recorded)."
            )
        if contact_import.unproven_opt_ins:
            lines.append(
                f"{contact_import.unproven_opt_ins} opt-ins NOT recorded: nothing in the file "
                "says where they were collected and with what wording."
            )
        lines.append(f"Rows rejected: {contact_import.rejected_count}")
        for code, count in sorted(contact_import.reasons.items()):
            lines.append(f"  {code}: {count}")
        if contact_import.rejected_report:
            lines.append(f"Rejected rows and reasons: {contact_import.rejected_report.path}")
        return "\n".join(lines)

"""Fill each contact's current-consent columns from its ledger: the latest entry covering the
channel (by occurred_at, then by id; an "all" entry covers both) decides."""

from django.db import migrations
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

COLUMNS = {"sms": ("sms_consent", "sms_consent_at"), "rcs": ("rcs_consent", "rcs_consent_at")}


def fill_consent_columns(apps, schema_editor):
    Contact = apps.get_model("audience", "Contact")
    ConsentEntry = apps.get_model("audience", "ConsentEntry")
    changes = {}
    for channel, (value_column, at_column) in COLUMNS.items():
        latest = ConsentEntry.objects.filter(
            contact=OuterRef("pk"), channel__in=["all", channel]
        ).order_by("-occurred_at", "-pk")
        changes[value_column] = Coalesce(Subquery(latest.values("kind")[:1]), Value("none"))
        changes[at_column] = Subquery(latest.values("occurred_at")[:1])
    newest = ConsentEntry.objects.filter(contact=OuterRef("pk")).order_by("-created")
    changes["consent_updated"] = Subquery(newest.values("created")[:1])
    # One set-based UPDATE: no contact is loaded into Python.
    Contact.objects.update(**changes)


class Migration(migrations.Migration):

    dependencies = [
        ("audience", "0003_contact_fields_lists_consent_columns"),
    ]

    operations = [
        migrations.RunPython(fill_consent_columns, migrations.RunPython.noop),
    ]

from datetime import timedelta

from django.db import migrations, models


def due_for_rollouts_in_flight(apps, schema_editor):
    """A rollout sending its first share at the upgrade gets its check's due moment (launch +
    wait), so the reconciler re-drives its check if the job is lost."""
    Campaign = apps.get_model("campaigns", "Campaign")
    in_flight = Campaign.objects.filter(
        status="sending", rollout_share__isnull=False, rollout_released_at__isnull=True
    )
    for campaign in in_flight.only("pk", "launched_at", "created", "rollout_wait_minutes"):
        since = campaign.launched_at or campaign.created
        due = since + timedelta(minutes=campaign.rollout_wait_minutes)
        Campaign.objects.filter(pk=campaign.pk).update(rollout_check_due_at=due)


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0003_content_test_winner"),
    ]

    operations = [
        migrations.AddField(
            model_name="campaign",
            name="rollout_check_due_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="rollout check due at"
            ),
        ),
        migrations.RunPython(due_for_rollouts_in_flight, migrations.RunPython.noop),
    ]

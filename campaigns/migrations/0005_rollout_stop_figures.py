import re

from django.db import migrations, models

# The sentences stopped rollouts were stored with, in English and in French: their counts are
# read back, the rates computed from them and the thresholds taken from the campaign.
FAILED = [
    re.compile(r"^(?P<n>\d+) of (?P<reached>\d+) messages of the first share failed"),
    re.compile(r"^(?P<n>\d+) messages sur (?P<reached>\d+) de la première part ont échoué"),
]
OPTED_OUT = [
    re.compile(r"^(?P<n>\d+) of (?P<reached>\d+) contacts of the first share opted out"),
    re.compile(r"^(?P<n>\d+) contacts sur (?P<reached>\d+) de la première part se sont"),
]


def figures_of(campaign):
    """The figures of a stored stop sentence, or None when it says something else."""
    if campaign.stop_reason == "failure_rate":
        patterns, count, rate = FAILED, "failed", "failure_rate"
    elif campaign.stop_reason == "opt_out_rate":
        patterns, count, rate = OPTED_OUT, "opted_out", "opt_out_rate"
    else:
        return None
    for pattern in patterns:
        found = pattern.match(campaign.stop_detail)
        if found and int(found["reached"]):
            n, reached = int(found["n"]), int(found["reached"])
            return {
                "reached": reached,
                count: n,
                rate: n / reached,
                "max_failure_rate": campaign.max_failure_rate,
                "max_opt_out_rate": campaign.max_opt_out_rate,
            }
    return None


def figures_from_sentences(apps, schema_editor):
    """Stops recorded as a sentence get their figures back when the sentence is one Relais
    wrote; any other keeps its sentence alone (shown as it is)."""
    Campaign = apps.get_model("campaigns", "Campaign")
    stopped = Campaign.objects.exclude(stop_reason="").exclude(stop_detail="")
    for campaign in stopped.iterator():
        figures = figures_of(campaign)
        if figures is not None:
            Campaign.objects.filter(pk=campaign.pk).update(stop_figures=figures)


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0004_rollout_check_due_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="campaign",
            name="stop_figures",
            field=models.JSONField(blank=True, default=dict, verbose_name="stop figures"),
        ),
        migrations.RunPython(figures_from_sentences, migrations.RunPython.noop),
    ]

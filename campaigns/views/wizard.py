"""The campaign wizard: one form over several steps, saved as a draft campaign, and its live
parts (the audience count, the variables of the chosen version, who would get a default)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.data_mode import shows_test_data
from accounts.roles import can_edit
from campaigns import wizard
from campaigns.forms import CampaignForm, initial_from
from campaigns.models import Campaign
from campaigns.services import CampaignError, create_campaign, update_campaign
from campaigns.views.common import campaign_url, mode_query

# The wizard's steps and the fields each holds: the first step with an error opens first.
STEPS = [
    ("content", gettext_lazy("Content"), ("name", "version")),
    ("audience", gettext_lazy("Audience"), ("audience",)),
    ("variables", gettext_lazy("Variables"), ("var_",)),
    (
        "experiment",
        gettext_lazy("Experiment"),
        ("policy", "experiment", "experiment_share", "version_b", "holdout"),
    ),
    (
        "rollout",
        gettext_lazy("Rollout"),
        ("first_share", "continuation", "wait_minutes", "max_failure", "max_opt_out"),
    ),
    (
        "schedule",
        gettext_lazy("Schedule"),
        ("schedule", "send_at", "throttle_per_second", "rcs_ttl_minutes"),
    ),
]


def _step_of(field_name):
    for key, _title, fields in STEPS:
        if any(field_name == f or (f.endswith("_") and field_name.startswith(f)) for f in fields):
            return key
    return STEPS[0][0]


def steps_with_errors(form):
    """[{key, title, errors}] and the key of the first step with an error (or "")."""
    failing = (
        {_step_of(name) for name in form.errors if name != "__all__"} if form.is_bound else set()
    )
    steps = [{"key": key, "title": title, "errors": key in failing} for key, title, _f in STEPS]
    first = next((step["key"] for step in steps if step["errors"]), "")
    return steps, first


def live_context(form):
    """The audience count and the default counts for what the form holds now."""
    test_mode = form.test_mode
    audience = wizard.audience_object(form["audience"].value(), test_mode)
    context = {"audience_count": None, "audience_name": "", "default_counts": {}}
    if audience is None:
        return context
    contacts = wizard.audience_contacts(audience)
    context["audience_count"] = contacts.count()
    context["audience_name"] = audience.name
    context["default_counts"] = wizard.default_counts(contacts, form.partial_variables_spec())
    return context


def render_wizard(request, form, *, campaign=None, status=200):
    steps, first_error = steps_with_errors(form)
    context = {
        "form": form,
        "campaign": campaign,
        "steps": steps,
        "first_error_step": first_error,
        "test_data": form.test_mode,
        "mode_query": mode_query(form.test_mode),
        **live_context(form),
    }
    return render(request, "campaigns/campaign_form.html", context, status=status)


def campaign_create(request):
    """The wizard for a new campaign; a valid post saves a draft and opens its review."""
    test_mode = shows_test_data(request)
    if not can_edit(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = CampaignForm(request.POST, test_mode=test_mode)
        if form.is_valid():
            return save_draft(request, form)
        return render_wizard(request, form, status=422)
    return render_wizard(request, CampaignForm(test_mode=test_mode))


def save_draft(request, form, campaign=None):
    """Create (or update) the draft from a valid form; service refusals go next to fields."""
    try:
        if campaign is None:
            campaign = create_campaign(**form.campaign_fields())
        else:
            fields = form.campaign_fields()
            fields.pop("test_mode")
            campaign = update_campaign(campaign, **fields)
    except CampaignError as error:
        form.add_service_error(error)
        return render_wizard(request, form, campaign=campaign, status=422)
    return redirect(campaign_url("campaign_review", campaign))


def campaign_edit(request, pk):
    """The wizard over a saved draft; anything past draft opens its progress instead, and a
    viewer, who cannot change it, is shown its review."""
    campaign = get_object_or_404(Campaign, pk=pk)
    if campaign.status != Campaign.Status.DRAFT:
        return redirect(campaign_url("campaign_detail", campaign))
    if not can_edit(request.user):
        if request.method == "POST":
            raise PermissionDenied
        return redirect(campaign_url("campaign_review", campaign))
    if request.method == "POST":
        form = CampaignForm(request.POST, test_mode=campaign.test_mode)
        if form.is_valid():
            return save_draft(request, form, campaign)
        return render_wizard(request, form, campaign=campaign, status=422)
    form = CampaignForm(initial=initial_from(campaign), test_mode=campaign.test_mode)
    return render_wizard(request, form, campaign=campaign)


@require_POST
def wizard_live(request):
    """The variables step re-drawn for the chosen version, with the audience count (htmx)."""
    form = CampaignForm(request.POST, test_mode=shows_test_data(request)).without_errors()
    context = {"form": form, "oob": True, **live_context(form)}
    return render(request, "campaigns/_wizard_variables.html", context)

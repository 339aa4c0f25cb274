"""The campaign wizard: one form over several steps, saved as a draft campaign, and its live
parts (the audience count, the variables of the chosen version, who would get a default)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.data_mode import shows_test_data
from accounts.roles import can_edit
from campaigns import wizard
from campaigns.forms import CampaignForm

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


def mode_query(test_mode):
    return "?mode=test" if test_mode else ""


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
    from campaigns.views.drafts import save_draft

    test_mode = shows_test_data(request)
    if not can_edit(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = CampaignForm(request.POST, test_mode=test_mode)
        if form.is_valid():
            return save_draft(request, form)
        return render_wizard(request, form, status=422)
    return render_wizard(request, CampaignForm(test_mode=test_mode))


def campaign_edit(request, pk):
    """The wizard again for a draft, filled with what was saved."""
    from campaigns.views.drafts import edit_draft

    return edit_draft(request, pk)


@require_POST
def wizard_live(request):
    """The variables step re-drawn for the chosen version, with the audience count (htmx)."""
    form = CampaignForm(request.POST, test_mode=shows_test_data(request)).without_errors()
    context = {"form": form, "oob": True, **live_context(form)}
    return render(request, "campaigns/_wizard_variables.html", context)

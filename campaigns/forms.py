"""The campaign wizard's form: every step's fields in one form, so going back loses nothing,
turned into the same spec the API takes (`CampaignForm.spec()`)."""

from django import forms
from django.forms.utils import ErrorDict
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audience.models import Contact, ContactList, Segment
from campaigns import wizard
from campaigns.models import Campaign
from campaigns.services.creation import SEND_AT_MAX
from sending.models import Message
from sending.services.submit_checks import SEND_AT_GRACE

NONE, CHANNEL, CONTENT = "none", "channel", "content"
AUTO, MANUAL = "auto", "manual"
NOW, LATER = "now", "later"
FIELD, ATTRIBUTE, VALUE = "field", "attribute", "value"


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, version):
        return _("%(template)s, version %(number)s") % {
            "template": version.template.name,
            "number": version.number,
        }


def _percent(label, initial=None, required=False, minimum=1, maximum=100):
    return forms.IntegerField(
        label=label, min_value=minimum, max_value=maximum, initial=initial, required=required
    )


class CampaignForm(forms.Form):
    """Name, content, audience, variables, channel, experiment, rollout, schedule, pace."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    version = VersionChoiceField(
        label=gettext_lazy("Template version"), queryset=wizard.published_versions()
    )
    version_b = VersionChoiceField(
        label=gettext_lazy("Version B (content test)"),
        queryset=wizard.published_versions(),
        required=False,
    )
    audience = forms.ChoiceField(
        label=gettext_lazy("List or segment"),
        error_messages={"invalid_choice": gettext_lazy("Choose a list or a segment of this mode.")},
    )
    policy = forms.ChoiceField(
        label=gettext_lazy("Channels"),
        choices=Message.Policy.choices,
        initial=Message.Policy.RCS_WITH_FALLBACK,
    )
    experiment = forms.ChoiceField(
        label=gettext_lazy("Experiment"),
        initial=NONE,
        widget=forms.RadioSelect,
        choices=[
            (NONE, gettext_lazy("None")),
            (CHANNEL, gettext_lazy("Channel test: RCS against SMS, among RCS-capable contacts")),
            (CONTENT, gettext_lazy("Content test: version A against version B")),
        ],
    )
    experiment_share = _percent(
        gettext_lazy("Share in the RCS arm or in version B (%)"), initial=50, maximum=99
    )
    holdout = _percent(gettext_lazy("Holdout: share that gets nothing (%)"), minimum=0, maximum=50)
    winner_after_hours = forms.IntegerField(
        label=gettext_lazy("Send the winner to the rest after (hours)"),
        min_value=1,
        max_value=720,
        required=False,
        help_text=gettext_lazy("Empty: everyone gets A or B at once."),
    )
    winner_test_share = _percent(
        gettext_lazy("Share of the audience in the test (%)"), initial=20, maximum=90
    )
    winner_confidence = forms.TypedChoiceField(
        label=gettext_lazy("Significance"),
        coerce=int,
        initial=95,
        required=False,
        choices=[(90, "90 %"), (95, "95 %"), (99, "99 %")],
    )
    winner_if_unclear = forms.ChoiceField(
        label=gettext_lazy("If the difference is not significant"),
        initial=Campaign.IfUnclear.WAIT,
        required=False,
        widget=forms.RadioSelect,
        choices=[
            (Campaign.IfUnclear.WAIT, gettext_lazy("Wait for someone to choose A or B")),
            (Campaign.IfUnclear.SEND_A, gettext_lazy("Send A, the control, to the rest")),
        ],
    )
    first_share = _percent(gettext_lazy("First stage: share of the audience (%)"), initial=10)
    continuation = forms.ChoiceField(
        label=gettext_lazy("Then"),
        initial=MANUAL,
        widget=forms.RadioSelect,
        choices=[
            (MANUAL, gettext_lazy("Wait for someone to press Continue")),
            (AUTO, gettext_lazy("Continue by itself if the rates stay under the thresholds")),
        ],
    )
    wait_minutes = forms.IntegerField(
        label=gettext_lazy("After (minutes)"),
        min_value=1,
        max_value=10080,
        initial=60,
        required=False,
    )
    max_failure = _percent(gettext_lazy("Failure rate under (%)"), initial=5)
    max_opt_out = _percent(gettext_lazy("Opt-out rate under (%)"), initial=2)
    schedule = forms.ChoiceField(
        label=gettext_lazy("When"),
        initial=NOW,
        widget=forms.RadioSelect,
        choices=[(NOW, gettext_lazy("At launch")), (LATER, gettext_lazy("Later"))],
    )
    send_at = forms.DateTimeField(
        label=gettext_lazy("Send at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    throttle_per_second = forms.IntegerField(
        label=gettext_lazy("Throttle (messages per second per channel)"),
        min_value=1,
        max_value=100000,
        required=False,
        help_text=gettext_lazy("Empty: as fast as the providers allow."),
    )
    rcs_ttl_minutes = forms.IntegerField(
        label=gettext_lazy("RCS deadline before SMS (minutes)"),
        min_value=1,
        max_value=2880,
        required=False,
        help_text=gettext_lazy("Empty: the template's deadline."),
    )

    def __init__(self, *args, test_mode=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.test_mode = test_mode
        self.fields["audience"].choices = [("", "---------")] + wizard.audience_choices(test_mode)
        self.variable_names = [v.name for v in self._chosen_version_variables()]
        for name in self.variable_names:
            self._add_variable_fields(name)

    def _chosen_version_variables(self):
        if self.is_bound:
            raw = self.data.get(self.add_prefix("version"))
        else:
            raw = self.initial.get("version")
        pk = str(getattr(raw, "pk", raw) or "")
        version = wizard.published_versions().filter(pk=pk).first() if pk.isdigit() else None
        return version.declared_variables() if version else []

    def _add_variable_fields(self, name):
        sources = [
            (FIELD, _("Contact field")),
            (ATTRIBUTE, _("Contact attribute")),
            (VALUE, _("Same value for everyone")),
        ]
        self.fields[f"var_{name}_source"] = forms.ChoiceField(
            label=_("Source of “%(name)s”") % {"name": name}, choices=sources, initial=FIELD
        )
        self.fields[f"var_{name}_field"] = forms.ChoiceField(
            label=_("Field"),
            required=False,
            choices=[(f, _field_label(f)) for f in wizard.CONTACT_FIELDS],
        )
        self.fields[f"var_{name}_key"] = forms.CharField(
            label=_("Attribute or value"), required=False, max_length=500
        )
        self.fields[f"var_{name}_default"] = forms.CharField(
            label=_("Default when empty"), required=False, max_length=500
        )

    def variable_rows(self):
        """[(name, source, field, key, default) bound fields] for the template."""
        return [
            {
                "name": name,
                "source": self[f"var_{name}_source"],
                "field": self[f"var_{name}_field"],
                "key": self[f"var_{name}_key"],
                "default": self[f"var_{name}_default"],
            }
            for name in self.variable_names
        ]

    def clean_audience(self):
        key = self.cleaned_data["audience"]
        self.audience_object = wizard.audience_object(key, self.test_mode)
        if self.audience_object is None:
            raise forms.ValidationError(_("Choose a list or a segment of this mode."))
        return key

    def clean(self):
        data = super().clean()
        experiment = data.get("experiment")
        if experiment == CONTENT and not data.get("version_b"):
            self.add_error("version_b", _("A content test needs a version B."))
        if (
            experiment == CONTENT
            and data.get("version_b")
            and data.get("version_b") == data.get("version")
        ):
            self.add_error("version_b", _("Version B must differ from version A."))
        if experiment in (CHANNEL, CONTENT) and not data.get("experiment_share"):
            self.add_error("experiment_share", _("Say how the test is split."))
        staged = data.get("first_share") and data["first_share"] < 100
        if staged and data.get("continuation") == AUTO:
            for field in ("wait_minutes", "max_failure", "max_opt_out"):
                if data.get(field) in (None, ""):
                    self.add_error(field, _("Needed to continue by itself."))
        if data.get("schedule") == LATER and not data.get("send_at"):
            self.add_error("send_at", _("Say when to send, or choose “At launch”."))
        elif data.get("schedule") == LATER:
            self._clean_send_at(data["send_at"], timezone.now())
        for name in self.variable_names:
            self._clean_variable(name, data)
        return data

    def _clean_send_at(self, send_at, now):
        if send_at < now - SEND_AT_GRACE:
            self.add_error(
                "send_at",
                _("This time is past (it is now %(now)s): choose a later one, or “At launch”.")
                % {"now": formats.date_format(timezone.localtime(now), "SHORT_DATETIME_FORMAT")},
            )
        elif send_at > now + SEND_AT_MAX:
            self.add_error("send_at", _("Choose a time within a year from now."))

    def _clean_variable(self, name, data):
        source = data.get(f"var_{name}_source")
        key = (data.get(f"var_{name}_key") or "").strip()
        if source == FIELD and not data.get(f"var_{name}_field"):
            self.add_error(f"var_{name}_field", _("Choose a contact field."))
        if source in (ATTRIBUTE, VALUE) and not key:
            message = _("Name the attribute.") if source == ATTRIBUTE else _("Type the value.")
            self.add_error(f"var_{name}_key", message)

    def without_errors(self):
        """The form as typed, shown without validating it (a live refresh mid-typing)."""
        self._errors = ErrorDict()
        return self

    def partial_variables_spec(self):
        """The field/attribute rules typed so far, valid or not (for the default counts)."""
        spec = {}
        for name in self.variable_names:
            source = self[f"var_{name}_source"].value()
            if source == FIELD and self[f"var_{name}_field"].value() in wizard.CONTACT_FIELDS:
                spec[name] = {"field": self[f"var_{name}_field"].value()}
            key = (self[f"var_{name}_key"].value() or "").strip()
            if source == ATTRIBUTE and key:
                spec[name] = {"attribute": key}
        return spec

    def variables_spec(self):
        """{name: {"field"|"attribute"|"value": ..., "default": ...}} as the API takes it."""
        spec = {}
        data = self.cleaned_data
        for name in self.variable_names:
            source = data.get(f"var_{name}_source")
            if source == FIELD:
                rule = {"field": data.get(f"var_{name}_field")}
            else:
                rule = {source: (data.get(f"var_{name}_key") or "").strip()}
            default = data.get(f"var_{name}_default") or ""
            if source != VALUE and default:
                rule["default"] = default
            spec[name] = rule
        return spec

    def campaign_fields(self):
        """The campaign's fields as campaigns.services create_campaign/update_campaign take."""
        data = self.cleaned_data
        audience = self.audience_object
        experiment = data.get("experiment") or NONE
        share = data.get("first_share")
        staged = bool(share) and share < 100
        fields = {
            "name": data["name"],
            "test_mode": self.test_mode,
            "template_version": data["version"],
            "template_version_b": data.get("version_b") if experiment == CONTENT else None,
            "contact_list": audience if isinstance(audience, ContactList) else None,
            "segment": audience if isinstance(audience, Segment) else None,
            "variables": self.variables_spec(),
            "policy": data["policy"],
            "experiment": experiment,
            "experiment_share": (data.get("experiment_share") or 50) / 100,
            "holdout_share": (data.get("holdout") or 0) / 100,
            "rollout_share": share / 100 if staged else None,
            "rollout_mode": data.get("continuation") or MANUAL,
            "send_at": data.get("send_at") if data.get("schedule") == LATER else None,
            "throttle_per_second": data.get("throttle_per_second"),
            "rcs_ttl_seconds": data["rcs_ttl_minutes"] * 60
            if data.get("rcs_ttl_minutes")
            else None,
        }
        if experiment == CONTENT and data.get("winner_after_hours"):
            fields["winner_after_hours"] = data["winner_after_hours"]
            fields["winner_test_share"] = (data.get("winner_test_share") or 20) / 100
            fields["winner_confidence"] = (data.get("winner_confidence") or 95) / 100
            fields["winner_if_unclear"] = data.get("winner_if_unclear") or Campaign.IfUnclear.WAIT
        else:
            fields["winner_after_hours"] = None
        if staged and fields["rollout_mode"] == AUTO:
            fields["rollout_wait_minutes"] = data["wait_minutes"]
            fields["max_failure_rate"] = data["max_failure"] / 100
            fields["max_opt_out_rate"] = data["max_opt_out"] / 100
        return fields

    def add_service_error(self, error):
        """Show a CampaignError from the services next to the field it names."""
        field = SERVICE_FIELDS.get(error.field or "")
        if field is None and (error.field or "").startswith("variables."):
            name = error.field.removeprefix("variables.")
            candidate = f"var_{name}_source"
            field = candidate if candidate in self.fields else None
        self.add_error(field, error.message)


# campaigns.services' field names -> this form's.
SERVICE_FIELDS = {
    "name": "name",
    "template_version": "version",
    "template_version_b": "version_b",
    "audience": "audience",
    "policy": "policy",
    "experiment": "experiment",
    "experiment_share": "experiment_share",
    "holdout_share": "holdout",
    "winner_after_hours": "winner_after_hours",
    "winner_test_share": "winner_test_share",
    "winner_confidence": "winner_confidence",
    "winner_if_unclear": "winner_if_unclear",
    "rollout_share": "first_share",
    "rollout_mode": "continuation",
    "rollout_wait_minutes": "wait_minutes",
    "max_failure_rate": "max_failure",
    "max_opt_out_rate": "max_opt_out",
    "send_at": "send_at",
    "throttle_per_second": "throttle_per_second",
    "rcs_ttl_seconds": "rcs_ttl_minutes",
}


def initial_from(campaign):
    """The wizard's initial data for a saved draft, so editing it shows what was saved."""
    audience = campaign.contact_list or campaign.segment
    kind = wizard.LIST if campaign.contact_list_id else wizard.SEGMENT
    initial = {
        "name": campaign.name,
        "version": campaign.template_version_id,
        "version_b": campaign.template_version_b_id,
        "audience": wizard.audience_key(kind, audience.pk) if audience else "",
        "policy": campaign.policy,
        "experiment": campaign.experiment,
        "experiment_share": round(campaign.experiment_share * 100),
        "holdout": round(campaign.holdout_share * 100) or None,
        "winner_after_hours": campaign.winner_after_hours,
        "winner_test_share": round(campaign.winner_test_share * 100),
        "winner_confidence": round(campaign.winner_confidence * 100),
        "winner_if_unclear": campaign.winner_if_unclear,
        "first_share": round(campaign.rollout_share * 100) if campaign.rollout_share else None,
        "continuation": campaign.rollout_mode,
        "wait_minutes": campaign.rollout_wait_minutes,
        "max_failure": round(campaign.max_failure_rate * 100),
        "max_opt_out": round(campaign.max_opt_out_rate * 100),
        "schedule": LATER if campaign.send_at else NOW,
        "send_at": campaign.send_at,
        "throttle_per_second": campaign.throttle_per_second,
        "rcs_ttl_minutes": campaign.rcs_ttl_seconds // 60 if campaign.rcs_ttl_seconds else None,
    }
    for name, rule in (campaign.variables or {}).items():
        source = next((key for key in (FIELD, ATTRIBUTE, VALUE) if key in rule), FIELD)
        initial[f"var_{name}_source"] = source
        if source == FIELD:
            initial[f"var_{name}_field"] = rule[FIELD]
        else:
            initial[f"var_{name}_key"] = rule[source]
        initial[f"var_{name}_default"] = rule.get("default", "")
    return initial


def _field_label(name):
    return Contact._meta.get_field(name).verbose_name.capitalize()

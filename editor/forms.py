"""Forms of the editor screens: the template list filters, a new template, the editor's state."""

import json

from django import forms
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from editor.models import Brand, MessageTemplate, unique_slug


class TemplateFilterForm(forms.Form):
    """Search and filters of the template list; every field is optional."""

    ACTIVE = "active"

    q = forms.CharField(label=gettext_lazy("Search"), required=False)
    brand = forms.ModelChoiceField(
        label=gettext_lazy("Brand"),
        queryset=Brand.objects.all(),
        required=False,
        empty_label=gettext_lazy("All brands"),
    )
    category = forms.ChoiceField(label=gettext_lazy("Use case"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        required=False,
        choices=[("", gettext_lazy("All languages")), *MessageTemplate.Language.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [
            ("", _("All use cases")),
            *MessageTemplate.Category.choices,
        ]
        self.fields["status"].choices = [
            ("", _("Active")),
            *MessageTemplate.Status.choices,
        ]

    def filter(self, queryset):
        """Return queryset narrowed to what the form asks for (archived ones only on request)."""
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("q"):
            queryset = queryset.filter(Q(name__icontains=data["q"]) | Q(slug__icontains=data["q"]))
        if data.get("brand"):
            queryset = queryset.filter(brand=data["brand"])
        if data.get("category"):
            queryset = queryset.filter(category=data["category"])
        if data.get("language"):
            queryset = queryset.filter(language=data["language"])
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        else:
            queryset = queryset.exclude(status=MessageTemplate.Status.ARCHIVED)
        return queryset


# What the traffic type changes, shown wherever it is chosen.
TRAFFIC_TYPE_HELP = gettext_lazy(
    "Promotion, for anything that sells: it goes only to contacts who opted in, and its SMS "
    "ends with the brand's STOP mention. The other types are for messages the person expects "
    "(an order, a delivery, a one-time code): no opt-in needed, no STOP mention, so never use "
    "them for marketing."
)


def taken_id_message(slug, owner):
    """Say which template holds the id slug, and suggest a free one."""
    return _(
        "The template id “%(slug)s” is already used by “%(name)s”. Choose another one, "
        "e.g. “%(free)s”."
    ) % {"slug": slug, "name": owner.name, "free": unique_slug(slug)}


def check_template_id_free(slug, *, exclude_pk=None):
    """Raise a ValidationError naming the template that already uses the id slug."""
    owner = MessageTemplate.objects.filter(slug=slug).exclude(pk=exclude_pk).first()
    if owner is not None:
        raise forms.ValidationError(taken_id_message(slug, owner), code="unique")


class NewTemplateIdMixin:
    """A form that makes a template with a new id: refused with a clear error when it is taken."""

    def clean_slug(self):
        slug = self.cleaned_data.get("slug") or ""
        if slug:
            check_template_id_free(slug)
        return slug

    def create(self, make):
        """Return make()'s new template, or None with the error on the form if the id was taken.

        Another request may take the id between the check and the insert.
        """
        try:
            with transaction.atomic():
                return make()
        except IntegrityError:
            slug = self.cleaned_data.get("slug") or getattr(self.instance, "slug", "")
            owner = MessageTemplate.objects.filter(slug=slug).first()
            if owner is None:
                raise
            self.add_error("slug" if "slug" in self.fields else None, taken_id_message(slug, owner))
            return None


class TemplateCreateForm(NewTemplateIdMixin, forms.ModelForm):
    """A new, empty template: its name, brand and what it is for."""

    class Meta:
        model = MessageTemplate
        fields = ["name", "brand", "category", "traffic_type", "language", "slug"]
        help_texts = {
            "slug": gettext_lazy(
                "The template_id the API uses. Leave empty to make one from the name."
            ),
            "traffic_type": TRAFFIC_TYPE_HELP,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["name"].widget.attrs["autofocus"] = True
        brands = Brand.objects.all()
        if len(brands) == 1:
            self.fields["brand"].initial = brands[0].pk

    def _post_clean(self):
        # The id is made from the name before the model checks it is valid and unique.
        if not self.cleaned_data.get("slug") and self.cleaned_data.get("name"):
            self.cleaned_data["slug"] = unique_slug(self.cleaned_data["name"])
        super()._post_clean()

    def save_new(self):
        """Save the new template; None when its id was taken meanwhile (the form says so)."""
        return self.create(self.save)


class TemplateDuplicateForm(NewTemplateIdMixin, forms.Form):
    """The name and id of a copy of a template; both proposed, both may be changed."""

    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=MessageTemplate._meta.get_field("name").max_length,
    )
    slug = forms.CharField(
        label=gettext_lazy("Template id"),
        max_length=MessageTemplate._meta.get_field("slug").max_length,
        validators=MessageTemplate._meta.get_field("slug").validators,
        help_text=gettext_lazy("The template_id the API uses for the copy."),
    )

    def __init__(self, source, *args, **kwargs):
        self.source = source
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autofocus"] = True

    @classmethod
    def proposed(cls, source):
        """The values offered for a copy of source: "… (copy)" and a free id."""
        name = _("%(name)s (copy)") % {"name": source.name}
        return {
            "name": name[: MessageTemplate._meta.get_field("name").max_length],
            "slug": unique_slug(f"{source.slug}_copy"),
        }

    def save_new(self):
        """Save the copy; None when its id was taken meanwhile (the form says so)."""
        data = self.cleaned_data
        return self.create(lambda: self.source.duplicate(name=data["name"], slug=data["slug"]))


def _clean_variable(item):
    if not isinstance(item, dict):
        raise forms.ValidationError(_("Each variable must be an object."))
    name = item.get("name", "")
    default = item.get("default")
    sample = item.get("sample", "")
    if not isinstance(name, str) or not (default is None or isinstance(default, str)):
        raise forms.ValidationError(_("Variable names and values must be text."))
    if not isinstance(sample, str):
        raise forms.ValidationError(_("Variable names and values must be text."))
    return {"name": name.strip(), "default": default, "sample": sample}


class TemplateStateForm(forms.ModelForm):
    """What the editor page edits, posted as JSON by its script; drafts may be incomplete."""

    rcs_content = forms.JSONField(required=False)
    variables = forms.JSONField(required=False)

    class Meta:
        model = MessageTemplate
        fields = ["name", "category", *MessageTemplate.CONTENT_FIELDS]

    @classmethod
    def from_state(cls, state, instance):
        """Bind the form to a state dict; fields the state leaves out keep the template's value."""
        current = state_of(instance)
        data = {name: state.get(name, current[name]) for name in cls.Meta.fields}
        for name in ("rcs_content", "variables"):
            data[name] = json.dumps(data[name])
        for name in ("brand", "rcs_ttl_seconds"):
            data[name] = "" if data[name] is None else data[name]
        return cls(data=data, instance=instance)

    def clean_rcs_content(self):
        content = self.cleaned_data.get("rcs_content")
        if content is None:
            return {}
        if not isinstance(content, dict):
            raise forms.ValidationError(_("The message must be a JSON object."))
        return content

    def clean_variables(self):
        items = self.cleaned_data.get("variables") or []
        if not isinstance(items, list):
            raise forms.ValidationError(_("The variables must be a list."))
        return [_clean_variable(item) for item in items]

    def clean_sms_fallback(self):
        # Browsers send \r\n from a textarea; an SMS counts every character.
        return self.cleaned_data.get("sms_fallback", "").replace("\r\n", "\n")

    def valid_fields(self):
        """The fields that passed validation (call after is_valid())."""
        return [name for name in self.Meta.fields if name in self.cleaned_data]


def state_of(template):
    """The editor state of a template: what the page's script edits and posts back."""
    state = {name: getattr(template, name) for name in ("name", "category")}
    for name in MessageTemplate.CONTENT_FIELDS:
        state[name] = getattr(template, template._meta.get_field(name).attname)
    state["rcs_content"] = template.rcs_content or {}
    state["variables"] = template.variables or []
    return state


class MediaUploadForm(forms.Form):
    """One image for a card; editor.media checks what it really is."""

    image = forms.FileField(label=gettext_lazy("Image"))

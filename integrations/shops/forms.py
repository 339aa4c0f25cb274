"""The forms of the shop screens: a shop, and a mapping from a topic to a template."""

from django import forms
from django.utils.translation import gettext_lazy

from editor.models import MessageTemplate
from integrations.shops import mapping as mappings
from integrations.shops.models import Platform, Shop, ShopMapping


class ShopForm(forms.ModelForm):
    platform = forms.ChoiceField(
        label=gettext_lazy("Platform"), choices=Platform.choices, widget=forms.RadioSelect
    )
    webhook_secret = forms.CharField(
        label=gettext_lazy("Webhook secret"),
        max_length=255,
        # Never written back into the page: on edit, an empty field keeps the current secret.
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=gettext_lazy(
            "Shopify: the secret shown under the webhooks of Settings → Notifications (or your "
            "app's client secret). WooCommerce: the secret you type in the webhook's form."
        ),
    )

    class Meta:
        model = Shop
        fields = ["platform", "name", "domain", "webhook_secret", "mode"]
        widgets = {
            "mode": forms.RadioSelect,
            "domain": forms.TextInput(attrs={"placeholder": "boutique.myshopify.com"}),
        }
        help_texts = {
            "mode": gettext_lazy(
                "A test shop writes test contacts and sends through the simulator; a live one "
                "sends real messages."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["webhook_secret"].required = False
            self.fields["webhook_secret"].help_text = gettext_lazy(
                "Leave empty to keep the current secret."
            )

    def clean_webhook_secret(self):
        secret = self.cleaned_data.get("webhook_secret", "").strip()
        return secret or self.instance.webhook_secret

    def clean_domain(self):
        domain = self.cleaned_data["domain"].strip().lower()
        domain = domain.removeprefix("https://").removeprefix("http://").rstrip("/")
        if not domain or " " in domain:
            raise forms.ValidationError(gettext_lazy("Enter the shop's domain, e.g. shop.example."))
        return domain


def published_templates():
    return (
        MessageTemplate.objects.filter(versions__isnull=False)
        .exclude(status=MessageTemplate.Status.ARCHIVED)
        .distinct()
        .order_by("name")
    )


class MappingForm(forms.Form):
    """Topic, status condition and template; then for each declared variable of the template a
    payload field path, or a fixed value, and a default (fields path__x, fixed__x, default__x)."""

    topic = forms.CharField(label=gettext_lazy("Shop event"), max_length=60)
    status = forms.CharField(label=gettext_lazy("Only when the order's status is"), required=False)
    template = forms.ModelChoiceField(
        label=gettext_lazy("Template"),
        queryset=MessageTemplate.objects.none(),
        empty_label=gettext_lazy("Choose a published template"),
    )
    enabled = forms.BooleanField(
        label=gettext_lazy("On: send this template when the event arrives"),
        required=False,
        initial=True,
    )
    consent_meta_key = forms.CharField(
        label=gettext_lazy("Order meta field holding SMS marketing consent"),
        max_length=255,
        required=False,
        help_text=gettext_lazy(
            "Its value yes, 1, true or subscribed is written as an opt-in; unsubscribed or "
            "opt_out as an opt-out; anything else changes nothing."
        ),
    )

    def __init__(self, *args, shop, variables=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.shop = shop
        self.variables = list(variables)
        self.fields["template"].queryset = published_templates()
        self.fields["topic"].widget.attrs["list"] = "shop-topics"
        if shop.platform == Platform.WOOCOMMERCE:
            self.fields["status"].widget = forms.Select(
                choices=[("", gettext_lazy("Any status"))]
                + [(status, status) for status in mappings.WOO_STATUSES]
            )
        else:
            self.fields["status"].help_text = gettext_lazy(
                "Shopify: the order's financial_status (paid, pending…); empty for any."
            )
            del self.fields["consent_meta_key"]
        for variable in self.variables:
            name = variable.name
            self.fields[f"path__{name}"] = forms.CharField(required=False, max_length=300)
            self.fields[f"fixed__{name}"] = forms.CharField(required=False, max_length=300)
            self.fields[f"default__{name}"] = forms.CharField(required=False, max_length=300)

    def rows(self):
        """One row per variable: its name, whether required, its three fields."""
        return [
            {
                "variable": variable,
                "path": self[f"path__{variable.name}"],
                "fixed": self[f"fixed__{variable.name}"],
                "default": self[f"default__{variable.name}"],
            }
            for variable in self.variables
        ]

    def clean_topic(self):
        return self.cleaned_data["topic"].strip()

    def clean(self):
        cleaned = super().clean()
        topic, status = cleaned.get("topic"), cleaned.get("status") or ""
        if topic:
            others = ShopMapping.objects.filter(shop=self.shop, topic=topic, status=status)
            if self.initial.get("mapping_pk"):
                others = others.exclude(pk=self.initial["mapping_pk"])
            if others.exists():
                raise forms.ValidationError(
                    gettext_lazy("This event already has a mapping: edit that one instead.")
                )
        for variable in self.variables:
            name = variable.name
            given = any(
                (cleaned.get(f"{key}__{name}") or "").strip()
                for key in ("path", "fixed", "default")
            )
            # Saved like this, every event would fail on it: say so now, not at the first order.
            if variable.required and not given:
                self.add_error(
                    f"path__{name}",
                    gettext_lazy(
                        "The template requires this variable: choose an order field, a fixed "
                        "value or a default."
                    ),
                )
        return cleaned

    def mapped_fields(self):
        fields = {}
        for variable in self.variables:
            rule = {
                key: self.cleaned_data.get(f"{key}__{variable.name}", "").strip()
                for key in ("path", "fixed", "default")
            }
            fields[variable.name] = {key: value for key, value in rule.items() if value}
        return fields

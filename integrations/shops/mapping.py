"""Which mapping an event uses, and the template variables it gives them from the payload."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integrations.shops import parsing
from integrations.shops.models import Platform

# The topics the mapping screen offers first; any other topic the shop sends can be typed.
TOPICS = {
    Platform.SHOPIFY: {
        "orders/create": gettext_lazy("Order created"),
        "orders/paid": gettext_lazy("Order paid"),
        "orders/fulfilled": gettext_lazy("Order fulfilled"),
        "fulfillments/create": gettext_lazy("Fulfillment created (shipped)"),
        "orders/updated": gettext_lazy("Order updated"),
        "orders/cancelled": gettext_lazy("Order cancelled"),
        "customers/update": gettext_lazy("Customer updated (consent only)"),
    },
    Platform.WOOCOMMERCE: {
        "order.created": gettext_lazy("Order created"),
        "order.updated": gettext_lazy("Order updated (choose the status)"),
    },
}
# WooCommerce order statuses, for the condition of an order.updated mapping.
WOO_STATUSES = ("pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed")
# What each topic is usually for: the template category the screen proposes first.
TOPIC_CATEGORY = {
    "orders/create": "order",
    "order.created": "order",
    "orders/paid": "order",
    "orders/fulfilled": "delivery",
    "fulfillments/create": "delivery",
}
# Variable names the screen fills in by itself, as the library's templates name them.
SUGGESTIONS = {
    "@first_name": ("prenom", "first_name", "firstname", "name", "nom"),
    "@order_number": ("numero_commande", "order_number", "order", "commande"),
    "@total": ("montant", "total", "amount"),
    "@tracking_url": ("lien_suivi", "tracking_url", "tracking_link", "suivi"),
    "@tracking_number": ("numero_colis", "tracking_number", "colis"),
    "@carrier": ("transporteur", "carrier", "tracking_company"),
}


def topic_label(platform, topic):
    return TOPICS.get(platform, {}).get(topic, topic)


def suggest(variable_name):
    """The path the screen proposes for a variable, or ""."""
    for path, names in SUGGESTIONS.items():
        if variable_name.lower() in names:
            return path
    return ""


def find(shop, topic, status):
    """The enabled mapping of topic for this shop: one naming the order's status wins over one
    for any status."""
    candidates = list(shop.mappings.filter(topic=topic, enabled=True))
    for wanted in (status, ""):
        for mapping in candidates:
            if mapping.status == wanted:
                return mapping
    return None


class MappingProblem(Exception):
    """A variable has no value: its field (path, "" when none is chosen) is missing and there
    is no default."""

    def __init__(self, variable, path):
        self.variable = variable
        self.path = path
        super().__init__(
            _(
                "No value for “%(name)s”: the field %(path)s is not in the payload and the "
                "mapping gives no default."
            )
            % {"name": variable, "path": path or _("(none chosen)")}
        )


@dataclass(frozen=True)
class Source:
    path: str = ""
    fixed: str = ""
    default: str = ""


def source_of(mapping, name):
    rule = (mapping.fields or {}).get(name) or {}
    return Source(
        path=str(rule.get("path") or ""),
        fixed=str(rule.get("fixed") or ""),
        default=str(rule.get("default") or ""),
    )


def value_of(source, payload, order):
    """The value for one variable, or None when neither the payload nor the rule gives one."""
    if source.fixed:
        return source.fixed
    if source.path:
        if source.path.startswith("@"):
            value = order.derived.get(source.path, "")
        else:
            value = parsing.resolve(payload, source.path)
            value = "" if value is parsing.MISSING else parsing.as_text(value)
        if value:
            return value
    return source.default or None


def variables_for(mapping, payload, order, declared):
    """{name: value} for the template's declared variables; a variable the rule leaves empty is
    left out, so the template's own default applies; MappingProblem when it has none either."""
    values = {}
    for variable in declared:
        value = value_of(source_of(mapping, variable.name), payload, order)
        if value is not None:
            values[variable.name] = value
        elif variable.required:
            raise MappingProblem(variable.name, source_of(mapping, variable.name).path)
    return values

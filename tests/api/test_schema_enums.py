"""The OpenAPI schema lists the values of every string whose values are fixed in code: each
string property is either an enum taken from the model's choices (or a documented set of the
API's own), or free text on the list below, which a choices field's name never is."""

import pytest
from django.db import models
from django.test import Client

from analytics.conversions import Conversion
from audience.models import Consent, ConsentEntry
from campaigns.models import Campaign
from editor.models import MessageTemplate
from integrations.models import EventType as WebhookEventType
from integrations.models import WebhookEndpoint
from messaging import sms
from messaging.providers.normalized import Channel, EventType, TrafficType
from sending.models import Attempt, Message
from sending.services.snapshot import CONTACT_FIELDS

pytestmark = pytest.mark.django_db

# Text whose values are not fixed in code: names, ids, numbers, URLs, sentences, and the codes
# of errors (open: a new check brings a new code; docs/api.md#errors lists them).
FREE_TEXT = {
    "AttemptOut": {"provider", "provider_message_id", "error_code", "error_text"},
    "BatchErrorOut": {"field", "code", "message"},
    "CampaignIn": {"name", "template_id"},
    "CampaignOut": {"name", "stop_detail", "template_id", "variables"},
    "CapabilitiesIn": {"numbers"},
    "CapabilityOut": {"number", "error"},
    "ConsentEntryOut": {"wording", "ip", "operator"},
    "ConsentIn": {"wording", "ip"},
    "ContactDetailOut": {"phone", "first_name", "last_name", "email", "language"},
    "ContactIn": {"phone", "first_name", "last_name", "email", "language", "attributes"},
    "ContactOut": {"phone", "first_name", "last_name", "email", "language"},
    "ContactSearchOut": {"next"},
    "ConversionIn": {"click_id", "phone", "order_id", "value", "currency"},
    "ConversionOut": {"order_id", "value", "currency"},
    "EndpointIn": {"url", "description"},
    "EndpointOut": {"url", "description", "disabled_reason"},
    "EndpointPatch": {"url", "description"},
    "EndpointWithSecret": {"url", "description", "disabled_reason", "secret"},
    "EventOut": {"cta_id"},
    "ExperimentIn": {"template_id_b"},
    "ExperimentOut": {"template_id_b"},
    "ItemErrorOut": {"field", "code", "message"},
    "ListAddIn": {"phones"},
    "ListIn": {"name"},
    "ListOut": {"name"},
    "ListRefOut": {"name"},
    "MessageAccepted": {"status_url", "external_id"},
    "MessageBatchIn": {"template_id"},
    "MessageIn": {"template_id", "recipient", "variables", "external_id"},
    "MessageListOut": {"next"},
    "MessageListQuery": {"starting_after", "external_id"},
    "MessageOut": {"template_id", "recipient", "external_id", "sms_text"},
    "NoticeOut": {"detail"},
    "Problem": {"type", "title", "detail", "code", "request_id"},
    "ProblemField": {"field", "code", "message"},
    "SegmentCountOut": {"name"},
    "SegmentOut": {"name", "description"},
    "TemplateDetailOut": {"id", "name", "brand", "sms_fallback"},
    "TemplateOut": {"id", "name", "brand"},
    "TrackedLinkOut": {"cta_id", "url", "tracked_url"},
    "VariableOut": {"name", "default", "sample"},
    "VariableRule": {"attribute", "value", "default"},
    "WinnerOut": {"detail"},
}

# Free text that shares its name with a choices field of another model.
NAMED_LIKE_CHOICES = {
    ("Problem", "type"),  # a URN (urn:relais:problem:<code>), not an event's type
    # Any language tag (fr, en, fr-CA), where a template's language is one Relais ships.
    ("ContactIn", "language"),
    ("ContactOut", "language"),
    ("ContactDetailOut", "language"),
}

# Sets of values the API has of its own, not a model's choices.
API_ONLY_ENUMS = {
    frozenset({"accepted", "refused"}),  # a batch recipient's outcome
    frozenset({"created", "updated", "error"}),  # a bulk contact's outcome
    frozenset({"provider", "link"}),  # who reported an event
    frozenset({sms.GSM_7, sms.UCS_2}),
    frozenset({"simulator_receipts_missing", "provider_receipts_missing"}),
    frozenset({"invalid_recipient", "not_a_mobile_number", "country_not_allowed"}),
    frozenset(CONTACT_FIELDS),
    frozenset({"rcs_with_fallback", "rcs_only", "sms_only"}),  # Message.Policy, as editor has it
}

# Where an enum comes whole from a model's choices: it must list exactly those values.
FROM_CHOICES = {
    ("MessageOut", "status"): Message.Status,
    ("MessageOut", "status_reason"): Message.Reason,
    ("MessageOut", "fallback_reason"): Message.FallbackReason,
    ("MessageOut", "channel"): Channel,
    ("AttemptOut", "status"): Attempt.Status,
    ("EventOut", "type"): EventType,
    ("TrackedLinkOut", "channel"): Channel,
    ("TemplateOut", "status"): MessageTemplate.Status,
    ("TemplateOut", "category"): MessageTemplate.Category,
    ("TemplateOut", "traffic_type"): TrafficType,
    ("ChannelConsentOut", "status"): Consent,
    ("ConsentEntryOut", "status"): ConsentEntry.Kind,
    ("ConsentEntryOut", "channel"): ConsentEntry.Scope,
    ("ConsentEntryOut", "source"): ConsentEntry.Source,
    ("ConsentIn", "status"): ConsentEntry.Kind,
    ("ConsentIn", "channel"): ConsentEntry.Scope,
    ("CampaignOut", "status"): Campaign.Status,
    ("CampaignOut", "policy"): Message.Policy,
    ("ExperimentOut", "kind"): Campaign.Experiment,
    ("ExperimentIn", "kind"): Campaign.Experiment,
    ("RolloutOut", "then"): Campaign.RolloutMode,
    ("RolloutIn", "then"): Campaign.RolloutMode,
    ("WinnerOut", "if_unclear"): Campaign.IfUnclear,
    ("WinnerIn", "if_unclear"): Campaign.IfUnclear,
    ("ConversionOut", "matched_by"): Conversion.MatchedBy,
    ("ConversionOut", "attributed_by"): Conversion.AttributedBy,
    ("ConversionOut", "source"): Conversion.Source,
    ("EndpointOut", "mode"): WebhookEndpoint.Mode,
    ("EndpointOut", "events"): WebhookEventType,
    ("EndpointIn", "events"): WebhookEventType,
}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return Client().get("/api/v1/openapi.json").json()


def resolve(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def string_leaves(schema, node):
    """The string schemas a property may hold: through $ref, anyOf, items and maps."""
    node = resolve(schema, node)
    if "enum" in node or "const" in node or node.get("type") == "string":
        yield node
    for branch in node.get("anyOf", []) + node.get("allOf", []):
        yield from string_leaves(schema, branch)
    if isinstance(node.get("items"), dict):
        yield from string_leaves(schema, node["items"])
    if isinstance(node.get("additionalProperties"), dict):
        yield from string_leaves(schema, node["additionalProperties"])


def properties(schema):
    for component, body in schema["components"]["schemas"].items():
        for name, node in body.get("properties", {}).items():
            yield component, name, node
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            for parameter in operation["parameters"]:
                if parameter["in"] == "query":
                    yield f"{method.upper()} {path}", parameter["name"], parameter["schema"]


def is_free(leaf):
    return "enum" not in leaf and "const" not in leaf and "format" not in leaf


def all_choices():
    found, pending = [], list(models.TextChoices.__subclasses__())
    while pending:
        choices = pending.pop()
        found.append(choices)
        pending.extend(choices.__subclasses__())
    return found


def choices_field_names():
    """The names of our models' fields whose values are a fixed set (status, channel…)."""
    from django.apps import apps

    ours = {"accounts", "analytics", "api", "audience", "campaigns", "editor", "integrations"}
    ours |= {"sending", "shops"}
    return {
        field.name
        for model in apps.get_models()
        if model._meta.app_label in ours
        for field in model._meta.get_fields()
        if getattr(field, "choices", None)
    }


def test_every_string_with_fixed_values_lists_them(schema):
    unlisted = sorted(
        f"{component}.{name}"
        for component, name, node in properties(schema)
        if any(is_free(leaf) for leaf in string_leaves(schema, node))
        and name not in FREE_TEXT.get(component, set())
        and not component.startswith(("GET ", "POST "))
    )
    assert unlisted == [], "list their values (api.types.one_of) or add them to FREE_TEXT"


def test_no_free_text_is_named_like_a_choices_field():
    named = choices_field_names()
    assert {"status", "channel", "source", "mode", "policy", "kind"} <= named
    clashes = {
        f"{component}.{name}"
        for component, names in FREE_TEXT.items()
        for name in names & named
        if (component, name) not in NAMED_LIKE_CHOICES
    }
    assert clashes == set()


def test_query_parameters_with_fixed_values_list_them(schema):
    named = choices_field_names()
    for component, name, node in properties(schema):
        if component.startswith(("GET ", "POST ")) and name in named:
            leaves = list(string_leaves(schema, node))
            assert leaves and not any(is_free(leaf) for leaf in leaves), (component, name)


def enum_values(schema, node):
    values = set()
    for leaf in string_leaves(schema, node):
        values |= set(leaf.get("enum", []))
        if "const" in leaf:
            values.add(leaf["const"])
    return values - {"", None}


def test_every_enum_holds_values_the_code_has(schema):
    known = [frozenset(choices.values) for choices in all_choices()] + list(API_ONLY_ENUMS)
    for component, name, node in properties(schema):
        values = enum_values(schema, node)
        if values and name != "Idempotent-Replayed":
            assert any(values <= known_set for known_set in known), (component, name, values)


def test_enums_taken_from_a_models_choices_list_all_of_them(schema):
    nodes = {(component, name): node for component, name, node in properties(schema)}
    for where, choices in FROM_CHOICES.items():
        assert enum_values(schema, nodes[where]) == set(choices.values) - {""}, where


def test_a_blank_value_is_listed_where_the_api_answers_one(schema):
    campaign = schema["components"]["schemas"]["CampaignOut"]["properties"]
    assert "" in campaign["stop_reason"]["enum"]
    winner = schema["components"]["schemas"]["WinnerOut"]["properties"]["winner"]
    assert set(winner["enum"]) == {"a", "b", ""}


def test_a_refused_enum_value_names_the_allowed_ones(api, english):
    response = api.post(
        "/api/v1/contacts",
        {"phone": "+33612345601", "consent": {"status": "maybe", "wording": "Oui"}},
        content_type="application/json",
    )
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "consent.status"
    assert "'opt_in'" in error["message"] and "'opt_out'" in error["message"]

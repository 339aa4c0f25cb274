"""What the segment builder screen draws: rules turned into rows (with their errors in place),
the inputs each condition kind needs, and the attribute keys worth offering."""

import json

from django.utils.translation import gettext_lazy

from audience.models import Contact
from audience.segment_attributes import ATTRIBUTE_PREFIX, COLUMNS, OPS, attribute_key
from audience.segments import MATCH_ALL, Param, condition_kind, condition_kinds

# Enough recent contacts to see which attributes a file brought in, few enough to read fast.
ATTRIBUTE_SAMPLE = 500
VALUE_KINDS = {"within_days": "days", "is_set": "bool"}


def known_attribute_keys(test_mode, rules=None):
    """The free attribute keys of the most recent contacts, and those the rules use."""
    keys = set()
    recent = Contact.objects.in_mode(test_mode).order_by("-pk")
    for attributes in recent.values_list("attributes", flat=True)[:ATTRIBUTE_SAMPLE]:
        if isinstance(attributes, dict):
            keys.update(str(key) for key in attributes)
    for condition in _conditions(rules or {}):
        key = attribute_key(condition.get("field"))
        if condition.get("kind") == "attribute" and key:
            keys.add(key)
    return sorted(keys, key=str.lower)


def _conditions(rules):
    for item in rules.get("conditions", []) if isinstance(rules, dict) else []:
        if isinstance(item, dict) and "kind" not in item:
            yield from _conditions(item)
        elif isinstance(item, dict):
            yield item


def builder_tree(rules, test_mode, *, errors=None, segment=None):
    """The rules as a tree of groups and condition rows for templates/audience/_segment_*.html,
    each with the error messages found at its path."""
    errors = errors or {}
    context = _Context(test_mode, errors, segment)
    if not isinstance(rules, dict) or not isinstance(rules.get("conditions"), list):
        rules = {"match": MATCH_ALL, "conditions": []}
    return _group(rules, "", context, depth=1)


class _Context:
    def __init__(self, test_mode, errors, segment):
        self.test_mode = test_mode
        self.errors = errors
        self.segment = segment
        self.options = {}

    def options_of(self, param):
        if param.name not in self.options:
            options = param.options(self.test_mode)
            if param.name == "segment_id" and self.segment is not None:
                options = [item for item in options if item[0] != self.segment.pk]
            self.options[param.name] = [(value, str(label)) for value, label in options]
        return self.options[param.name]

    def errors_under(self, path):
        """Messages at path and at its own fields (path.op, path.value), not deeper groups."""
        found = []
        for where, messages in self.errors.items():
            rest = where[len(path) :] if where.startswith(path) else None
            if where == path or (rest is not None and rest.startswith(".") and "[" not in rest):
                found.extend(messages)
        return found


def _join(path, part):
    return f"{path}.{part}" if path else part


def _group(rules, path, context, depth):
    items = []
    conditions = rules.get("conditions")
    for index, item in enumerate(conditions if isinstance(conditions, list) else []):
        item_path = f"{_join(path, 'conditions')}[{index}]"
        if isinstance(item, dict) and "kind" not in item and "match" in item:
            items.append(_group(item, item_path, context, depth + 1))
        else:
            items.append(condition_row(item if isinstance(item, dict) else {}, item_path, context))
    return {
        "is_group": True,
        "path": path,
        "match": rules.get("match", MATCH_ALL),
        "items": items,
        "depth": depth,
        "errors": [
            message
            for where in (_join(path, "match"), _join(path, "conditions"))
            for message in context.errors.get(where, [])
        ]
        + context.errors.get(path, []),
    }


def condition_row(condition, path, context):
    """One condition as the builder draws it (its kind, its inputs filled in, its errors)."""
    kind = condition.get("kind")
    spec = condition_kind(kind)
    row = {
        "is_group": False,
        "path": path,
        "kind": kind if spec else "",
        "known": spec is not None,
        "errors": context.errors_under(path),
        # A kind no app registers any more (its app removed) is kept as it is, not dropped.
        "raw": "" if spec else json.dumps(condition),
    }
    if kind == "attribute":
        row.update(_attribute_row(condition))
    elif kind == "country":
        value = condition.get("value")
        row["codes"] = ", ".join(map(str, value)) if isinstance(value, list) else ""
    elif spec is not None:
        row["params"] = [_param_input(param, condition, context) for param in spec.params]
    return row


def _attribute_row(condition):
    field = condition.get("field") if isinstance(condition.get("field"), str) else "first_name"
    op = condition.get("op") if isinstance(condition.get("op"), str) else ""
    op = op if op in OPS else "equals"
    value = condition.get("value")
    if isinstance(value, list):
        text = ", ".join(map(str, value))
    elif value is None or isinstance(value, bool):
        text = ""
    else:
        text = str(value)
    return {
        "field": field,
        "op": op,
        "value_kind": VALUE_KINDS.get(op, "text"),
        "text": text,
        "days": value if op == "within_days" and isinstance(value, int) else 30,
        "is_set": value is not False,
    }


def _param_input(param, condition, context):
    value = condition.get(param.name, param.default)
    entry = {"name": param.name, "label": str(param.label), "value": value}
    if param.type == Param.CHOICE:
        entry["input"] = "select"
        entry["options"] = context.options_of(param)
        entry["numeric"] = callable(param.choices)
    elif param.type == Param.INT:
        entry["input"] = "number"
        entry["min"], entry["max"] = param.min_value, param.max_value
    else:
        entry["input"] = "text"
    return entry


def kind_templates(test_mode, segment=None):
    """A blank row of each kind, for the builder's "add a condition" (one <template> each)."""
    context = _Context(test_mode, {}, segment)
    return [
        {"spec": spec, "row": condition_row({"kind": spec.kind}, "", context)}
        for spec in condition_kinds()
    ]


def kind_choices():
    return [(spec.kind, str(spec.label)) for spec in condition_kinds()]


def field_choices(keys):
    columns = [(name, str(label)) for name, label in COLUMNS.items()]
    attributes = [(f"{ATTRIBUTE_PREFIX}{key}", key) for key in keys]
    return columns, attributes


OTHER_ATTRIBUTE = gettext_lazy("Another attribute…")

"""The `attribute` condition kind: a contact's name, email, language or one of its free
attributes compared to a value, with types made explicit so PostgreSQL and SQLite agree.

- Text compares case-insensitively (equals, contains, in).
- A number (equals, in, gt, lt) compares numbers: the attribute counts when it holds a JSON
  number or a numeric text ("42", "42.5", "42,5"), cast to a float in SQL; any other text
  matches nothing (it is never read as 0).
- A date (gt, lt with "YYYY-MM-DD"; within_days with N) compares ISO dates as text: the
  attribute counts when it starts with YYYY-MM-DD (a date or an ISO datetime).
- is_set: present, not null and not empty (value false: the opposite).
"""

import json
import operator
import re
from datetime import date, timedelta
from functools import reduce

from django.db.models import Case, F, FloatField, Func, Q, TextField, Value, When
from django.db.models.functions import Cast, Replace, Substr
from django.db.models.lookups import (
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
    IContains,
    IExact,
    IsNull,
    LessThan,
    LessThanOrEqual,
    Regex,
)
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

COLUMNS = {
    "first_name": gettext_lazy("first name"),
    "last_name": gettext_lazy("last name"),
    "email": gettext_lazy("email"),
    "language": gettext_lazy("language"),
}
ATTRIBUTE_PREFIX = "attributes."
OPS = {
    "equals": gettext_lazy("is"),
    "contains": gettext_lazy("contains"),
    "in": gettext_lazy("is one of"),
    "gt": gettext_lazy("is more than / after"),
    "lt": gettext_lazy("is less than / before"),
    "within_days": gettext_lazy("is a date in the last"),
    "is_set": gettext_lazy("is set"),
}
# Only free attributes hold numbers and dates; names and emails are text.
ATTRIBUTE_ONLY_OPS = {"gt", "lt", "within_days"}
MAX_IN_VALUES = 500
MAX_DAYS = 36_500
NUMERIC_TEXT = r"^ *-?[0-9]+([.][0-9]+)? *$"
ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}"
ISO_DATE_VALUE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def attribute_key(field):
    """The attribute's key for "attributes.<key>", else None."""
    if isinstance(field, str) and field.startswith(ATTRIBUTE_PREFIX):
        return field[len(ATTRIBUTE_PREFIX) :] or None
    return None


def check_attribute(condition, path, checking):
    field, op = condition.get("field"), condition.get("op")
    field = field if isinstance(field, str) else ""
    op = op if isinstance(op, str) else ""
    key = attribute_key(field)
    if field not in COLUMNS and key is None:
        names = ", ".join([*COLUMNS, "attributes.<key>"])
        return [(f"{path}.field", _("give one of: %(names)s") % {"names": names})]
    if key is not None and (len(key) > 100 or not key.isprintable()):
        return [(f"{path}.field", _("an attribute key is 1 to 100 printable characters"))]
    if op not in OPS:
        return [(f"{path}.op", _("give one of: %(ops)s") % {"ops": ", ".join(OPS)})]
    if op in ATTRIBUTE_ONLY_OPS and key is None:
        message = _("%(op)s applies to attributes, not to %(field)s")
        return [(f"{path}.op", message % {"op": op, "field": field})]
    message = _check_value(op, condition.get("value", _MISSING))
    return [(f"{path}.value", message)] if message else []


_MISSING = object()


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_value(op, value):
    if value is _MISSING:
        return None if op == "is_set" else _("required")
    if op == "is_set":
        return None if isinstance(value, bool) else _("give true or false")
    if op == "within_days":
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_DAYS:
            return _("give a number of days from 0 to %(max)d") % {"max": MAX_DAYS}
        return None
    if op in ("gt", "lt"):
        if _is_number(value) or _iso_date(value):
            return None
        return _("give a number, or a date as YYYY-MM-DD")
    if op == "in":
        if not isinstance(value, list) or not 1 <= len(value) <= MAX_IN_VALUES:
            return _("give a list of 1 to %(max)d values") % {"max": MAX_IN_VALUES}
        if not all(_is_number(item) or (isinstance(item, str) and item) for item in value):
            return _("each value is a text or a number")
        return None
    if op == "contains" and not (isinstance(value, str) and value):
        return _("give a text")
    if not (_is_number(value) or (isinstance(value, str) and value)):
        return _("give a text or a number")
    return None


def _iso_date(value):
    if not isinstance(value, str) or not ISO_DATE_VALUE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


class AttributeText(Func):
    """One free attribute as SQL text, NULL when missing or JSON null, alike on both databases
    (Django's key transform gives the text 'null' for a JSON null on SQLite)."""

    output_field = TextField()

    def __init__(self, key):
        self.key = key
        super().__init__(F("attributes"))

    def as_sql(self, compiler, connection, **extra):
        # PostgreSQL's ->> gives text, and NULL for a JSON null.
        column, params = compiler.compile(self.source_expressions[0])
        return f"({column} ->> %s)", (*params, self.key)

    def as_sqlite(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        path = "$." + json.dumps(self.key)
        sql = (
            f"(CASE JSON_TYPE({column}, %s) WHEN 'null' THEN NULL WHEN 'true' THEN 'true' "
            f"WHEN 'false' THEN 'false' ELSE CAST(JSON_EXTRACT({column}, %s) AS TEXT) END)"
        )
        return sql, (*params, path, *params, path)


def _lhs(field):
    key = attribute_key(field)
    return F(field) if key is None else AttributeText(key)


def _as_number(lhs):
    """The value as a float when it is a number (or a numeric text), else NULL: casting any
    other text would fail on PostgreSQL and read as 0 on SQLite."""
    text = Replace(lhs, Value(","), Value("."), output_field=TextField())
    return Case(
        When(Regex(text, NUMERIC_TEXT), then=Cast(text, FloatField())),
        default=Value(None, output_field=FloatField()),
        output_field=FloatField(),
    )


def _date_part(lhs):
    return Substr(lhs, 1, 10)


def _equals(lhs, value):
    if _is_number(value):
        return Q(Exact(_as_number(lhs), float(value)))
    return Q(IExact(lhs, value))


def compile_attribute(condition, context):
    field, op, value = condition["field"], condition["op"], condition.get("value", True)
    lhs = _lhs(field)
    if op == "equals":
        return _equals(lhs, value)
    if op == "contains":
        return Q(IContains(lhs, value))
    if op == "in":
        return reduce(operator.or_, [_equals(lhs, item) for item in value])
    if op in ("gt", "lt"):
        lookup = GreaterThan if op == "gt" else LessThan
        if _is_number(value):
            return Q(lookup(_as_number(lhs), float(value)))
        return Q(Regex(lhs, ISO_DATE)) & Q(lookup(_date_part(lhs), value))
    if op == "within_days":
        today = context.today()
        since = today - timedelta(days=value)
        return (
            Q(Regex(lhs, ISO_DATE))
            & Q(GreaterThanOrEqual(_date_part(lhs), since.isoformat()))
            & Q(LessThanOrEqual(_date_part(lhs), today.isoformat()))
        )
    is_set = Q(IsNull(lhs, False)) & ~Q(Exact(lhs, ""))
    if value:
        return is_set
    return Q(IsNull(lhs, True)) | Q(Exact(lhs, ""))

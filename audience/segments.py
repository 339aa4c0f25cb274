"""Segment rules: their shape, the registry of condition kinds, and the compiler that turns
rules into one Q over Contact (no contact is loaded into Python to filter it).

Rules are `{"match": "all"|"any", "conditions": [...]}`; each condition is either a group of
the same shape or `{"kind": "<kind>", ...params}`. An empty group matches every contact.

The kinds audience knows are registered by audience.segment_conditions. An app above
audience adds its own without audience importing it: it calls `register_condition` from its
AppConfig.ready() (see sending.segment_conditions, "received a message"):

    register_condition(
        "received",
        compile_received,               # (condition, context) -> Q over Contact
        label=gettext_lazy("Received a message"),
        params=[Param("within_days", gettext_lazy("in the last N days"), type=Param.INT)],
    )

Params describe the condition's fields: the validator checks them and the segment builder
draws an input for each. A kind with params the generic checks cannot express passes
`check(condition, path, context)` returning a list of (path, message).
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

MATCH_ALL = "all"
MATCH_ANY = "any"
# How deep groups may nest: deeper is no clearer, and a bound keeps the compiler's recursion
# (and the builder's screen) small.
MAX_DEPTH = 4
MAX_CONDITIONS = 100


class RulesError(ValidationError):
    """Rules that cannot be compiled; each message names the bad part ("conditions[2].op: ...").

    `by_path` maps each bad part's path to its messages, for a screen to show them in place.
    """

    def __init__(self, problems):
        self.by_path = {}
        for path, message in problems:
            self.by_path.setdefault(path, []).append(str(message))
        super().__init__(
            [f"{path}: {message}" if path else str(message) for path, message in problems]
        )


@dataclass(frozen=True)
class Param:
    """One field of a condition kind: its JSON name, its label and what it accepts."""

    INT = "int"
    CHOICE = "choice"
    TEXT = "text"

    name: str
    label: str
    type: str = TEXT
    # For CHOICE: (value, label) pairs, or a callable (test_mode) -> pairs (lists, segments).
    choices: object = ()
    min_value: int | None = None
    max_value: int | None = None
    default: object = None

    def options(self, test_mode):
        return list(self.choices(test_mode) if callable(self.choices) else self.choices)


@dataclass(frozen=True)
class ConditionKind:
    kind: str
    compiler: object
    label: str
    params: tuple = ()
    check: object = None
    # The order kinds are offered in the builder (registration order breaks ties).
    order: int = 100


_KINDS = {}


def register_condition(kind, compiler, label, params=(), *, check=None, order=100):
    """Make a condition kind known to the validator, the compiler and the builder.

    compiler(condition, context) returns a Q over Contact (an Exists subquery for anything
    stored in another table); context is a CompileContext.
    """
    _KINDS[kind] = ConditionKind(kind, compiler, label, tuple(params), check, order)


def condition_kinds():
    """The registered kinds, in the order the builder offers them."""
    return sorted(_KINDS.values(), key=lambda item: item.order)


def condition_kind(kind):
    """The registered kind of that name, or None (also for a kind that is not a text)."""
    return _KINDS.get(kind) if isinstance(kind, str) else None


@dataclass
class CompileContext:
    """What a condition compiler may use: the mode, one `now` for the whole rule set, the
    segments being compiled (cycle guard), and a way to compile nested rules."""

    test_mode: bool
    now: datetime = field(default_factory=timezone.now)
    stack: tuple = ()

    def today(self):
        return timezone.localdate(self.now)

    def compile(self, rules, path="", stack=()):
        """Compile nested rules (another segment's) with this context."""
        nested = CompileContext(self.test_mode, self.now, self.stack + tuple(stack))
        return _compile_group(rules, nested, path)


def validate_rules(rules, *, test_mode=None, segment=None):
    """Raise RulesError naming every bad part of rules; with test_mode, also check that the
    lists and segments they name exist in that mode (and that segments do not loop)."""
    problems = []
    _check_group(rules, "", 1, problems, _Checking(test_mode, segment))
    if problems:
        raise RulesError(problems)


def compile_rules(rules, test_mode, *, segment=None, now=None):
    """A Q over Contact matching rules (add `Contact.objects.in_mode(test_mode)` around it).

    Raises RulesError on rules that do not validate, or that name a segment that is gone (or
    loop): a send never reaches "everyone" because a condition could not be read. A list that
    is gone has no members: its condition matches nobody.
    """
    validate_rules(rules)
    stack = (segment.pk,) if segment is not None and segment.pk else ()
    context = CompileContext(bool(test_mode), now or timezone.now(), stack)
    return _compile_group(rules, context, "")


@dataclass
class _Checking:
    test_mode: bool | None
    segment: object
    count: int = 0


def _join(path, part):
    return f"{path}.{part}" if path else part


def _check_group(rules, path, depth, problems, checking):
    if not isinstance(rules, dict):
        problems.append((path, _("a group must be an object with match and conditions")))
        return
    if not isinstance(rules.get("match"), str) or rules["match"] not in (MATCH_ALL, MATCH_ANY):
        problems.append((_join(path, "match"), _('give "all" or "any"')))
    conditions = rules.get("conditions")
    if not isinstance(conditions, list):
        problems.append((_join(path, "conditions"), _("give a list of conditions")))
        return
    for index, condition in enumerate(conditions):
        item = f"{_join(path, 'conditions')}[{index}]"
        checking.count += 1
        if checking.count > MAX_CONDITIONS:
            problems.append((item, _("at most %(max)d conditions") % {"max": MAX_CONDITIONS}))
            return
        if isinstance(condition, dict) and "kind" not in condition and "match" in condition:
            if depth >= MAX_DEPTH:
                problems.append((item, _("groups nest %(max)d deep at most") % {"max": MAX_DEPTH}))
            else:
                _check_group(condition, item, depth + 1, problems, checking)
            continue
        _check_condition(condition, item, problems, checking)


def _check_condition(condition, path, problems, checking):
    if not isinstance(condition, dict):
        problems.append((path, _("a condition must be an object with a kind")))
        return
    spec = condition_kind(condition.get("kind"))
    if spec is None:
        known = ", ".join(sorted(_KINDS))
        message = _("unknown kind; known: %(kinds)s") % {"kinds": known}
        problems.append((_join(path, "kind"), message))
        return
    for param in spec.params:
        problems.extend(_check_param(param, condition, path, checking.test_mode))
    if spec.check is not None:
        problems.extend(spec.check(condition, path, checking))


def _check_param(param, condition, path, test_mode):
    if param.type == Param.CHOICE and callable(param.choices):
        return []  # Rows of the database (lists, segments): the kind's own check reads them.
    where = _join(path, param.name)
    if param.name not in condition:
        return [(where, _("required"))]
    value = condition[param.name]
    if param.type == Param.INT:
        if isinstance(value, bool) or not isinstance(value, int):
            return [(where, _("give a whole number"))]
        if param.min_value is not None and value < param.min_value:
            return [(where, _("give %(min)d or more") % {"min": param.min_value})]
        if param.max_value is not None and value > param.max_value:
            return [(where, _("give %(max)d or less") % {"max": param.max_value})]
    elif param.type == Param.CHOICE:
        if value not in [choice for choice, _label in param.options(test_mode)]:
            allowed = ", ".join(str(choice) for choice, _label in param.options(test_mode))
            return [(where, _("give one of: %(allowed)s") % {"allowed": allowed})]
    elif not isinstance(value, str) or not value.strip():
        return [(where, _("give a text"))]
    return []


def _compile_group(rules, context, path):
    parts = []
    for index, condition in enumerate(rules["conditions"]):
        item = f"{_join(path, 'conditions')}[{index}]"
        if "kind" not in condition:
            parts.append(_compile_group(condition, context, item))
        else:
            parts.append(_KINDS[condition["kind"]].compiler(condition, context))
    if not parts:
        # An empty group matches everyone, also inside an "any" group (where Q() would vanish).
        return Q(pk__isnull=False)
    combined = parts[0]
    for part in parts[1:]:
        combined = combined & part if rules["match"] == MATCH_ALL else combined | part
    return combined

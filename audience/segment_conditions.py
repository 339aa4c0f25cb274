"""The condition kinds audience knows (registered by AudienceConfig.ready()): list
membership, RCS capability, consent, phone country, contact attributes and other segments.
Each compiles to a Q over Contact; see audience.segments for the registry."""

import operator
from functools import reduce

import phonenumbers
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audience.models import (
    CAPABILITY_MAX_AGE,
    CONSENT_COLUMNS,
    Consent,
    ContactList,
    ListMembership,
    Segment,
)
from audience.segment_attributes import check_attribute, compile_attribute
from audience.segments import Param, RulesError, register_condition, validate_rules
from messaging.providers.normalized import Channel


def _list_choices(test_mode):
    return list(ContactList.objects.filter(test_mode=bool(test_mode)).values_list("pk", "name"))


def check_list(condition, path, checking):
    list_id = condition.get("list_id")
    if isinstance(list_id, bool) or not isinstance(list_id, int):
        return [(f"{path}.list_id", _("give the id of a list"))]
    if (
        checking.test_mode is not None
        and not ContactList.objects.filter(pk=list_id, test_mode=bool(checking.test_mode)).exists()
    ):
        return [(f"{path}.list_id", _("no list has this id (it may have been deleted)"))]
    return []


def compile_list(condition, context):
    return Q(
        Exists(
            ListMembership.objects.filter(
                contact=OuterRef("pk"), contact_list_id=condition["list_id"]
            )
        )
    )


RCS_YES, RCS_NO, RCS_UNKNOWN = "yes", "no", "unknown"


def compile_rcs_capable(condition, context):
    # As Contact.known_rcs_capable: an answer older than 31 days counts as none.
    fresh = Q(rcs_checked_at__gte=context.now - CAPABILITY_MAX_AGE)
    if condition["value"] == RCS_YES:
        return fresh & Q(rcs_capable=True)
    if condition["value"] == RCS_NO:
        return fresh & Q(rcs_capable=False)
    return ~fresh | Q(rcs_checked_at__isnull=True) | Q(rcs_capable__isnull=True)


def compile_consent(condition, context):
    column = CONSENT_COLUMNS[Channel(condition["channel"])][0]
    return Q(**{column: condition["value"]})


def check_country(condition, path, checking):
    regions = condition.get("value")
    if not isinstance(regions, list) or not regions:
        return [(f"{path}.value", _('give a list of country codes, e.g. ["FR"]'))]
    unknown = [
        str(region)
        for region in regions
        if not isinstance(region, str) or region.upper() not in phonenumbers.SUPPORTED_REGIONS
    ]
    if unknown:
        message = _("unknown country code: %(codes)s") % {"codes": ", ".join(unknown)}
        return [(f"{path}.value", message)]
    return []


def calling_codes(regions):
    """The international prefixes (+33, ...) of countries; some countries share one (+1)."""
    return sorted({phonenumbers.country_code_for_region(region.upper()) for region in regions})


def compile_country(condition, context):
    # Phones are E.164, so the country is the calling code that starts the number.
    return reduce(
        operator.or_,
        [Q(phone__startswith=f"+{code}") for code in calling_codes(condition["value"])],
    )


def _segment_choices(test_mode):
    return list(Segment.objects.in_mode(test_mode).values_list("pk", "name"))


def referenced_segments(rules):
    """The ids of the segments rules name (not those the named segments name in turn)."""
    found = []
    for condition in rules.get("conditions", []) if isinstance(rules, dict) else []:
        if not isinstance(condition, dict):
            continue
        if "kind" not in condition:
            found.extend(referenced_segments(condition))
        elif condition["kind"] == "segment" and isinstance(condition.get("segment_id"), int):
            found.append(condition["segment_id"])
    return found


def check_segment(condition, path, checking):
    where = f"{path}.segment_id"
    segment_id = condition.get("segment_id")
    if isinstance(segment_id, bool) or not isinstance(segment_id, int):
        return [(where, _("give the id of a segment"))]
    own = getattr(checking.segment, "pk", None)
    if segment_id == own:
        return [(where, _("a segment cannot contain itself"))]
    if checking.test_mode is None:
        return []
    segments = Segment.objects.in_mode(checking.test_mode)
    if not segments.filter(pk=segment_id).exists():
        return [(where, _("no segment has this id (it may have been deleted)"))]
    # Follow what the named segment names in turn: reaching this segment again would loop.
    seen, todo = set(), [segment_id]
    while todo and own is not None:
        rules = dict(segments.filter(pk__in=todo).values_list("pk", "rules"))
        seen.update(todo)
        todo = [pk for rules in rules.values() for pk in referenced_segments(rules)]
        if own in todo:
            return [(where, _("that segment contains this one: the rules would loop"))]
        todo = [pk for pk in todo if pk not in seen]
    return []


def compile_segment(condition, context):
    segment_id = condition["segment_id"]
    if segment_id in context.stack:
        raise RulesError([("", _("segments contain each other: the rules loop"))])
    segment = Segment.objects.in_mode(context.test_mode).filter(pk=segment_id).first()
    if segment is None:
        raise RulesError([("", _("a segment these rules name is gone"))])
    try:
        # Its rules were checked when it was saved, but a kind may have gone since.
        validate_rules(segment.rules)
    except RulesError:
        message = _("the segment “%(name)s” has rules to fix") % {"name": segment.name}
        raise RulesError([("", message)]) from None
    return context.compile(segment.rules, stack=(segment_id,))


def register():
    """Make audience's own kinds known (AudienceConfig.ready())."""
    register_condition(
        "attribute",
        compile_attribute,
        gettext_lazy("Contact field"),
        check=check_attribute,
        order=0,
    )
    register_condition(
        "list",
        compile_list,
        gettext_lazy("On the list"),
        [Param("list_id", gettext_lazy("list"), type=Param.CHOICE, choices=_list_choices)],
        check=check_list,
        order=10,
    )
    register_condition(
        "rcs_capable",
        compile_rcs_capable,
        gettext_lazy("Can receive RCS"),
        [
            Param(
                "value",
                gettext_lazy("RCS"),
                type=Param.CHOICE,
                choices=[
                    (RCS_YES, gettext_lazy("yes")),
                    (RCS_NO, gettext_lazy("no")),
                    (RCS_UNKNOWN, gettext_lazy("unknown")),
                ],
            )
        ],
        order=30,
    )
    register_condition(
        "consent",
        compile_consent,
        gettext_lazy("Consent"),
        [
            Param(
                "channel",
                gettext_lazy("channel"),
                type=Param.CHOICE,
                choices=[(str(Channel.SMS), "SMS"), (str(Channel.RCS), "RCS")],
            ),
            Param("value", gettext_lazy("consent"), type=Param.CHOICE, choices=Consent.choices),
        ],
        order=40,
    )
    register_condition(
        "country",
        compile_country,
        gettext_lazy("Phone country"),
        check=check_country,
        order=20,
    )
    register_condition(
        "segment",
        compile_segment,
        gettext_lazy("In the segment"),
        [Param("segment_id", gettext_lazy("segment"), type=Param.CHOICE, choices=_segment_choices)],
        check=check_segment,
        order=50,
    )

"""The two segments an audit's result makes with one click: "<audience> — RCS" and
"<audience> — not RCS".

Together they split the audience in two with nobody left out or counted twice: "RCS" is the
contacts whose cached capability says yes (checked in the last 31 days); "not RCS" is all the
others, the ones that said no and the ones nobody could tell about (unknown), so a campaign
sent RCS-first to the one and SMS to the other reaches everyone. Both stay dynamic: after 31
days an answer counts as unknown, and its contact moves from "RCS" to "not RCS" until a new
audit (or a send) learns it again.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from audience.models import CapabilityAudit, Segment
from audience.segment_conditions import RCS_NO, RCS_UNKNOWN, RCS_YES
from audience.segments import MATCH_ALL, MATCH_ANY

NAME_MAX = Segment._meta.get_field("name").max_length


def audience_condition(audit):
    """The rule that picks the audit's audience: its list, or its segment."""
    if audit.contact_list_id is not None:
        return {"kind": "list", "list_id": audit.contact_list_id}
    # A reference, not a copy: the two segments follow later edits of the audited one.
    return {"kind": "segment", "segment_id": audit.segment_id}


def split_rules(audit):
    """(rules of "RCS", rules of "not RCS") for the audit's audience."""
    audience = audience_condition(audit)
    rcs = {"match": MATCH_ALL, "conditions": [audience, {"kind": "rcs_capable", "value": RCS_YES}]}
    not_rcs = {
        "match": MATCH_ALL,
        "conditions": [
            audience,
            {
                "match": MATCH_ANY,
                "conditions": [
                    {"kind": "rcs_capable", "value": RCS_NO},
                    {"kind": "rcs_capable", "value": RCS_UNKNOWN},
                ],
            },
        ],
    }
    return rcs, not_rcs


def create_audit_segments(audit):
    """Make (or find again) the audit's two segments; return (rcs, not_rcs).

    Clicking twice makes no second pair; a name already taken by another segment gets a number.
    """
    if audit.status != CapabilityAudit.Status.DONE:
        raise ValueError("Only a finished audit makes segments.")
    with transaction.atomic():
        audit = CapabilityAudit.objects.select_for_update().get(pk=audit.pk)
        if audit.rcs_segment_id and audit.other_segment_id:
            return audit.rcs_segment, audit.other_segment
        rcs_rules, other_rules = split_rules(audit)
        name = str(audit.audience_name)
        description = _("Made by the capability audit of %(date)s.") % {
            "date": audit.finished.strftime("%Y-%m-%d %H:%M") if audit.finished else ""
        }
        audit.rcs_segment = _segment(
            _("%(audience)s — RCS"), name, rcs_rules, audit.test_mode, description
        )
        audit.other_segment = _segment(
            _("%(audience)s — not RCS"), name, other_rules, audit.test_mode, description
        )
        audit.save(update_fields=["rcs_segment", "other_segment"])
    return audit.rcs_segment, audit.other_segment


def _segment(pattern, audience_name, rules, test_mode, description):
    """The segment of these rules named after the audience, reusing one with the same rules."""
    base = pattern % {"audience": audience_name}
    if len(base) > NAME_MAX:
        room = NAME_MAX - len(pattern % {"audience": ""}) - 1
        base = pattern % {"audience": audience_name[:room] + "…"}
    segments = Segment.objects.in_mode(test_mode)
    for number in range(1, 100):
        name = base if number == 1 else _numbered(base, number)
        existing = segments.filter(name=name).first()
        if existing is None:
            return Segment.objects.create(
                name=name, rules=rules, test_mode=test_mode, description=description
            )
        if existing.rules == rules:
            return existing
    raise ValueError("No free name for the segment.")


def _numbered(base, number):
    suffix = f" ({number})"
    return base[: NAME_MAX - len(suffix)] + suffix

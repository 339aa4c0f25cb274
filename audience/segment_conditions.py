"""The condition kinds audience knows (registered by AudienceConfig.ready()): list
membership, RCS capability, consent, phone country, contact attributes and other segments.
Each compiles to a Q over Contact; see audience.segments for the registry."""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audience.models import (
    CAPABILITY_MAX_AGE,
    CONSENT_COLUMNS,
    Consent,
    ContactList,
    ListMembership,
)
from audience.segments import Param, register_condition
from messaging.providers.base import Channel


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


def register():
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
                    (RCS_YES, gettext_lazy("yes (checked in the last 31 days)")),
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

"""Each condition kind against a set of contacts computed by hand, in one query."""

from datetime import timedelta

import pytest
from django.utils import timezone

from audience.models import ConsentEntry, Segment
from audience.segments import RulesError, compile_rules
from tests.factories import make_consent, make_contact, make_list, make_segment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def matching(rules, test_mode=False):
    from audience.models import Contact

    contacts = Contact.objects.in_mode(test_mode).filter(compile_rules(rules, test_mode))
    return set(contacts.values_list("phone", flat=True))


def rules(*conditions, match="all"):
    return {"match": match, "conditions": list(conditions)}


def test_list_kind_matches_the_members_of_that_list_only():
    summer, winter = make_list(name="Été"), make_list(name="Hiver")
    ann = make_contact(phone="+33600000001")
    bob = make_contact(phone="+33600000002")
    make_contact(phone="+33600000003")
    summer.contacts.add(ann, through_defaults={"source": "api"})
    winter.contacts.add(ann, bob, through_defaults={"source": "api"})

    assert matching(rules({"kind": "list", "list_id": summer.pk})) == {"+33600000001"}
    assert matching(rules({"kind": "list", "list_id": winter.pk})) == {
        "+33600000001",
        "+33600000002",
    }


def test_rcs_capable_kind_counts_answers_older_than_31_days_as_unknown():
    now = timezone.now()
    make_contact(phone="+33600000001", rcs_capable=True, rcs_checked_at=now - timedelta(days=2))
    make_contact(phone="+33600000002", rcs_capable=False, rcs_checked_at=now - timedelta(days=2))
    make_contact(phone="+33600000003", rcs_capable=True, rcs_checked_at=now - timedelta(days=40))
    make_contact(phone="+33600000004")

    assert matching(rules({"kind": "rcs_capable", "value": "yes"})) == {"+33600000001"}
    assert matching(rules({"kind": "rcs_capable", "value": "no"})) == {"+33600000002"}
    assert matching(rules({"kind": "rcs_capable", "value": "unknown"})) == {
        "+33600000003",
        "+33600000004",
    }


def test_consent_kind_reads_the_current_consent_of_one_channel():
    sms_only = make_contact(phone="+33600000001")
    make_consent(sms_only, channel=ConsentEntry.Scope.SMS)
    both_out = make_contact(phone="+33600000002")
    make_consent(both_out, kind=ConsentEntry.Kind.OPT_OUT)
    make_contact(phone="+33600000003")

    def consent(channel, value):
        return matching(rules({"kind": "consent", "channel": channel, "value": value}))

    assert consent("sms", "opt_in") == {"+33600000001"}
    assert consent("rcs", "opt_in") == set()
    assert consent("rcs", "opt_out") == {"+33600000002"}
    assert consent("rcs", "none") == {"+33600000001", "+33600000003"}


def test_segment_contacts_stay_in_its_mode():
    make_contact(phone="+33600000001", rcs_capable=True, rcs_checked_at=timezone.now())
    make_contact(
        phone="+33600000001", test_mode=True, rcs_capable=True, rcs_checked_at=timezone.now()
    )
    make_contact(phone="+33600000002", test_mode=True)
    segment = Segment.objects.create(
        name="RCS", test_mode=True, rules=rules({"kind": "rcs_capable", "value": "yes"})
    )

    assert [c.test_mode for c in segment.contacts()] == [True]


def test_country_kind_matches_the_calling_code_of_the_phone():
    make_contact(phone="+33600000001")
    make_contact(phone="+32470000002")
    make_contact(phone="+262692000003")  # La Réunion
    make_contact(phone="+14155550104")

    assert matching(rules({"kind": "country", "value": ["FR"]})) == {"+33600000001"}
    assert matching(rules({"kind": "country", "value": ["be", "RE"]})) == {
        "+32470000002",
        "+262692000003",
    }
    # The United States and Canada share +1: the phone alone cannot tell them apart.
    assert matching(rules({"kind": "country", "value": ["CA"]})) == {"+14155550104"}


@pytest.fixture
def grid():
    """Four contacts: on the list or not, RCS capable or not."""
    now = timezone.now()
    vip = make_list(name="VIP")
    found = {}
    for phone, on_list, capable in [
        ("+33600000001", True, True),
        ("+33600000002", True, False),
        ("+33600000003", False, True),
        ("+33600000004", False, False),
    ]:
        contact = make_contact(phone=phone, rcs_capable=capable, rcs_checked_at=now)
        if on_list:
            vip.contacts.add(contact, through_defaults={"source": "api"})
        found[phone] = contact
    return vip


def test_all_and_any_groups_nest(grid):
    on_list = {"kind": "list", "list_id": grid.pk}
    capable = {"kind": "rcs_capable", "value": "yes"}
    not_capable = {"kind": "rcs_capable", "value": "no"}
    french = {"kind": "country", "value": ["FR"]}

    assert matching(rules(on_list, capable)) == {"+33600000001"}
    assert matching(rules(on_list, capable, match="any")) == {
        "+33600000001",
        "+33600000002",
        "+33600000003",
    }
    # VIP and (capable or not capable) = VIP.
    assert matching(rules(on_list, rules(capable, not_capable, match="any"))) == {
        "+33600000001",
        "+33600000002",
    }
    # (VIP and capable) or (French and (capable) and VIP) = 1.
    assert matching(
        rules(rules(on_list, capable), rules(french, rules(capable), on_list), match="any")
    ) == {"+33600000001"}


def test_an_empty_group_matches_everyone_also_inside_an_any_group(grid):
    everyone = {"+33600000001", "+33600000002", "+33600000003", "+33600000004"}
    assert matching(rules()) == everyone
    assert matching(rules(match="any")) == everyone
    assert matching(rules(rules(), {"kind": "list", "list_id": grid.pk}, match="any")) == everyone


def test_segment_kind_takes_the_members_of_another_segment(grid):
    capable = make_segment(rules=rules({"kind": "rcs_capable", "value": "yes"}))
    vip_capable = make_segment(
        rules=rules(
            {"kind": "segment", "segment_id": capable.pk}, {"kind": "list", "list_id": grid.pk}
        )
    )
    assert set(vip_capable.contacts().values_list("phone", flat=True)) == {"+33600000001"}

    # Dynamic: the segment reads the other segment's rules when it is evaluated.
    capable.rules = rules({"kind": "rcs_capable", "value": "no"})
    capable.save()
    assert set(vip_capable.contacts().values_list("phone", flat=True)) == {"+33600000002"}


def test_segments_that_contain_each_other_are_refused_not_looped():
    first = make_segment()
    second = make_segment(rules=rules({"kind": "segment", "segment_id": first.pk}))
    # Written behind the validator's back (the screens refuse it): compiling must still stop.
    loop = rules({"kind": "segment", "segment_id": second.pk})
    Segment.objects.filter(pk=first.pk).update(rules=loop)

    with pytest.raises(RulesError, match="loop"):
        list(second.contacts())


def test_a_segment_of_the_other_mode_or_a_deleted_one_matches_nobody_silently_never():
    test_segment = make_segment(test_mode=True)
    live = make_segment(rules=rules({"kind": "segment", "segment_id": test_segment.pk}))

    with pytest.raises(RulesError, match="gone"):
        live.contacts()


def test_a_named_segment_whose_rules_no_longer_hold_is_named_not_guessed():
    inner = make_segment(name="Clicked", rules=rules({"kind": "clicked_long_ago"}))
    outer = make_segment(rules=rules({"kind": "segment", "segment_id": inner.pk}))

    with pytest.raises(RulesError, match="“Clicked” has rules to fix"):
        outer.contacts()


def test_counting_a_segment_is_one_query(grid, django_assert_num_queries):
    segment = make_segment(
        rules=rules(
            {"kind": "list", "list_id": grid.pk},
            rules(
                {"kind": "rcs_capable", "value": "yes"},
                {"kind": "consent", "channel": "sms", "value": "opt_in"},
                {"kind": "country", "value": ["BE", "CH"]},
                {"kind": "attribute", "field": "attributes.basket", "op": "gt", "value": 10},
                {"kind": "attribute", "field": "attributes.seen", "op": "within_days", "value": 7},
                match="any",
            ),
        )
    )
    # VIP (1, 2) and any of: capable (1, 3), or none of the others.
    with django_assert_num_queries(1):
        assert segment.contacts().count() == 1


def test_a_segment_naming_another_reads_its_rules_then_counts_in_one_query(
    grid, django_assert_num_queries
):
    capable = make_segment(rules=rules({"kind": "rcs_capable", "value": "yes"}))
    segment = make_segment(rules=rules({"kind": "segment", "segment_id": capable.pk}))
    with django_assert_num_queries(2):  # the other segment's rules, then the count
        assert segment.contacts().count() == 2

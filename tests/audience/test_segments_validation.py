"""Rules that cannot mean anything are refused with the bad part named, never compiled."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audience.segments import RulesError, compile_rules, validate_rules
from tests.factories import make_list, make_segment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def errors(rules, **kwargs):
    with pytest.raises(RulesError) as refused:
        validate_rules(rules, **kwargs)
    return refused.value.by_path


def rules(*conditions, match="all"):
    return {"match": match, "conditions": list(conditions)}


def attribute(**fields):
    return {"kind": "attribute", "field": "attributes.city", "op": "equals", "value": "x", **fields}


@pytest.mark.parametrize(
    ("bad", "path", "words"),
    [
        ("not rules", "", "group"),
        ({"match": "most", "conditions": []}, "match", '"all" or "any"'),
        ({"match": "all"}, "conditions", "list"),
        (rules({"kind": "weather"}), "conditions[0].kind", "unknown kind"),
        (rules(attribute(field="phone")), "conditions[0].field", "attributes.<key>"),
        (rules(attribute(op="like")), "conditions[0].op", "equals"),
        (rules(attribute(field="email", op="gt", value=3)), "conditions[0].op", "attributes"),
        (rules(attribute(op="gt", value="soon")), "conditions[0].value", "YYYY-MM-DD"),
        (rules(attribute(op="gt", value="2026-13-45")), "conditions[0].value", "YYYY-MM-DD"),
        (rules(attribute(op="within_days", value=-1)), "conditions[0].value", "days"),
        (rules(attribute(op="within_days", value="7")), "conditions[0].value", "days"),
        (rules(attribute(op="in", value=[])), "conditions[0].value", "list"),
        (rules(attribute(op="in", value="Paris")), "conditions[0].value", "list"),
        (rules(attribute(op="is_set", value="yes")), "conditions[0].value", "true or false"),
        (rules(attribute(value="")), "conditions[0].value", "text or a number"),
        (rules({"kind": "country", "value": ["FR", "XX"]}), "conditions[0].value", "XX"),
        (rules({"kind": "country", "value": "FR"}), "conditions[0].value", "country codes"),
        (rules({"kind": "list", "list_id": "VIP"}), "conditions[0].list_id", "id of a list"),
        (rules({"kind": "rcs_capable", "value": True}), "conditions[0].value", "yes, no"),
        (rules({"kind": "consent", "value": "opt_in"}), "conditions[0].channel", "required"),
        (
            rules({"kind": "consent", "channel": "sms", "value": "yes"}),
            "conditions[0].value",
            "opt_in",
        ),
        (rules({"kind": "segment", "segment_id": None}), "conditions[0].segment_id", "segment"),
    ],
)
def test_a_bad_part_is_named(bad, path, words):
    found = errors(bad)
    assert path in found, found
    assert words in " ".join(found[path])


def test_an_error_deep_in_nested_groups_names_its_whole_path():
    bad = rules(attribute(), rules(attribute(), rules(attribute(op="nope")), match="any"))
    assert list(errors(bad)) == ["conditions[1].conditions[1].conditions[0].op"]


def test_every_bad_part_is_reported_at_once_and_the_message_names_it():
    with pytest.raises(RulesError) as refused:
        validate_rules(rules(attribute(op="nope"), {"kind": "rcs_capable", "value": "maybe"}))
    assert refused.value.messages[0].startswith("conditions[0].op: ")
    assert refused.value.messages[1].startswith("conditions[1].value: ")


def test_groups_nest_four_deep_at_most():
    deep = rules(rules(rules(rules(rules(attribute())))))
    assert "conditions[0].conditions[0].conditions[0].conditions[0]" in errors(deep)


def test_lists_and_segments_are_checked_in_the_mode_they_will_run_in():
    test_list = make_list(test_mode=True)
    live_list = make_list()
    test_segment = make_segment(test_mode=True)
    uses_them = rules(
        {"kind": "list", "list_id": test_list.pk},
        {"kind": "segment", "segment_id": test_segment.pk},
    )

    validate_rules(uses_them, test_mode=True)
    assert set(errors(uses_them, test_mode=False)) == {
        "conditions[0].list_id",
        "conditions[1].segment_id",
    }
    validate_rules(rules({"kind": "list", "list_id": live_list.pk}), test_mode=False)


def test_a_segment_cannot_contain_itself_even_through_another():
    first = make_segment()
    second = make_segment(rules=rules({"kind": "segment", "segment_id": first.pk}))

    itself = errors(rules({"kind": "segment", "segment_id": first.pk}), segment=first)
    assert "itself" in itself["conditions[0].segment_id"][0]
    through = errors(
        rules({"kind": "segment", "segment_id": second.pk}), test_mode=False, segment=first
    )
    assert "loop" in through["conditions[0].segment_id"][0]


def test_compile_refuses_what_validation_refuses():
    with pytest.raises(RulesError, match=r"conditions\[0\]\.kind"):
        compile_rules(rules({"kind": "weather"}), False)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["match", "conditions", "kind", "field", "op", "value", "list_id"]),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)
KINDS = st.sampled_from(["attribute", "country", "list", "segment", "rcs_capable", "consent"])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    condition=st.fixed_dictionaries(
        {"kind": KINDS | JSON},
        optional={
            "field": st.sampled_from(["email", "attributes.x"]) | JSON,
            "op": st.sampled_from(["equals", "in", "gt", "is_set"]) | JSON,
            "value": JSON,
            "list_id": JSON,
            "segment_id": JSON,
            "channel": JSON,
        },
    ),
    match=JSON,
)
def test_any_json_is_either_valid_or_refused_with_named_parts(condition, match):
    for rules in (condition, {"match": match, "conditions": [condition]}):
        try:
            validate_rules(rules)
        except RulesError as refused:
            assert refused.by_path


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rules=JSON | st.fixed_dictionaries({"match": JSON, "conditions": st.lists(JSON, max_size=3)})
)
def test_the_builder_draws_any_posted_json_without_failing(rules):
    from audience.segment_builder import builder_tree

    tree = builder_tree(rules, False)
    assert tree["is_group"] and tree["path"] == ""

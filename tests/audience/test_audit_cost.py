"""The audit's cost estimate, computed by hand; prices from settings; the SMS segment count from
a published template or typed in."""

from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured

from audience.audit_cost import estimate
from audience.audit_forms import EstimateForm
from audience.models import CapabilityAudit
from config import env
from editor.models import MessageTemplate
from sending.audit_templates import published_sms_templates
from tests.factories import make_published_template


def audit(**counts):
    fields = {
        "rcs_yes": 850,
        "rcs_no": 120,
        "unknown": 30,
        "rcs_price": Decimal("0.06"),
        "sms_segment_price": Decimal("0.045"),
        "sms_segments": 1,
    }
    fields.update(counts)
    return CapabilityAudit(**fields)


def test_rcs_for_the_reachable_and_sms_segments_for_everyone_else():
    cost = estimate(audit(), sms_segments=2)

    # 850 RCS × 0.06 = 51.00; (120 + 30) SMS × 2 segments × 0.045 = 300 × 0.045 = 13.50
    assert (cost.rcs_messages, cost.sms_messages, cost.sms_segments_total) == (850, 150, 300)
    assert (cost.rcs_cost, cost.sms_cost, cost.total) == (
        Decimal("51.00"),
        Decimal("13.50"),
        Decimal("64.50"),
    )
    # Everyone by SMS: 1,000 × 2 × 0.045 = 90.00, so RCS first saves 25.50 here.
    assert cost.all_sms_cost == Decimal("90.00")
    assert cost.difference == Decimal("-25.50")


def test_the_audits_own_segment_count_is_the_default_and_cents_round_half_up():
    cost = estimate(
        audit(
            rcs_yes=1,
            rcs_no=1,
            unknown=0,
            sms_segment_price=Decimal("0.0450"),
            rcs_price=Decimal("0.0050"),
            sms_segments=3,
        )
    )

    # 1 × 0.005 = 0.005 -> 0.01; 1 × 3 × 0.045 = 0.135 -> 0.14
    assert (cost.sms_segments, cost.rcs_cost, cost.sms_cost) == (
        3,
        Decimal("0.01"),
        Decimal("0.14"),
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(None, Decimal("0.06")), ("0.0725", Decimal("0.0725")), (" 1 ", Decimal("1"))],
)
def test_a_price_setting_reads_an_exact_decimal(monkeypatch, raw, expected):
    if raw is None:
        monkeypatch.delenv("RCS_PRICE_EUR", raising=False)
    else:
        monkeypatch.setenv("RCS_PRICE_EUR", raw)
    assert env.get_decimal("RCS_PRICE_EUR", "0.06") == expected


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("six cents", "a number"),
        ("-0.01", "between 0"),
        ("0.00001", "decimal places"),
        ("NaN", "between 0"),
    ],
)
def test_a_bad_price_setting_is_refused_naming_it(monkeypatch, raw, problem):
    monkeypatch.setenv("SMS_SEGMENT_PRICE_EUR", raw)
    with pytest.raises(ImproperlyConfigured, match=f"SMS_SEGMENT_PRICE_EUR.*{problem}"):
        env.get_decimal("SMS_SEGMENT_PRICE_EUR", "0.045")


@pytest.mark.django_db
def test_published_templates_offer_their_latest_versions_sms_segment_count():
    long_text = "Les soldes commencent : " + "jusqu'à -50 % sur tout le magasin. " * 6
    template, version = make_published_template(name="Soldes", sms_fallback=long_text)
    archived, _version = make_published_template(name="Ancienne offre")
    archived.status = MessageTemplate.Status.ARCHIVED
    archived.save(update_fields=["status"])

    offered = {item.name: item.sms_segments for item in published_sms_templates()}

    assert offered == {"Soldes": version.sms_segments}
    assert version.sms_segments > 1


@pytest.mark.django_db
def test_the_estimate_form_takes_a_templates_count_over_a_typed_one():
    _template, version = make_published_template(name="Soldes")
    template_id = version.template_id

    assert EstimateForm({"template": str(template_id), "segments": "5"}).chosen_segments(1) == (
        version.sms_segments
    )
    assert EstimateForm({"template": "", "segments": "4"}).chosen_segments(1) == 4
    # Out of range or unknown: the audit's own count, never an error page.
    assert EstimateForm({"segments": "11"}).chosen_segments(2) == 2
    assert EstimateForm({"template": "999999"}).chosen_segments(2) == 2

"""Segment conditions about engagement, registered with audience's rule registry by
AnalyticsConfig.ready(): audience filters on clicks and conversions without importing analytics."""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy

from analytics.conversions import Conversion
from analytics.models import Click
from audience.segments import Param, register_condition


def _since(condition, context):
    return context.now - timedelta(days=condition["within_days"])


def compile_clicked(condition, context):
    """Contacts who tapped a link or button of one of their messages in the last N days, in
    person (bots and suspected bots do not count, nor draft tests of a template)."""
    # The mode and the period first: the (test_mode, occurred_at) index finds the recent clicks.
    clicked = Click.objects.counted().filter(
        test_mode=context.test_mode,
        occurred_at__gte=_since(condition, context),
        message__contact=OuterRef("pk"),
        message__draft_test=False,
    )
    return Q(Exists(clicked))


def compile_converted(condition, context):
    """Contacts who placed an order in the last N days, whether a message earned it or not."""
    converted = Conversion.objects.filter(
        test_mode=context.test_mode,
        contact=OuterRef("pk"),
        occurred_at__gte=_since(condition, context),
    )
    return Q(Exists(converted))


def _within_days():
    return Param(
        "within_days",
        gettext_lazy("in the last N days"),
        type=Param.INT,
        min_value=1,
        max_value=3650,
        default=30,
    )


def register():
    register_condition(
        "clicked",
        compile_clicked,
        gettext_lazy("Clicked a link or button"),
        [_within_days()],
        order=61,
    )
    register_condition(
        "converted",
        compile_converted,
        gettext_lazy("Placed an order"),
        [_within_days()],
        order=62,
    )

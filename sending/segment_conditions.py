"""Segment conditions about messages, registered with audience's rule registry by
SendingConfig.ready(): audience filters on them without importing sending."""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy

from audience.segments import Param, register_condition
from sending.models import Message


def compile_received(condition, context):
    """Contacts with a message delivered (or read) in the last N days; draft tests of a
    template do not count."""
    since = context.now - timedelta(days=condition["within_days"])
    received = Message.objects.filter(contact=OuterRef("pk"), draft_test=False).filter(
        Q(delivered_at__gte=since) | Q(read_at__gte=since)
    )
    return Q(Exists(received))


def register():
    register_condition(
        "received",
        compile_received,
        gettext_lazy("Received a message"),
        [
            Param(
                "within_days",
                gettext_lazy("in the last N days"),
                type=Param.INT,
                min_value=1,
                max_value=3650,
                default=30,
            )
        ],
        order=60,
    )

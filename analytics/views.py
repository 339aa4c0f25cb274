from django.db.models import Count, Q
from django.shortcuts import render

from accounts.data_mode import shows_test_data
from messaging.providers.base import Channel
from sending.models import Message

DELIVERED = [Message.Status.DELIVERED, Message.Status.READ]


def dashboard(request):
    """Delivery, reads, clicks and conversions, RCS against SMS (live data unless asked)."""
    test_mode = shows_test_data(request)
    counts = Message.objects.filter(test_mode=test_mode).aggregate(
        messages=Count("pk"),
        delivered=Count("pk", filter=Q(status__in=DELIVERED)),
        rcs=Count("pk", filter=Q(final_channel=Channel.RCS)),
        sms=Count("pk", filter=Q(final_channel=Channel.SMS)),
    )
    return render(request, "analytics/dashboard.html", {"counts": counts, "test_data": test_mode})

from django.shortcuts import render


def dashboard(request):
    """Delivery, reads, clicks and conversions, RCS against SMS."""
    return render(request, "analytics/dashboard.html")

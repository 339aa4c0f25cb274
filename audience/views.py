from django.shortcuts import render

from accounts.data_mode import shows_test_data
from audience.models import Contact


def contact_list(request):
    """The contacts, their consent and the segments built from them (live data unless asked)."""
    test_mode = shows_test_data(request)
    contacts = Contact.objects.in_mode(test_mode)
    counts = {
        "contacts": contacts.count(),
        "promotable": contacts.promotable().count(),
        "rcs_capable": contacts.rcs_capable().count(),
    }
    return render(request, "audience/contact_list.html", {"counts": counts, "test_data": test_mode})

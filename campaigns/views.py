from django.shortcuts import render


def contact_list(request):
    """The contacts, their consent and the segments built from them."""
    return render(request, "campaigns/contact_list.html")


def campaign_list(request):
    """The campaigns, sent and planned."""
    return render(request, "campaigns/campaign_list.html")

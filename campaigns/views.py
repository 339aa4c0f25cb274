from django.shortcuts import render


def campaign_list(request):
    """The campaigns, sent and planned."""
    return render(request, "campaigns/campaign_list.html")

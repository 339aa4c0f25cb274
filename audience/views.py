from django.shortcuts import render


def contact_list(request):
    """The contacts, their consent and the segments built from them."""
    return render(request, "audience/contact_list.html")

from django.shortcuts import render


def template_list(request):
    """The message templates of the team."""
    return render(request, "editor/template_list.html")

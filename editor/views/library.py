"""The library of ready-made templates: browse the cards, start a draft from one."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from editor.library import (
    get_entry,
    library_entries,
    library_preview_template,
    use_library_template,
)
from editor.models import Brand, MessageTemplate
from editor.preview import preview_unsaved

LANGUAGES = dict(MessageTemplate.Language.choices)


def _language(request):
    """The library language asked for, else the interface's, else French."""
    wanted = request.GET.get("language") or request.POST.get("language") or get_language()
    wanted = (wanted or "fr")[:2]
    return wanted if wanted in LANGUAGES else "fr"


def library_list(request):
    """Cards of the ready-made templates, each with its picture, to start a draft from."""
    language = _language(request)
    context = {
        "entries": library_entries(language),
        "language": language,
        "languages": MessageTemplate.Language.choices,
        "brands": Brand.objects.all(),
    }
    return render(request, "editor/library.html", context)


def library_preview(request, key):
    """Both phones showing a library template with its sample values, before using it."""
    language = _language(request)
    try:
        entry, _texts = get_entry(key, language)
    except LookupError:
        raise Http404("No such library template.") from None
    brands = Brand.objects.all()
    template = library_preview_template(key, brands.first(), language=language)
    context = {
        "preview": preview_unsaved(template),
        "entry": entry,
        "template": template,
        "language": language,
        "brands": brands,
    }
    return render(request, "editor/_library_preview.html", context)


@require_POST
def library_use(request, key):
    """Copy a ready-made template into a new draft for the chosen brand and open it."""
    language = _language(request)
    try:
        get_entry(key, language)
    except LookupError:
        raise Http404("No such library template.") from None
    brand = get_object_or_404(Brand, pk=request.POST.get("brand") or 0)
    template = use_library_template(key, brand, language=language)
    messages.success(
        request,
        _("“%(name)s” is ready: change the texts and images, then publish.")
        % {"name": template.name},
    )
    return redirect("editor:template_edit", pk=template.pk)

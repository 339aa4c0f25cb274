"""The template list: search and filters, a new template, duplicate, archive and undo."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from editor.forms import TemplateCreateForm, TemplateDuplicateForm, TemplateFilterForm
from editor.models import Brand, MessageTemplate
from editor.status import with_live_version

PAGE_SIZE = 25
# The session remembers the last archived template so its success message can offer "Undo".
UNDO_KEY = "editor_archived_template"


FILTER_NAMES = ("q", "brand", "category", "language", "status")


def template_list(request):
    """The team's templates, searchable and filtered by brand, use case, language and status."""
    form = TemplateFilterForm(request.GET or None)
    queryset = with_live_version(MessageTemplate.objects.select_related("brand"))
    queryset = queryset.order_by("-updated")
    page = Paginator(form.filter(queryset), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    archived = None
    undo = request.session.pop(UNDO_KEY, None)
    if undo:
        archived = MessageTemplate.objects.filter(
            pk=undo["pk"], status=MessageTemplate.Status.ARCHIVED
        ).first()
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "filtered": any(request.GET.get(name) for name in FILTER_NAMES),
        "archived": archived,
        "has_templates": MessageTemplate.objects.exists(),
        "has_brands": Brand.objects.exists(),
    }
    return render(request, "editor/template_list.html", context)


def template_create(request):
    """Create an empty template and open it in the editor."""
    form = TemplateCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        template = form.save_new()
        if template is not None:
            return redirect("editor:template_edit", pk=template.pk)
    return render(request, "editor/template_form.html", {"form": form})


def template_duplicate(request, pk):
    """Copy a template as a new draft and open the copy; the form lets its name and id be chosen.

    A post without a name and id (the list's Duplicate button) takes the proposed ones.
    """
    source = get_object_or_404(MessageTemplate, pk=pk)
    proposed = TemplateDuplicateForm.proposed(source)
    if request.method != "POST":
        form = TemplateDuplicateForm(source, initial=proposed)
    else:
        form = TemplateDuplicateForm(source, {**proposed, **request.POST.dict()})
        copy = form.save_new() if form.is_valid() else None
        if copy is not None:
            messages.success(
                request,
                _("“%(name)s” created: this copy is yours to change.") % {"name": copy.name},
            )
            return redirect("editor:template_edit", pk=copy.pk)
    return render(request, "editor/template_form.html", {"form": form, "source": source})


@require_POST
def template_archive(request, pk):
    """Archive a template (hidden from the list and from new campaigns), with an undo."""
    template = get_object_or_404(MessageTemplate, pk=pk)
    if template.archive():
        request.session[UNDO_KEY] = {"pk": template.pk}
    return redirect("editor:template_list")


@require_POST
def template_restore(request, pk):
    """Bring an archived template back as it was before (published or draft)."""
    template = get_object_or_404(MessageTemplate, pk=pk)
    if template.restore():
        messages.success(request, _("“%(name)s” restored.") % {"name": template.name})
    return redirect("editor:template_list")

"""The contact import screens: upload, column mapping with a preview, progress, report."""

from django import forms
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.data_mode import shows_test_data
from audience.imports import mapping as columns
from audience.imports import runs
from audience.imports.reading import FileRefused
from audience.models import ContactImport, ContactList

POLL_EVERY = "1s"
# How a detected encoding is named to the person who exported the file.
ENCODINGS = {
    "utf-8": "UTF-8",
    "utf-8-sig": gettext_lazy("UTF-8 with BOM"),
    "cp1252": gettext_lazy("Windows-1252 (Excel)"),
    "utf-16": "UTF-16",
}
# How each rejection reason is named in the report.
REASONS = {
    "invalid_phone": gettext_lazy("Not a valid phone number"),
    "not_a_mobile_number": gettext_lazy(
        "Not a mobile (landline, premium-rate…): SMS cannot reach it"
    ),
    "country_not_allowed": gettext_lazy("Country where this installation does not send"),
    "missing_phone": gettext_lazy("No phone number in the row"),
    "duplicate_in_file": gettext_lazy("Same number as an earlier line of the file"),
    "invalid_email": gettext_lazy("Email address not valid"),
    "invalid_language": gettext_lazy("Language not a code such as fr or en"),
    "too_long": gettext_lazy("A value too long"),
    "bad_consent": gettext_lazy("Consent not usable (proof missing, unknown value or date)"),
}


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "A CSV export (Excel, your shop, your CRM): UTF-8 or Windows, separated by "
            "semicolons, commas or tabs, with a header line naming the columns."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv,text/plain"}),
        error_messages={
            "empty": gettext_lazy("The file is empty. Choose the file that holds your contacts."),
            "required": gettext_lazy("Choose the CSV file that holds your contacts."),
        },
    )


@require_http_methods(["GET", "POST"])
def import_upload(request):
    """Upload a customer file; a file that cannot be imported is refused at once."""
    test_mode = shows_test_data(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact_import = runs.open_upload(
                form.cleaned_data["file"], user=request.user, test_mode=test_mode
            )
        except FileRefused as refused:
            form.add_error("file", str(refused))
        else:
            return redirect("audience:import_mapping", contact_import.public_id)
    recent = ContactImport.objects.filter(test_mode=test_mode).select_related("contact_list")[:5]
    return render(
        request,
        "audience/import_upload.html",
        {"form": form, "test_data": test_mode, "recent": recent},
    )


@require_http_methods(["GET", "POST"])
def import_mapping(request, public_id):
    """Choose a field for each column, with the first rows shown, then start the import."""
    contact_import = get_object_or_404(ContactImport, public_id=public_id)
    if contact_import.mapping:
        return redirect("audience:import_detail", contact_import.public_id)
    preview = runs.preview(contact_import)
    chosen = runs.suggested_mapping(contact_import, preview)
    list_name = ""
    error = None
    if request.method == "POST":
        chosen = [request.POST.get(f"column-{index}", "") for index in range(len(chosen))]
        list_name = request.POST.get("list_name", "")
        try:
            runs.choose(contact_import, chosen, list_name=list_name)
        except columns.MappingError as refused:
            error = str(refused)
        else:
            runs.start(contact_import)
            return redirect("audience:import_detail", contact_import.public_id)
    rows = [
        {
            "index": index,
            "header": header,
            "samples": [row[index] for row in preview[:3] if index < len(row) and row[index]],
            "choices": columns.choices_for(header),
            "chosen": chosen[index],
        }
        for index, header in enumerate(contact_import.headers)
    ]
    context = {
        "contact_import": contact_import,
        "rows": rows,
        "preview": preview,
        "error": error,
        "list_name": list_name,
        "lists": ContactList.objects.filter(test_mode=contact_import.test_mode),
        "claims_consent": columns.claims_consent(chosen),
        "encoding": ENCODINGS.get(contact_import.encoding, contact_import.encoding),
    }
    return render(request, "audience/import_mapping.html", context)


def import_detail(request, public_id):
    """The progress of an import, then its report."""
    contact_import = get_object_or_404(ContactImport, public_id=public_id)
    if not contact_import.mapping:
        return redirect("audience:import_mapping", contact_import.public_id)
    return render(request, "audience/import_detail.html", report_context(contact_import))


def import_status(request, public_id):
    """The progress bar (or, once finished, the report), polled by the progress page."""
    contact_import = get_object_or_404(ContactImport, public_id=public_id)
    return render(request, "audience/_import_progress.html", report_context(contact_import))


@require_POST
def import_retry(request, public_id):
    """Start a failed import again (rows it already wrote are not written twice)."""
    contact_import = get_object_or_404(ContactImport, public_id=public_id)
    if contact_import.status == ContactImport.Status.FAILED:
        runs.start(contact_import)
    return redirect("audience:import_detail", contact_import.public_id)


def import_rejected(request, public_id):
    """The rejected rows with the reason for each, as a CSV file."""
    contact_import = get_object_or_404(ContactImport, public_id=public_id)
    if not contact_import.rejected_report:
        raise Http404("No rejected rows.")
    return FileResponse(
        contact_import.rejected_report.open("rb"),
        as_attachment=True,
        filename=contact_import.rejected_report.name.rsplit("/", 1)[-1],
        content_type="text/csv; charset=utf-8",
    )


def report_context(contact_import):
    reasons = [
        (REASONS.get(code, code), count)
        for code, count in sorted(contact_import.reasons.items(), key=lambda item: -item[1])
    ]
    contacts_url = reverse("audience:contact_list")
    if contact_import.test_mode:
        contacts_url += "?mode=test"
    return {
        "contact_import": contact_import,
        "claims_consent": columns.claims_consent(contact_import.mapping),
        "reasons": reasons,
        "poll_every": POLL_EVERY,
        "contacts_url": contacts_url,
        "error_message": contact_import.error or _("The import failed."),
    }

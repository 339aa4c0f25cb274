from django.urls import path

from audience.views import audits, contact_page, contacts, imports, segments

app_name = "audience"

urlpatterns = [
    path("audience/", contacts.contact_list, name="contact_list"),
    path("audience/contacts/bulk/", contacts.contact_bulk, name="contact_bulk"),
    path("audience/contacts/bulk/undo/", contacts.contact_bulk_undo, name="contact_bulk_undo"),
    path("audience/contacts/<uuid:public_id>/", contact_page.contact_detail, name="contact_detail"),
    path(
        "audience/contacts/<uuid:public_id>/opt-out/",
        contact_page.contact_opt_out,
        name="contact_opt_out",
    ),
    path(
        "audience/contacts/<uuid:public_id>/erase/",
        contact_page.contact_erase,
        name="contact_erase",
    ),
    path(
        "audience/contacts/<uuid:public_id>/export/",
        contact_page.contact_export,
        name="contact_export",
    ),
    path("audience/segments/", segments.segment_list, name="segment_list"),
    path("audience/segments/new/", segments.segment_create, name="segment_create"),
    path("audience/segments/preview/", segments.segment_preview, name="segment_preview"),
    path("audience/segments/<int:pk>/", segments.segment_edit, name="segment_edit"),
    path("audience/segments/<int:pk>/count/", segments.segment_count, name="segment_count"),
    path(
        "audience/segments/<int:pk>/delete/",
        segments.segment_delete,
        name="segment_delete",
    ),
    path("audience/audits/", audits.audit_list, name="audit_list"),
    path("audience/audits/<int:pk>/", audits.audit_detail, name="audit_detail"),
    path("audience/audits/<int:pk>/progress/", audits.audit_progress, name="audit_progress"),
    path("audience/audits/<int:pk>/resume/", audits.audit_resume, name="audit_resume"),
    path(
        "audience/audits/<int:pk>/segments/",
        audits.audit_segments_create,
        name="audit_segments_create",
    ),
    path("audience/import/", imports.import_upload, name="import_upload"),
    path("audience/import/<uuid:public_id>/", imports.import_mapping, name="import_mapping"),
    path(
        "audience/import/<uuid:public_id>/progress/",
        imports.import_detail,
        name="import_detail",
    ),
    path(
        "audience/import/<uuid:public_id>/status/",
        imports.import_status,
        name="import_status",
    ),
    path(
        "audience/import/<uuid:public_id>/retry/",
        imports.import_retry,
        name="import_retry",
    ),
    path(
        "audience/import/<uuid:public_id>/rejected.csv",
        imports.import_rejected,
        name="import_rejected",
    ),
]

from django.urls import path

from audience import views, views_audit, views_segments

app_name = "audience"

urlpatterns = [
    path("audience/", views.contact_list, name="contact_list"),
    path("audience/segments/", views_segments.segment_list, name="segment_list"),
    path("audience/segments/new/", views_segments.segment_create, name="segment_create"),
    path("audience/segments/preview/", views_segments.segment_preview, name="segment_preview"),
    path("audience/segments/<int:pk>/", views_segments.segment_edit, name="segment_edit"),
    path("audience/segments/<int:pk>/count/", views_segments.segment_count, name="segment_count"),
    path(
        "audience/segments/<int:pk>/delete/",
        views_segments.segment_delete,
        name="segment_delete",
    ),
    path("audience/audits/", views_audit.audit_list, name="audit_list"),
    path("audience/audits/<int:pk>/", views_audit.audit_detail, name="audit_detail"),
    path("audience/audits/<int:pk>/progress/", views_audit.audit_progress, name="audit_progress"),
    path("audience/audits/<int:pk>/resume/", views_audit.audit_resume, name="audit_resume"),
    path(
        "audience/audits/<int:pk>/segments/",
        views_audit.audit_segments_create,
        name="audit_segments_create",
    ),
]

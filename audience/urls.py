from django.urls import path

from audience import views, views_audit

app_name = "audience"

urlpatterns = [
    path("audience/", views.contact_list, name="contact_list"),
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

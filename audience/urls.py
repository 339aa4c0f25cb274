from django.urls import path

from audience import views, views_segments

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
]

from django.urls import path

from audience import views, views_import

app_name = "audience"

urlpatterns = [
    path("audience/", views.contact_list, name="contact_list"),
    path("audience/import/", views_import.import_upload, name="import_upload"),
    path("audience/import/<uuid:public_id>/", views_import.import_mapping, name="import_mapping"),
    path(
        "audience/import/<uuid:public_id>/progress/",
        views_import.import_detail,
        name="import_detail",
    ),
    path(
        "audience/import/<uuid:public_id>/status/",
        views_import.import_status,
        name="import_status",
    ),
    path(
        "audience/import/<uuid:public_id>/retry/",
        views_import.import_retry,
        name="import_retry",
    ),
    path(
        "audience/import/<uuid:public_id>/rejected.csv",
        views_import.import_rejected,
        name="import_rejected",
    ),
]

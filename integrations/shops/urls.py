from django.urls import path

from integrations.shops import views

# Included in the integrations namespace (integrations/urls.py).
urlpatterns = [
    path("settings/shops/", views.shop_list, name="shop_list"),
    path("settings/shops/new/", views.shop_create, name="shop_create"),
    path("settings/shops/<int:pk>/", views.shop_detail, name="shop_detail"),
    path("settings/shops/<int:pk>/edit/", views.shop_edit, name="shop_edit"),
    path("settings/shops/<int:pk>/delete/", views.shop_delete, name="shop_delete"),
    path("settings/shops/<int:pk>/mappings/new/", views.mapping_edit, name="mapping_create"),
    path(
        "settings/shops/<int:pk>/mappings/<int:mapping_pk>/",
        views.mapping_edit,
        name="mapping_edit",
    ),
    path(
        "settings/shops/<int:pk>/mappings/<int:mapping_pk>/delete/",
        views.mapping_delete,
        name="mapping_delete",
    ),
    path(
        "settings/shops/<int:pk>/mappings/<int:mapping_pk>/test/",
        views.mapping_test,
        name="mapping_test",
    ),
    path("settings/shops/events/<int:pk>/", views.event_status, name="shop_event"),
    path(
        "settings/shops/events/<int:pk>/process-again/",
        views.event_process_again,
        name="shop_event_process_again",
    ),
    # The public address each shop posts its webhooks to.
    path("hooks/shops/<str:public_id>/", views.shop_webhook, name="shop_webhook"),
]

from django.urls import path

from audience.views import contact_page, contacts

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
]

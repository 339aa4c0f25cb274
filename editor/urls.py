from django.urls import path

from editor.views import editing, library, media, preview, review, share, templates

app_name = "editor"

urlpatterns = [
    path("templates/", templates.template_list, name="template_list"),
    path("templates/new/", templates.template_create, name="template_create"),
    path("templates/library/", library.library_list, name="library"),
    path("templates/library/<slug:key>/use/", library.library_use, name="library_use"),
    path("templates/library/<slug:key>/preview/", library.library_preview, name="library_preview"),
    path("templates/<int:pk>/", editing.template_edit, name="template_edit"),
    path("templates/<int:pk>/save/", editing.template_save, name="template_save"),
    path("templates/<int:pk>/publish/", editing.template_publish, name="template_publish"),
    path("templates/<int:pk>/preview/", preview.template_preview, name="template_preview"),
    path("templates/<int:pk>/canvas/", preview.template_canvas, name="template_canvas"),
    path(
        "templates/<int:pk>/fallback/generate/",
        preview.fallback_generate,
        name="fallback_generate",
    ),
    path("templates/<int:pk>/fallback/gsm/", preview.fallback_to_gsm, name="fallback_to_gsm"),
    path(
        "templates/<int:pk>/fallback/without-emoji/",
        preview.fallback_without_emoji,
        name="fallback_without_emoji",
    ),
    path("templates/<int:pk>/duplicate/", templates.template_duplicate, name="template_duplicate"),
    path("templates/<int:pk>/archive/", templates.template_archive, name="template_archive"),
    path("templates/<int:pk>/restore/", templates.template_restore, name="template_restore"),
    path(
        "templates/<int:pk>/versions/<int:number>/",
        editing.version_detail,
        name="version_detail",
    ),
    path("templates/review/", review.review_queue, name="review_queue"),
    path("templates/<int:pk>/review/", review.review_detail, name="review_detail"),
    path("templates/<int:pk>/review/submit/", review.review_submit, name="review_submit"),
    path("templates/<int:pk>/review/approve/", review.review_approve, name="review_approve"),
    path("templates/<int:pk>/review/send-back/", review.review_send_back, name="review_send_back"),
    path("templates/<int:pk>/review/withdraw/", review.review_withdraw, name="review_withdraw"),
    path("templates/<int:pk>/share/revoke/", share.share_revoke, name="share_revoke"),
    path("share/<str:token>/", share.shared_preview, name="shared_preview"),
    path("media/library/", media.media_library, name="media_library"),
    path("media/upload/", media.media_upload, name="media_upload"),
    path("media/frame/", media.media_frame, name="media_frame"),
]

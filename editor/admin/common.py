"""What several editor admin pages share: the phone styles and image thumbnails."""

from django.utils.html import format_html

from editor.media_urls import page_url


class PhonePreviewMedia:
    """The styles of the phone frames, for admin pages that show a message preview."""

    css = {
        "all": (
            "vendor/bootstrap-icons-1.13.2/bootstrap-icons.min.css",
            "css/phones.css",
        )
    }


def thumbnail(asset, size=60):
    if asset is None or not asset.thumbnail:
        return "—"
    return format_html(
        '<img src="{}" alt="" style="max-width:{}px;max-height:{}px;border-radius:6px">',
        page_url(asset.thumbnail.name),
        size,
        size,
    )

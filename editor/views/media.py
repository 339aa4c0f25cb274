"""Images for cards: upload one, pick one already in the media library, or frame one."""

import json

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from editor import framing
from editor.forms import MediaUploadForm
from editor.media import DOWNSCALE_NOTE_BYTES, MediaError, create_media_asset, frame_asset
from editor.media_urls import referenced_paths
from editor.models import MediaAsset
from messaging.media_refs import reference

PICKER_PAGE_SIZE = 24


def asset_json(asset):
    """What the editor's script needs of an asset: the references it puts in the content.

    One reference per card width and media height; pages show them through local_media.
    """
    return {
        "id": asset.pk,
        "name": asset.name,
        "file": reference(asset.file.name),
        "thumbnail": reference(asset.thumbnail.name),
        "variants": {
            key: {
                "file": reference(variant["file"]),
                "thumbnail": reference(variant["thumbnail"]) if variant.get("thumbnail") else "",
            }
            for key, variant in asset.variants.items()
        },
    }


def known_media(content):
    """The assets whose files the content uses, so the editor can switch to other crops."""
    folders = set()
    for path in referenced_paths(content):
        if "/" in path:
            # Every file of an asset sits in one folder: assets/<random>/<variant>.jpg
            folders.add(path.rsplit("/", 1)[0] + "/")
    if not folders:
        return []
    query = Q()
    for folder in folders:
        query |= Q(file__startswith=folder)
    assets = MediaAsset.objects.filter(query, kind=MediaAsset.Kind.CARD)
    return [asset_json(asset) for asset in assets]


def media_library(request):
    """The picker: card images already uploaded, newest first, as an htmx fragment."""
    assets = MediaAsset.objects.filter(kind=MediaAsset.Kind.CARD)
    query = request.GET.get("q", "").strip()
    if query:
        assets = assets.filter(name__icontains=query)
    page = Paginator(assets, PICKER_PAGE_SIZE).get_page(request.GET.get("page"))
    items = [(asset, asset_json(asset)) for asset in page]
    return render(
        request, "editor/_media_picker.html", {"page": page, "items": items, "query": query}
    )


@require_POST
def media_upload(request):
    """Store an uploaded card image and answer its URLs, or why it was refused."""
    form = MediaUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse({"error": " ".join(form.errors["image"])}, status=400)
    try:
        asset = create_media_asset(form.cleaned_data["image"])
    except MediaError as exc:
        return JsonResponse({"error": " ".join(exc.messages)}, status=400)
    data = asset_json(asset)
    if asset.original_bytes > DOWNSCALE_NOTE_BYTES:
        data["note"] = _(
            "The photo weighed %(size)s MB: it was reduced to %(width)d × %(height)d pixels."
        ) % {
            "size": number_format(round(asset.original_bytes / 1024 / 1024, 1), 1),
            "width": asset.width,
            "height": asset.height,
        }
    return JsonResponse(data, status=201)


@require_POST
def media_frame(request):
    """Cut a card image around a focal point; answer the references of every cut.

    Body: {"file": a reference to one of the image's cuts, "x": 0..1000, "y": 0..1000}.
    """
    try:
        body = json.loads(request.body)
        parsed = framing.parse(body.get("file"))
        focus = framing.clamp_focus(body["x"], body["y"])
    except (ValueError, TypeError, KeyError, AttributeError):
        return JsonResponse({"error": _("Send the image and a focal point.")}, status=400)
    asset = None
    if parsed is not None:
        # The cut names its asset's folder; the asset's own uncut file sits next to it.
        original = f"{parsed['folder']}/{framing.ORIGINAL_NAME}"
        asset = MediaAsset.objects.filter(file=original, kind=MediaAsset.Kind.CARD).first()
    if asset is None:
        return JsonResponse(
            {"error": _("Only images uploaded to Relais can be framed.")}, status=400
        )
    try:
        variants = frame_asset(asset, focus)
    except OSError:
        return JsonResponse(
            {"error": _("The image could not be framed; upload it again.")}, status=400
        )
    return JsonResponse({"id": asset.pk, "focus": list(focus), "variants": variants})

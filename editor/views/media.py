"""Images for cards: upload one, or pick one already in the media library."""

from urllib.parse import unquote, urlsplit

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from editor.forms import MediaUploadForm
from editor.media import MediaError, create_media_asset
from editor.media_urls import public_url
from editor.models import MediaAsset
from messaging import walk

PICKER_PAGE_SIZE = 24


def asset_json(asset):
    """What the editor's script needs of an asset: its URLs for each card width and height."""
    return {
        "id": asset.pk,
        "name": asset.name,
        "file": public_url(asset.file.name),
        "thumbnail": public_url(asset.thumbnail.name),
        "variants": {
            key: {
                "file": public_url(variant["file"]),
                "thumbnail": public_url(variant["thumbnail"]) if variant.get("thumbnail") else "",
            }
            for key, variant in asset.variants.items()
        },
    }


def known_media(content):
    """The assets whose files the content uses, so the editor can switch to other crops."""
    base_path = urlsplit(public_url("")).path
    folders = set()
    for where, url in walk.iter_urls(content):
        if where[-1] != "fileUrl":
            continue
        path = unquote(urlsplit(url).path)
        if path.startswith(base_path) and "/" in path[len(base_path) :]:
            # Every file of an asset sits in one folder: assets/<random>/<variant>.jpg
            folders.add(path[len(base_path) :].rsplit("/", 1)[0] + "/")
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
    return JsonResponse(asset_json(asset), status=201)

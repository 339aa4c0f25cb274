"""The library of ready-made templates: list them, and copy one into a new draft.

The messages themselves are data in fr.py and en.py; their images are drawn by
make_images.py into editor/static/editor/library/ (static, so the library cards can show them
before any is used). Using a template imports its images as MediaAssets, once per image.
"""

import copy
import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile
from django.templatetags.static import static

from editor.library import en, fr
from editor.library.blocks import LIBRARY_IMAGE_PREFIX
from editor.media import create_media_asset
from editor.media_urls import media_ref_for, thumbnail_ref_for
from editor.models import MediaAsset, MessageTemplate
from messaging import walk
from messaging.content import ensure_cta_ids
from messaging.media_refs import replace_media

IMAGES_DIR = Path(__file__).resolve().parent.parent / "static" / "editor" / "library"
TEXTS = {"fr": fr.TEMPLATES, "en": en.TEMPLATES}
Category = MessageTemplate.Category
TrafficType = MessageTemplate.TrafficType


@dataclass(frozen=True)
class LibraryEntry:
    """One ready-made message: what it is for, and its stable template id per language."""

    key: str
    category: str
    traffic_type: str
    template_ids: dict
    # Image shown on the library card, per language (in IMAGES_DIR).
    cover: dict


ENTRIES = (
    LibraryEntry(
        "flash_sale",
        Category.PROMOTION,
        TrafficType.PROMOTION,
        {"fr": "promo_soldes_v1", "en": "promo_soldes_en_v1"},
        {"fr": "flash_sale_fr.jpg", "en": "flash_sale_en.jpg"},
    ),
    LibraryEntry(
        "order_confirmation",
        Category.ORDER,
        TrafficType.TRANSACTION,
        {"fr": "commande_confirmee_v1", "en": "commande_confirmee_en_v1"},
        {"fr": "order.jpg", "en": "order.jpg"},
    ),
    LibraryEntry(
        "delivery",
        Category.DELIVERY,
        TrafficType.TRANSACTION,
        {"fr": "livraison_v1", "en": "livraison_en_v1"},
        {"fr": "delivery.jpg", "en": "delivery.jpg"},
    ),
    LibraryEntry(
        # A marketing message even when the customer asked to be told: it sells.
        "back_in_stock",
        Category.BACK_IN_STOCK,
        TrafficType.PROMOTION,
        {"fr": "retour_stock_v1", "en": "retour_stock_en_v1"},
        {"fr": "back_in_stock.jpg", "en": "back_in_stock.jpg"},
    ),
    LibraryEntry(
        "product_launch",
        Category.PRODUCT_LAUNCH,
        TrafficType.PROMOTION,
        {"fr": "lancement_produit_v1", "en": "lancement_produit_en_v1"},
        {"fr": "launch_1.jpg", "en": "launch_1.jpg"},
    ),
    LibraryEntry(
        "abandoned_cart",
        Category.CART,
        TrafficType.PROMOTION,
        {"fr": "panier_abandonne_v1", "en": "panier_abandonne_en_v1"},
        {"fr": "cart.jpg", "en": "cart.jpg"},
    ),
    LibraryEntry(
        "reengagement",
        Category.REENGAGEMENT,
        TrafficType.PROMOTION,
        {"fr": "relance_v1", "en": "relance_en_v1"},
        {"fr": "reengagement.jpg", "en": "reengagement.jpg"},
    ),
    LibraryEntry(
        "appointment",
        Category.APPOINTMENT,
        TrafficType.TRANSACTION,
        {"fr": "rappel_rdv_v1", "en": "rappel_rdv_en_v1"},
        {"fr": "appointment.jpg", "en": "appointment.jpg"},
    ),
)
ENTRIES_BY_KEY = {entry.key: entry for entry in ENTRIES}


@dataclass(frozen=True)
class LibraryCard:
    """What the library screen shows for one ready-made template."""

    key: str
    name: str
    description: str
    category: str
    category_label: str
    traffic_type: str
    kind: str
    thumbnail_url: str
    template_id: str


def get_entry(key, language):
    """Return (LibraryEntry, texts) for key in language; raise LookupError if there is none."""
    if language not in TEXTS:
        raise LookupError(f"no library in language {language!r}")
    if key not in ENTRIES_BY_KEY:
        raise LookupError(f"no library template {key!r}")
    return ENTRIES_BY_KEY[key], TEXTS[language][key]


def library_entries(language):
    """List the library's templates in language (fr or en) for the library cards."""
    cards = []
    for entry in ENTRIES:
        _entry, texts = get_entry(entry.key, language)
        cards.append(
            LibraryCard(
                key=entry.key,
                name=texts["name"],
                description=texts["description"],
                category=entry.category,
                category_label=str(Category(entry.category).label),
                traffic_type=entry.traffic_type,
                kind=walk.content_kind(texts["rcs_content"]),
                thumbnail_url=static(f"editor/library/{entry.cover[language]}"),
                template_id=entry.template_ids[language],
            )
        )
    return cards


def library_asset(image_name):
    """Return the MediaAsset of a library image, importing it the first time."""
    data = (IMAGES_DIR / image_name).read_bytes()
    checksum = hashlib.sha256(data).hexdigest()
    existing = MediaAsset.objects.filter(checksum=checksum, kind=MediaAsset.Kind.CARD).first()
    if existing is not None:
        return existing
    return create_media_asset(ContentFile(data, name=image_name), name=image_name)


def _media_slots(data):
    """Yield (media dict, card width) for every card media of content JSON."""
    width = walk.media_width(data)
    for card in walk.cards(data):
        if card.get("media"):
            yield card["media"], width


def _import_images(data):
    """Replace "library:<file>" media references with references to the imported images."""
    for media, width in _media_slots(data):
        info = media["contentInfo"]
        if not info["fileUrl"].startswith(LIBRARY_IMAGE_PREFIX):
            continue
        asset = library_asset(info["fileUrl"].removeprefix(LIBRARY_IMAGE_PREFIX))
        height = media.get("height", "MEDIUM")
        info["fileUrl"] = media_ref_for(asset, height, width)
        info["thumbnailUrl"] = thumbnail_ref_for(asset, height, width)
    return data


def unique_template_id(wanted):
    """Return wanted if free, else the same id with the next free _vN suffix."""
    base = wanted.removesuffix("_v1")
    candidate = wanted
    number = 1
    while MessageTemplate.objects.filter(slug=candidate).exists():
        number += 1
        candidate = f"{base}_v{number}"
    return candidate


def use_library_template(key, brand, *, language, slug=None, name=None):
    """Copy a library template into a new draft of brand, with its images and a free template id."""
    entry, texts = get_entry(key, language)
    # The texts may give any content field; those they leave out keep the model's default.
    fields = {
        name: copy.deepcopy(texts[name]) for name in MessageTemplate.CONTENT_FIELDS if name in texts
    }
    fields["rcs_content"] = ensure_cta_ids(_import_images(fields["rcs_content"]))
    fields.update(brand=brand, traffic_type=entry.traffic_type, language=language)
    return MessageTemplate.objects.create(
        name=name or texts["name"],
        slug=slug or unique_template_id(entry.template_ids[language]),
        category=entry.category,
        status=MessageTemplate.Status.DRAFT,
        **fields,
    )


def library_preview_template(key, brand, *, language):
    """Return an unsaved template of a library entry for the preview shown before using it.

    Its images are the library's static files (nothing is imported until the entry is used).
    """
    entry, texts = get_entry(key, language)
    fields = {
        name: copy.deepcopy(texts[name]) for name in MessageTemplate.CONTENT_FIELDS if name in texts
    }
    fields["rcs_content"] = replace_media(
        fields["rcs_content"],
        lambda value: (
            static(f"editor/library/{value.removeprefix(LIBRARY_IMAGE_PREFIX)}")
            if isinstance(value, str) and value.startswith(LIBRARY_IMAGE_PREFIX)
            else value
        ),
    )
    return MessageTemplate(
        name=texts["name"],
        slug=entry.template_ids[language],
        category=entry.category,
        brand=brand,
        traffic_type=entry.traffic_type,
        language=language,
        **fields,
    )

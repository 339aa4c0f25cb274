"""Demo templates: the Maison Relais brand and the whole library, published (part of seed_demo)."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction

from editor.library import ENTRIES, IMAGES_DIR, use_library_template
from editor.media import create_media_asset
from editor.models import Brand, MediaAsset, MessageTemplate
from editor.services import publish_template

DEMO_BRAND = {
    "name": "Maison Relais",
    "colour": "#0F766E",
    "description": "Mode et maison, livrées chez vous.",
    "verified": True,
    "sms_sender_id": "MAISONREL",
    "stop_mention": "STOP au 36111",
}
DEMO_LOGO = "demo_brand_logo.jpg"
LANGUAGES = ("fr", "en")


class Command(BaseCommand):
    help = (
        "Create the demo brand Maison Relais and publish every library template into it with "
        "stable template ids (promo_soldes_v1...). Running it again changes nothing."
    )

    def handle(self, *args, **options):
        verbose = options["verbosity"] >= 1
        brand = Brand.objects.filter(name=DEMO_BRAND["name"]).first()
        if brand is None:
            brand = Brand.objects.create(**DEMO_BRAND, rbm_agent_id=settings.RBM_AGENT_ID or "")
            if verbose:
                self.stdout.write(f"Created the brand {brand.name}.")
        if brand.logo_id is None:
            logo = ContentFile((IMAGES_DIR / DEMO_LOGO).read_bytes(), name=DEMO_LOGO)
            brand.logo = create_media_asset(logo, kind=MediaAsset.Kind.LOGO)
            brand.save(update_fields=["logo", "updated"])
        for entry in ENTRIES:
            for language in LANGUAGES:
                template_id = entry.template_ids[language]
                if MessageTemplate.objects.filter(slug=template_id).exists():
                    continue
                with transaction.atomic():
                    template = use_library_template(
                        entry.key, brand, language=language, slug=template_id
                    )
                    version = publish_template(template)
                if verbose:
                    self.stdout.write(f"Published {template_id} (version {version.number}).")

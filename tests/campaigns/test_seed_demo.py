"""The demo data: opted-in demo recipients where the demo (test) key's sends look for them."""

import pytest
from django.core.management import call_command

from audience.models import ConsentEntry, Contact
from sending import services

pytestmark = pytest.mark.django_db


def test_demo_recipients_are_test_contacts_opted_in():
    call_command("seed_demo", verbosity=0)

    assert not Contact.objects.live().exists()
    assert Contact.objects.test().filter(phone="+33612345678").exists()
    assert not ConsentEntry.objects.live().exists()
    # The docs' example request, as the demo key (a test key) makes it.
    message = services.submit_message(
        template_id="promo_soldes_v1",
        recipient="+33612345678",
        variables={"prenom": "Marie", "duree_offre": "48h"},
        test_mode=True,
    )
    assert message.contact.allows_promotions()

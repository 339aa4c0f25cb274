"""The editor counts an SMS link as the tracked link it becomes, not as written."""

import pytest

from editor.preview import preview_unsaved
from editor.services import fallback_analysis
from messaging import links
from tests.factories import make_template

pytestmark = pytest.mark.django_db

LONG_LINK = "https://shop.example/collections/" + "robes-ete-" * 30


def test_a_long_link_costs_the_length_of_its_tracked_link(settings):
    settings.LINK_BASE_URL = "https://rl.example"
    template = make_template(traffic_type="TRANSACTION", sms_fallback=f"Voir {LONG_LINK} !")

    analysis = fallback_analysis(template)

    tracked = f"https://rl.example/l/{links.SAMPLE_CODE}"
    assert analysis.characters == len(f"Voir {tracked} !")
    assert analysis.segments == 1
    preview = preview_unsaved(template)
    assert preview.sms_text == f"Voir {tracked} !"
    assert preview.sms.segments == 1


def test_a_sample_code_is_as_long_as_any_real_code_for_billions_of_messages():
    key = links.derive_key("any installation secret, long enough for the test")
    assert len(links.encode(55_000_000_000, 63, key)) <= len(links.SAMPLE_CODE)
    assert links.decode(links.SAMPLE_CODE, key) is None

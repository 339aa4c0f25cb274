"""The admin's message list shows live messages unless "Test data" is chosen."""

import pytest

from sending import services
from tests.support.sending import ALWAYS_RCS

pytestmark = pytest.mark.usefixtures("network")


def test_message_list_shows_live_messages_by_default(english, admin_client, transactional, jobs):
    def send(test_mode):
        return services.submit_message(
            template_id=transactional.template.slug,
            recipient=ALWAYS_RCS,
            variables={"prenom": "Camille"},
            test_mode=test_mode,
        )

    live, test = send(False), send(True)

    page = admin_client.get("/admin/sending/message/").content.decode()
    assert str(live.public_id) in page and str(test.public_id) not in page
    assert "Test data" in page

    page = admin_client.get("/admin/sending/message/?mode=test").content.decode()
    assert str(test.public_id) in page and str(live.public_id) not in page
    assert ">TEST</span>" in page

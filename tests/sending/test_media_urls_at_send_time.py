"""A version's images go to the provider on the PUBLIC_BASE_URL of the day it is sent."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from editor.services import publish_template
from sending import services
from sending.models import Message
from tests.factories import make_template
from tests.support.links import tracked
from tests.support.providers import fixture_json
from tests.support.sending import ALWAYS_RCS
from tests.support.views import card_content, signed_in


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (900, 450), (200, 30, 60)).save(buffer, "JPEG")
    return SimpleUploadedFile("soldes.jpg", buffer.getvalue(), content_type="image/jpeg")


def url(answered):
    """The URL a provider must be given for the file the upload answered (any address)."""
    return "https://relais.example/media/" + answered.split("/media/", 1)[-1].removeprefix("media:")


def test_a_version_published_under_localhost_sends_its_image_on_todays_address(
    stub, rbm_settings, jobs, client, db
):
    rbm_settings.RBM_API_BASE = stub.base_url
    stub.reply_json(fixture_json("rbm", "send_ok.json"))
    rbm_settings.PUBLIC_BASE_URL = "http://localhost:8000"
    signed_in(client)
    # Uploaded in the editor, which puts what the upload answers into the content.
    crop = client.post("/media/upload/", {"image": jpeg()}).json()["variants"]["STANDALONE:MEDIUM"]
    info = {"fileUrl": crop["file"], "thumbnailUrl": crop["thumbnail"]}
    content = card_content(media={"height": "MEDIUM", "contentInfo": info})
    template = make_template(slug="suivi_commande", traffic_type="TRANSACTION", rcs_content=content)
    publish_template(template)

    rbm_settings.PUBLIC_BASE_URL = "https://relais.example"
    services.submit_message(
        template_id="suivi_commande", recipient=ALWAYS_RCS, variables={"prenom": "Camille"}
    )
    jobs.run()

    [sent] = [request for request in stub.requests if request.path.endswith("/agentMessages")]
    assert sent.json()["contentMessage"] == {
        "richCard": {
            "standaloneCard": {
                "cardOrientation": "VERTICAL",
                "cardContent": {
                    "title": "Soldes",
                    "media": {
                        "height": "MEDIUM",
                        "contentInfo": {
                            "fileUrl": url(crop["file"]),
                            "thumbnailUrl": url(crop["thumbnail"]),
                        },
                    },
                    "suggestions": [
                        {
                            "action": {
                                "text": "Voir les offres",
                                "openUrlAction": {"url": tracked(Message.objects.get(), 0)},
                                "postbackData": "cta_offres01",
                            }
                        }
                    ],
                },
            }
        }
    }

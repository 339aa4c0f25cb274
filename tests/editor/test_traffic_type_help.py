"""The new-template form says what each traffic type means and what it changes."""

import pytest

from tests.support.views import signed_in

pytestmark = pytest.mark.django_db


def test_the_new_template_form_explains_the_traffic_type(client):
    signed_in(client)
    response = client.get("/templates/new/")
    help_text = str(response.context["form"]["traffic_type"].help_text)
    assert "goes only to contacts who opted in" in help_text
    assert "STOP mention" in help_text
    assert "never use them for marketing" in help_text
    assert help_text in response.content.decode().replace("&#x27;", "'")

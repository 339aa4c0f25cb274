"""The curl example of docs/api.md's "Campaigns" runs as written against a running Relais set up
as `make run` sets it up the first time (the demo data and its test key)."""

import re

import pytest
from django.core.management import call_command

from campaigns.models import Campaign
from tests.support.docs_examples import answers_of, assert_not_a_problem, doc_text, run_example

SECTION = re.compile(r"^## Campaigns$(.*?)^## ", re.MULTILINE | re.DOTALL)
BLOCK = re.compile(r"^```sh$(.*?)^```$", re.MULTILINE | re.DOTALL)


@pytest.mark.django_db(transaction=True)
def test_the_campaign_example_runs_on_the_demo_data(relais_at_url, jobs):
    call_command("seed_demo", verbosity=0)
    (code,) = BLOCK.findall(SECTION.search(doc_text("api.md")).group(1))

    output = run_example("sh", code)

    launched, shown = answers_of(output)
    for answer in (launched, shown):
        assert_not_a_problem(answer)
    campaign = Campaign.objects.get(public_id=shown["id"])
    assert campaign.test_mode and campaign.name == "Soldes d'hiver"
    assert shown["status"] != "draft"

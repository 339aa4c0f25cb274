"""The curl example of docs/api.md's "Campaigns" runs as written against a running Relais set up
as `make run` sets it up the first time (the demo data and its test key)."""

import json
import os
import re
import subprocess

import pytest
from django.core.management import call_command

from campaigns.models import Campaign
from tests.support.fresh_process import ROOT

SECTION = re.compile(r"^## Campaigns$(.*?)^## ", re.MULTILINE | re.DOTALL)
BLOCK = re.compile(r"^```sh$(.*?)^```$", re.MULTILINE | re.DOTALL)


def answers_of(output):
    """The JSON documents curl printed one after the other."""
    decoder, answers, at = json.JSONDecoder(), [], 0
    while at < len(output):
        if output[at].isspace():
            at += 1
            continue
        answer, at = decoder.raw_decode(output, at)
        answers.append(answer)
    return answers


@pytest.mark.django_db(transaction=True)
def test_the_campaign_example_runs_on_the_demo_data(live_server, test_key, jobs, monkeypatch):
    call_command("seed_demo", verbosity=0)
    monkeypatch.setenv("RELAIS_URL", live_server.url)
    monkeypatch.setenv("RELAIS_API_KEY", test_key[1])
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    (code,) = BLOCK.findall(SECTION.search(text).group(1))

    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ,
    )

    assert done.returncode == 0, done.stderr
    launched, shown = answers_of(done.stdout)
    for answer in (launched, shown):
        assert not str(answer.get("type", "")).startswith("urn:relais:problem"), answer
    campaign = Campaign.objects.get(public_id=shown["id"])
    assert campaign.test_mode and campaign.name == "Soldes d'hiver"
    assert shown["status"] != "draft"

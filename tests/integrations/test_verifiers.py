"""The verifiers of docs/webhooks.md, run as written (Python, Node.js, Java; PHP when a php
binary is there) against a real signed delivery that Relais POSTed to a local receiver."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from integrations import services
from integrations.models import WebhookDelivery
from tests.integrations.support import make_endpoint

pytestmark = pytest.mark.django_db

DOC = Path(settings.BASE_DIR) / "docs" / "webhooks.md"


def snippet(language):
    text = DOC.read_text()
    match = re.search(rf"<!-- verifier: {language} -->\n```\w+\n(.*?)\n```", text, re.S)
    assert match, f"no {language} verifier in docs/webhooks.md"
    return match.group(1)


@pytest.fixture
def delivered(receiver, jobs, tmp_path):
    """(secret, body bytes, Relais-Signature) of a delivery Relais really sent."""
    endpoint = make_endpoint(receiver.base_url + "/relais", events=["message.delivered"])
    payload = {"id": "evt-1", "type": "message.delivered", "data": {"text": "Livré à Lyon ✓"}}
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, type="message.delivered", payload=payload
    )
    receiver.reply(204)
    assert services.deliver(delivery.pk) == "succeeded"
    request = receiver.last
    return endpoint.secret, request.body, request.header("Relais-Signature")


def cases(secret, body, header):
    """(secret, body, header, expected) the verifiers must all agree on."""
    stale = re.sub(r"t=(\d+)", lambda m: f"t={int(m.group(1)) - 600}", header)
    return [
        (secret, body, header, True),
        (secret, body.replace(b"Lyon", b"Lille"), header, False),
        ("whsec_other", body, header, False),
        (secret, body, stale, False),
        (secret, body, "v1=" + header.split("v1=")[1], False),
    ]


def write_cases(tmp_path, delivered):
    data = [
        {"secret": s, "body": b.decode(), "header": h, "expected": e}
        for s, b, h, e in cases(*delivered)
    ]
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def run(command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, **kwargs)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.split()


def test_the_python_verifier(delivered, tmp_path):
    path = write_cases(tmp_path, delivered)
    script = tmp_path / "verify.py"
    script.write_text(
        snippet("python")
        + "\n\nimport json, sys\n"
        + "for case in json.load(open(sys.argv[1], encoding='utf-8')):\n"
        + "    ok = verify_relais(case['secret'], case['body'].encode(), case['header'])\n"
        + "    print(ok == case['expected'])\n"
    )
    assert run([sys.executable, str(script), str(path)]) == ["True"] * 5


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_node_verifier(delivered, tmp_path):
    path = write_cases(tmp_path, delivered)
    script = tmp_path / "verify.js"
    script.write_text(
        snippet("node")
        + "\n\nconst fs = require('node:fs');\n"
        + "for (const c of JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))) {\n"
        + "  const ok = verifyRelais(c.secret, Buffer.from(c.body, 'utf8'), c.header);\n"
        + "  console.log(ok === c.expected ? 'True' : 'False');\n"
        + "}\n"
    )
    assert run(["node", str(script), str(path)]) == ["True"] * 5


@pytest.mark.skipif(shutil.which("javac") is None, reason="no Java compiler")
def test_the_java_verifier(delivered, tmp_path):
    (tmp_path / "RelaisSignature.java").write_text(snippet("java"))
    lines = []
    for index, (secret, body, header, expected) in enumerate(cases(*delivered)):
        (tmp_path / f"body{index}").write_bytes(body)
        lines.append(
            f'check({json.dumps(secret)}, Files.readAllBytes(Path.of("{tmp_path}/body{index}")), '
            f"{json.dumps(header)}, {str(expected).lower()});"
        )
    (tmp_path / "Check.java").write_text(
        "import java.nio.file.*;\npublic class Check {\n"
        "  static void check(String s, byte[] b, String h, boolean e) {\n"
        '    System.out.println(RelaisSignature.verify(s, b, h) == e ? "True" : "False");\n'
        "  }\n"
        "  public static void main(String[] a) throws Exception {\n    "
        + "\n    ".join(lines)
        + "\n  }\n}\n"
    )
    run(["javac", "RelaisSignature.java", "Check.java"], cwd=tmp_path)
    assert run(["java", "-cp", str(tmp_path), "Check"]) == ["True"] * 5


@pytest.mark.skipif(shutil.which("php") is None, reason="php is not installed")
def test_the_php_verifier_is_valid_php(tmp_path):
    script = tmp_path / "verify.php"
    script.write_text(snippet("php"))
    run(["php", "-l", str(script)])

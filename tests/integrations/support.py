"""Helpers for the outbound webhook tests: an independent verifier, endpoints, a receiver."""

import hashlib
import hmac
import json

from integrations.models import WebhookEndpoint
from sending import services as sending
from tests.factories import make_contact

ALL_EVENTS = [
    "message.sent",
    "message.delivered",
    "message.read",
    "message.failed",
    "message.fell_back",
    "message.clicked",
    "contact.opted_out",
    "contact.opted_in",
    "inbound.received",
]


def independent_verify(secret, request):
    """Check a recorded request's Relais-Signature as a receiver would, without Relais' code."""
    fields = dict(part.split("=", 1) for part in request.header("Relais-Signature").split(","))
    message = fields["t"].encode("ascii") + b"." + request.body
    expected = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, fields["v1"])


def make_endpoint(url, *, mode="test", events=None, **fields):
    return WebhookEndpoint.objects.create(
        mode=mode, url=url, events=list(events or ALL_EVENTS), **fields
    )


def bodies(stub):
    return [json.loads(request.body) for request in stub.requests]


def send(phone, *, test_mode, captured, jobs, until=0):
    make_contact(phone=phone, opted_in=True, test_mode=test_mode)
    with captured(execute=True):
        message = sending.submit_message(
            template_id="suivi_commande",
            recipient=phone,
            variables={"prenom": "Léa"},
            external_id="order-1042",
            test_mode=test_mode,
        )
    drain(jobs, captured, until)
    return message


def drain(jobs, captured, until=0):
    """Run the due jobs, and those their commits queue, until none is left to run."""
    while True:
        with captured(execute=True):
            ran = jobs.run(until=until)
        if not ran:
            return


def sign_in_administrator(client):
    """Sign client in as a staff member of the Administrator role who is no superuser."""
    from accounts.roles import sync_administrator_role
    from tests.factories import make_person

    sync_administrator_role()
    admin = make_person("alice", "Administrator")
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    return admin

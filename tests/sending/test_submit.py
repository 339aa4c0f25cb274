"""submit_message: what the API relies on — refusals naming the field, the queued message."""

import pytest
from django.db import transaction

import jobs as job_queue
from audience.models import Contact
from sending import services
from sending.models import Message
from sending.services.routing import DEFAULT_RCS_TTL_SECONDS, default_rcs_ttl
from tests.factories import make_published_template, make_template
from tests.support.sending import ALWAYS_RCS


def submit(version, recipient=ALWAYS_RCS, variables=None, **options):
    return services.submit_message(
        template_id=version.template.slug,
        recipient=recipient,
        variables={"prenom": "Camille"} if variables is None else variables,
        **options,
    )


def refusal(version, **options):
    with pytest.raises(services.SendRefused) as refused:
        submit(version, **options)
    return refused.value


def test_message_is_queued_with_everything_needed_to_send(transactional, jobs):
    message = submit(transactional, recipient="06 99 00 00 01", external_id="order-1042")

    assert message.status == Message.Status.QUEUED
    assert message.contact.phone == "+33699000001"
    assert message.template_version == transactional
    assert message.variables == {"prenom": "Camille"}
    assert message.traffic_type == "TRANSACTION"
    assert message.policy == Message.Policy.RCS_WITH_FALLBACK
    assert message.rcs_ttl_seconds == DEFAULT_RCS_TTL_SECONDS["TRANSACTION"]
    assert message.provider == "simulator"
    assert message.external_id == "order-1042"
    assert message.source == Message.Source.API
    assert [(job.name, job.args) for job in jobs.pending] == [("send_message", (message.pk,))]


def test_the_same_contact_is_reused(transactional, jobs):
    first = submit(transactional)
    second = submit(transactional, recipient="+33 6 99 00 00 01")
    assert first.contact == second.contact
    assert Contact.objects.count() == 1


def test_test_mode_forces_the_simulator(transactional, jobs, settings):
    settings.MESSAGING_PROVIDER = "twilio"
    assert submit(transactional, test_mode=True).provider == "simulator"


def test_unknown_template_is_404(db):
    with pytest.raises(services.SendRefused) as refused:
        services.submit_message(template_id="nope", recipient=ALWAYS_RCS, variables={})
    assert (refused.value.field, refused.value.code, refused.value.status) == (
        "template_id",
        "unknown_template",
        404,
    )


def test_unpublished_template_is_refused(db):
    template = make_template(slug="brouillon")
    with pytest.raises(services.SendRefused) as refused:
        services.submit_message(template_id=template.slug, recipient=ALWAYS_RCS, variables={})
    assert (refused.value.field, refused.value.code) == ("template_id", "template_not_published")


def test_missing_variable_is_named(transactional):
    refused = refusal(transactional, variables={})
    assert (refused.field, refused.code) == ("variables.prenom", "missing_variable")


def test_invalid_number_is_refused(transactional):
    refused = refusal(transactional, recipient="06 12")
    assert (refused.field, refused.code) == ("recipient", "invalid_recipient")


@pytest.mark.parametrize(
    ("options", "field", "code"),
    [
        ({"policy": "carrier_pigeon"}, "policy", "invalid_policy"),
        ({"rcs_ttl_seconds": 5}, "rcs_ttl_seconds", "invalid_ttl"),
        ({"rcs_ttl_seconds": 16 * 86400}, "rcs_ttl_seconds", "invalid_ttl"),
    ],
)
def test_bad_options_are_named(transactional, options, field, code):
    refused = refusal(transactional, **options)
    assert (refused.field, refused.code) == (field, code)


def test_rcs_only_template_refuses_an_sms_policy(db):
    _template, version = make_published_template(
        slug="rcs_seul", traffic_type="TRANSACTION", rcs_only=True, sms_fallback=""
    )
    assert submit(version).policy == Message.Policy.RCS_ONLY
    assert refusal(version, policy="sms_only").code == "invalid_policy"


def test_a_value_that_breaks_the_rcs_content_is_refused(transactional):
    # The title holds the first name: 200 characters at most.
    refused = refusal(transactional, variables={"prenom": "x" * 250})
    # The field names the variable whose value broke it.
    assert (refused.field, refused.code) == ("variables.prenom", "invalid_content")


def test_deadline_comes_from_the_call_then_the_template_then_the_traffic_type(db, jobs):
    _template, version = make_published_template(
        slug="otp", traffic_type="AUTHENTICATION", rcs_ttl_seconds=None
    )
    assert submit(version).rcs_ttl_seconds == 60
    _template, version = make_published_template(
        slug="otp_lent", traffic_type="AUTHENTICATION", rcs_ttl_seconds=120
    )
    assert submit(version).rcs_ttl_seconds == 120
    assert submit(version, rcs_ttl_seconds=30).rcs_ttl_seconds == 30


def test_default_deadlines_per_traffic_type():
    assert default_rcs_ttl("AUTHENTICATION") == 60
    assert default_rcs_ttl("PROMOTION") == 3600
    assert default_rcs_ttl("ACKNOWLEDGEMENT") < default_rcs_ttl("PROMOTION")


@pytest.mark.django_db(transaction=True)
def test_the_send_job_is_enqueued_only_when_the_transaction_commits(monkeypatch):
    enqueued = []
    monkeypatch.setattr(
        job_queue,
        "put",
        lambda path, args_list, **kw: enqueued.extend((path, *a) for a in args_list),
    )
    _template, version = make_published_template(slug="suivi", traffic_type="TRANSACTION")

    with transaction.atomic():
        message = submit(version)
        assert enqueued == []
    assert enqueued == [("sending.tasks.send_message", message.pk)]

    with pytest.raises(RuntimeError), transaction.atomic():
        submit(version)
        raise RuntimeError("the API answer could not be stored")
    assert len(enqueued) == 1
    assert Message.objects.count() == 1


def test_capabilities_use_the_cache_and_ask_the_provider_for_the_rest(db):
    answers = services.check_capabilities(
        ["+33699000001", "06 99 00 00 02", "hello"], test_mode=True
    )

    assert [(a.number, a.capable) for a in answers] == [
        ("+33699000001", True),
        ("+33699000002", False),
        ("hello", None),
    ]
    assert answers[0].cache_age_seconds == 0
    assert answers[2].error
    assert Contact.objects.get(phone="+33699000002").rcs_capable is False

    Contact.objects.filter(phone="+33699000001").update(rcs_capable=False)
    again = services.check_capabilities(["+33699000001"], test_mode=True)
    # Answered from the cache (the simulator would say True).
    assert again[0].capable is False
    assert again[0].checked_at == answers[0].checked_at

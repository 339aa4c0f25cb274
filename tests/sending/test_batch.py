"""The batch engine in one process: snapshot, claim, send, pause/cancel, re-runs (SQLite or PG)."""

import pytest
from django.db import connection
from django.utils import timezone, translation

from audience.models import ConsentEntry, Contact
from sending import services
from sending.dispatches import Dispatch
from sending.models import Attempt, Message
from sending.services import batch, claim_sql, simulation
from tests.factories import make_consent, make_contact, make_dispatch, make_published_template
from tests.support.batches import claim_batch, claimed_ids
from tests.support.sending import NEVER_RCS

pytestmark = pytest.mark.django_db

SPEC = {"prenom": {"field": "first_name", "default": "client"}}


@pytest.fixture
def version(db):
    _template, version = make_published_template(slug="promo_batch")
    return version


def audience(count, *, opted_in=True, test_mode=True, **fields):
    return [make_contact(opted_in=opted_in, test_mode=test_mode, **fields).pk for _ in range(count)]


def test_snapshot_writes_one_message_per_contact_and_a_second_adds_nothing(version, jobs):
    ids = audience(3, first_name="Marie") + audience(2)
    dispatch = make_dispatch(version)

    first = services.snapshot_audience(dispatch, Contact.objects.filter(pk__in=ids), SPEC)
    second = services.snapshot_audience(dispatch, Contact.objects.filter(pk__in=ids), SPEC)

    assert len(first) == 5
    assert second == []
    messages = Message.objects.filter(dispatch=dispatch)
    assert messages.count() == 5
    names = sorted(message.variables["prenom"] for message in messages)
    assert names == ["Marie", "Marie", "Marie", "client", "client"]
    assert {message.status for message in messages} == {"queued"}
    assert {message.source for message in messages} == {"campaign"}
    # One batch job for the first snapshot, none for the second.
    assert [(job.name, job.args) for job in jobs.pending] == [
        ("send_batch", (dispatch.pk, sorted(first)))
    ]


def test_snapshot_fills_attributes_and_fixed_values_and_skips_the_other_mode(version, jobs):
    live = make_contact(test_mode=False, opted_in=True).pk
    test = make_contact(test_mode=True, opted_in=True, attributes={"ville": "Lyon"}).pk
    dispatch = make_dispatch(version)
    spec = {
        "prenom": {"field": "first_name", "default": "client"},
        "ville": {"attribute": "ville", "default": "chez vous"},
        "offre": {"value": "48h"},
    }

    services.snapshot_audience(dispatch, Contact.objects.filter(pk__in=[live, test]), spec)

    message = Message.objects.get(dispatch=dispatch)
    assert message.contact_id == test
    assert message.variables == {"prenom": "client", "ville": "Lyon", "offre": "48h"}


@pytest.mark.parametrize(
    "spec, fragment",
    [
        ({"prenom": {"field": "password"}}, "“password” is not a contact field"),
        ({"prenom": {"value": "a", "field": "first_name"}}, "exactly one source"),
        ({"prenom": "Marie"}, "as an object"),
        ({"prenom": {"value": 3}}, "as text"),
    ],
)
def test_a_bad_variables_spec_is_refused_naming_the_variable(version, jobs, spec, fragment):
    dispatch = make_dispatch(version)
    with translation.override("en"), pytest.raises(services.SnapshotError, match=fragment):
        services.snapshot_audience(dispatch, Contact.objects.all(), spec)
    assert not Message.objects.exists()


def test_rollout_stages_follow_the_same_draw_in_sql_and_python(version, jobs):
    ids = audience(40)
    dispatch = make_dispatch(version)
    share = services.FirstShare(share=0.25, seed="campaign-7")

    services.snapshot_audience(dispatch, Contact.objects.filter(pk__in=ids), {}, stage_of=share)

    stages = dict(Message.objects.filter(dispatch=dispatch).values_list("contact_id", "stage"))
    assert stages == {pk: 0 if pk in share.first(ids) else 1 for pk in ids}
    first = [pk for pk, stage in stages.items() if stage == 0]
    assert len(first) == 10
    queued = [message_id for job in jobs.pending for message_id in job.args[1]]
    assert len(queued) == len(first)


def test_a_batch_is_claimed_once(version, jobs):
    ids = audience(4)
    dispatch = make_dispatch(version)
    message_ids = services.snapshot_audience(dispatch, Contact.objects.filter(pk__in=ids), SPEC)
    now = timezone.now()
    until = now + timezone.timedelta(seconds=30)

    first = claimed_ids(dispatch, message_ids, now=now, until=until)
    again = claimed_ids(dispatch, message_ids, now=now, until=until)

    assert sorted(first) == sorted(message_ids)
    assert again == []
    # Once the lease ran out (a dead worker), the batch can be claimed again.
    later = until + timezone.timedelta(seconds=1)
    retaken = claimed_ids(dispatch, message_ids, now=later, until=later)
    assert sorted(retaken) == sorted(message_ids)
    assert set(Message.objects.values_list("send_tries", flat=True)) == {2}


def test_whoever_opted_out_after_the_snapshot_gets_nothing(version, jobs, network):
    ids = audience(5)
    dispatch = make_dispatch(version)
    services.snapshot_audience(dispatch, Contact.objects.filter(pk__in=ids), SPEC)
    leaver = Contact.objects.get(pk=ids[0])
    make_consent(leaver, kind=ConsentEntry.Kind.OPT_OUT)

    jobs.run(until=0)

    leaver_message = Message.objects.get(contact=leaver)
    assert leaver_message.status == Message.Status.SUPPRESSED
    assert leaver_message.status_reason == Message.Reason.OPTED_OUT
    assert not leaver_message.attempts.exists()
    others = Message.objects.exclude(contact=leaver)
    assert {message.status for message in others} == {Message.Status.SENT}
    # One accepted attempt each (a number the network says cannot get RCS gets the SMS).
    assert Attempt.objects.filter(status="sent").count() == 4
    dispatch.refresh_from_db()
    assert dispatch.status == Dispatch.Status.DONE


def test_a_landline_or_a_country_not_allowed_in_the_audience_gets_nothing(
    version, jobs, network, settings
):
    ids = audience(2)
    landline = make_contact(opted_in=True, test_mode=True, phone="+33142685300")
    abroad = make_contact(opted_in=True, test_mode=True, phone="+447700900123")
    dispatch = make_dispatch(version)
    everyone = Contact.objects.filter(pk__in=[*ids, landline.pk, abroad.pk])
    services.snapshot_audience(dispatch, everyone, SPEC)

    jobs.run(until=0)

    for contact in (landline, abroad):
        message = Message.objects.get(contact=contact)
        assert message.status == Message.Status.SUPPRESSED
        assert message.status_reason == Message.Reason.DESTINATION_REFUSED
        assert not message.attempts.exists()
    sent = Message.objects.filter(contact_id__in=ids)
    assert {message.status for message in sent} == {Message.Status.SENT}
    dispatch.refresh_from_db()
    assert dispatch.status == Dispatch.Status.DONE


def test_a_batch_renders_each_contact_and_receipts_come_back_batched(version, jobs, network):
    ids = audience(20, first_name="Léa")
    dispatch = make_dispatch(version)
    services.snapshot_audience(dispatch, Contact.objects.filter(pk__in=ids), SPEC)

    jobs.run(until=0)
    scheduled = [job for job in jobs.pending if job.name == "post_simulated_events"]
    jobs.run(until=60)

    # Only the dispatch's: the simulator's occasional STOP reply adds an acknowledgement.
    for message in Message.objects.filter(dispatch=dispatch):
        assert message.sms_text.startswith("Léa, -40 %")
    delivered = 0
    for attempt in Attempt.objects.filter(message__dispatch=dispatch):
        planned = {event["type"] for event in attempt.raw_response.get("planned_events", [])}
        if "delivered" in planned:
            # Its receipt came back through the webhook endpoint within the minute.
            assert attempt.status in ("delivered", "read")
            delivered += 1
    assert delivered
    # Receipts of the whole chunk travel together: a few posts, not one per message and moment.
    # The RCS pass and the SMS-fallback pass of the job each post theirs, hence twice the moments.
    events = sum(len(job.args[0]) for job in scheduled)
    assert len(scheduled) <= 2 * len(simulation.BATCH_MOMENTS)
    assert len(scheduled) < events


def test_a_paused_dispatch_claims_nothing_until_resumed(version, jobs, network):
    ids = audience(3)
    dispatch = make_dispatch(version)
    services.snapshot_audience(dispatch, Contact.objects.filter(pk__in=ids), SPEC)

    assert services.pause_dispatch(dispatch)
    jobs.run(until=0)
    assert set(Message.objects.values_list("status", flat=True)) == {"queued"}

    assert services.resume_dispatch(dispatch)
    jobs.run(until=0)
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}


def test_a_cancelled_dispatch_sends_nothing_more(version, jobs, network):
    ids = audience(3)
    dispatch = make_dispatch(version)
    services.snapshot_audience(dispatch, Contact.objects.filter(pk__in=ids), SPEC)

    assert services.cancel_dispatch(dispatch) == 3
    jobs.run(until=0)

    assert set(Message.objects.values_list("status", flat=True)) == {"cancelled"}
    assert not Attempt.objects.exists()


def test_not_capable_contacts_go_sms_and_unreachable_ones_fall_back_in_the_same_job(
    version, jobs, network
):
    capable = make_contact(opted_in=True, test_mode=True, phone="+33699000001")
    known_not = make_contact(opted_in=True, test_mode=True, phone="+33699000002")
    known_not.remember_capability(False)
    known_not.save()
    dispatch = make_dispatch(version)
    contacts = Contact.objects.filter(pk__in=[capable.pk, known_not.pk])
    services.snapshot_audience(dispatch, contacts, SPEC)

    jobs.run(until=0)

    assert Message.objects.get(contact=capable).final_channel == "rcs"
    sms = Message.objects.get(contact=known_not)
    assert (sms.intended_channel, sms.final_channel, sms.status) == ("sms", "sms", "sent")


def dies_before_the_second_pass(monkeypatch):
    real_pass, passes = batch._send_pass, []

    def dying(*args):
        passes.append(args)
        if len(passes) == 2:
            raise SystemExit("worker killed")
        return real_pass(*args)

    monkeypatch.setattr(batch, "_send_pass", dying)


def dies_once_a_chunks_fallbacks_are_written(monkeypatch):
    # Its first pass not over: the fallbacks were committed as queued, their job must be out.
    real_record = batch.record_results

    def dying(*args):
        _sent, fallbacks = real_record(*args)
        assert fallbacks
        raise SystemExit("worker killed")

    monkeypatch.setattr(batch, "record_results", dying)


@pytest.mark.parametrize(
    "death", [dies_before_the_second_pass, dies_once_a_chunks_fallbacks_are_written]
)
def test_fallbacks_queued_by_a_batch_have_a_job_of_their_own_if_its_worker_dies(
    version, jobs, network, monkeypatch, death
):
    unreachable = make_contact(opted_in=True, test_mode=True, phone=NEVER_RCS)
    dispatch = make_dispatch(version)
    services.snapshot_audience(dispatch, Contact.objects.filter(pk=unreachable.pk), SPEC)
    [job] = jobs.pending
    jobs.pending.clear()

    with monkeypatch.context() as patches:
        death(patches)
        with pytest.raises(SystemExit):
            services.send_batch(*job.args)
    message = Message.objects.get(contact=unreachable)
    assert (message.status, message.fallback_reason) == ("queued", "not_reachable")

    assert [(pending.name, pending.args) for pending in jobs.pending] == [
        ("send_batch", (dispatch.pk, [message.pk]))
    ]
    jobs.run(until=0)
    message.refresh_from_db()
    assert (message.status, message.final_channel) == ("sent", "sms")


def test_a_rerun_of_a_batch_whose_worker_died_sends_nothing_twice(version, jobs, network):
    ids = audience(3)
    dispatch = make_dispatch(version)
    message_ids = services.snapshot_audience(dispatch, Contact.objects.filter(pk__in=ids), SPEC)
    jobs.run(until=0)
    first = {a.message_id: a.public_id for a in Attempt.objects.all()}
    # The job runs again (RQ re-runs an abandoned job): everything was sent already.
    assert services.send_batch(dispatch.pk, message_ids) == 0
    assert {a.message_id: a.public_id for a in Attempt.objects.all()} == first


def test_the_reconciler_gives_an_expired_lease_back_to_a_batch_job(version, jobs, network):
    ids = audience(2)
    dispatch = make_dispatch(version)
    message_ids = services.snapshot_audience(dispatch, Contact.objects.filter(pk__in=ids), SPEC)
    jobs.pending.clear()
    now = timezone.now() - timezone.timedelta(seconds=5)
    # A worker claimed the batch, then died before any provider call.
    claim_batch(dispatch, message_ids, now=now, until=now)

    later = now + timezone.timedelta(seconds=1)
    assert services.reconcile_stuck_messages(now=later) == 2

    assert [job.name for job in jobs.pending] == ["send_batch"]
    jobs.run(until=0)
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}
    assert Attempt.objects.filter(status="sent").count() == 2


@pytest.mark.parametrize("another_job_waits", [False, True])
def test_a_batch_whose_job_was_lost_before_its_claim_is_sent_again_once_no_job_waits(
    version, jobs, network, another_job_waits
):
    # A worker took the job from the queue and died before its claim committed: the messages
    # are queued, with no lease and no job. While other jobs wait in the queue they may be
    # waiting their turn; once none waits, they are lost, and a minute is enough to say so.
    ids = audience(2)
    dispatch = make_dispatch(version)
    services.snapshot_audience(dispatch, Contact.objects.filter(pk__in=ids), SPEC)
    jobs.pending.clear()
    if another_job_waits:
        jobs.enqueue("sending.tasks.send_batch", dispatch.pk, [])
    snapshot_at = timezone.now() - timezone.timedelta(seconds=61)
    Message.objects.filter(dispatch=dispatch).update(updated=snapshot_at)

    redriven = services.reconcile_stuck_messages()

    if another_job_waits:
        assert redriven == 0
        ten_minutes_on = timezone.now() + timezone.timedelta(minutes=10)
        assert services.reconcile_stuck_messages(now=ten_minutes_on) == 2
    else:
        assert redriven == 2
        assert [job.name for job in jobs.pending] == ["send_batch"]
        jobs.run(until=0)
        assert set(Message.objects.values_list("status", flat=True)) == {"sent"}


def test_vendor_note():
    """Documents which path ran: the PostgreSQL statements or the SQLite ORM fallback."""
    assert connection.vendor in ("postgresql", "sqlite")


def test_messages_given_back_by_a_batch_of_a_cancelled_dispatch_end_cancelled(version, jobs):
    ids = audience(2)
    dispatch = make_dispatch(version)
    message_ids = services.snapshot_audience(dispatch, Contact.objects.filter(pk__in=ids), SPEC)
    now = timezone.now()
    claimed = claimed_ids(
        dispatch, message_ids, now=now, until=now + timezone.timedelta(seconds=30)
    )
    # Cancelled while the batch held them: the heartbeat sees it and the batch gives them back.
    services.cancel_dispatch(dispatch)
    assert claim_sql.extend_lease(claimed, until=now) == {Dispatch.Status.CANCELLED}

    assert claim_sql.release(claimed) == 2
    assert set(Message.objects.values_list("status", flat=True)) == {"cancelled"}


def test_messages_given_back_by_a_batch_of_a_paused_dispatch_wait_queued(version, jobs):
    ids = audience(2)
    dispatch = make_dispatch(version)
    message_ids = services.snapshot_audience(dispatch, Contact.objects.filter(pk__in=ids), SPEC)
    now = timezone.now()
    claimed = claimed_ids(
        dispatch, message_ids, now=now, until=now + timezone.timedelta(seconds=30)
    )
    services.pause_dispatch(dispatch)

    claim_sql.release(claimed)

    assert set(Message.objects.values_list("status", "send_tries")) == {("queued", 0)}


def test_a_batch_past_its_time_budget_hands_the_rest_to_a_new_job(
    version, jobs, network, monkeypatch
):
    from sending.services import batch

    ids = audience(3)
    dispatch = make_dispatch(version)
    message_ids = services.snapshot_audience(dispatch, Contact.objects.filter(pk__in=ids), SPEC)
    jobs.pending.clear()
    monkeypatch.setattr(batch, "CHUNK", 1)
    monkeypatch.setattr(batch, "TIME_BUDGET", -1.0)  # spent before the first chunk

    assert services.send_batch(dispatch.pk, message_ids) == 0

    assert set(Message.objects.values_list("status", flat=True)) == {"queued"}
    # The simulator's attempts were written with the claim; never called, they went with it.
    assert not Attempt.objects.exists()
    assert [(job.name, job.args) for job in jobs.pending] == [
        ("send_batch", (dispatch.pk, sorted(message_ids)))
    ]
    monkeypatch.setattr(batch, "TIME_BUDGET", 120.0)
    jobs.run(until=0)
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}
    assert Attempt.objects.filter(status="sent").count() == 3

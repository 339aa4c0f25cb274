"""The capability audit's job: the simulator's answers, chunks of up to 10,000, pacing, test
and live apart, and a re-run after a crash that counts nobody twice."""

import pytest
from django.utils import timezone

from audience import audit as audits
from audience import tasks
from audience.audit import AuditRefused, Pace, run_audit, start_audit
from audience.models import CapabilityAudit, Contact
from messaging.providers import get_provider
from tests.factories import make_contact, make_list, make_segment
from tests.support.capability import STUB_PATH, StubCapabilityProvider
from tests.support.providers import SIMULATOR_SETTINGS
from tests.support.sending import ALWAYS_RCS, NEVER_RCS

pytestmark = pytest.mark.django_db


@pytest.fixture
def simulator(settings):
    for name, value in SIMULATOR_SETTINGS.items():
        setattr(settings, name, value)
    settings.SIMULATOR_RCS_RATIO = 0.85
    return get_provider("simulator")


@pytest.fixture
def stub(settings):
    """Live audits go through the stub provider."""
    settings.MESSAGING_PROVIDER = STUB_PATH
    yield StubCapabilityProvider.reset()
    StubCapabilityProvider.reset()


class NoPace:
    def wait(self):
        pass


def list_of(phones, *, test_mode=False, name=None):
    contact_list = make_list(name=name, test_mode=test_mode)
    for phone in phones:
        contact = make_contact(phone=phone, test_mode=test_mode)
        contact_list.contacts.add(contact, through_defaults={"source": "api"})
    return contact_list


def phones(count, start=0):
    return [f"+3361{n:07d}" for n in range(start, start + count)]


def cached(phone, test_mode):
    contact = Contact.objects.get(phone=phone, test_mode=test_mode)
    return contact.rcs_capable, contact.rcs_checked_at is not None


def test_a_test_audit_counts_what_the_simulator_answers_and_caches_it_on_test_contacts(
    jobs, simulator
):
    numbers = [ALWAYS_RCS, NEVER_RCS, *phones(40)]
    test_list = list_of(numbers, test_mode=True)
    # The same numbers as live contacts: a test audit never touches them.
    for number in numbers:
        make_contact(phone=number)

    audit = start_audit(contact_list=test_list)
    assert jobs.names() == ["run_capability_audit"]
    jobs.run()

    audit.refresh_from_db()
    capable = [number for number in numbers if simulator.is_rcs_capable(number)]
    assert (audit.status, audit.provider) == ("done", "simulator")
    assert (audit.total, audit.checked) == (42, 42)
    assert (audit.rcs_yes, audit.rcs_no, audit.unknown) == (len(capable), 42 - len(capable), 0)
    # Hash-based: most of these numbers can, some cannot.
    assert 0 < 42 - len(capable) < 21
    assert cached(ALWAYS_RCS, True) == (True, True)
    assert cached(NEVER_RCS, True) == (False, True)
    assert Contact.objects.test().filter(rcs_capable=True).count() == len(capable)
    assert not Contact.objects.live().filter(rcs_checked_at__isnull=False).exists()


def test_a_live_audit_is_refused_when_the_simulator_would_make_its_answers_up(settings, english):
    settings.MESSAGING_PROVIDER = "simulator"
    live_list = list_of(phones(3))

    with pytest.raises(AuditRefused, match="Switch to test data"):
        start_audit(contact_list=live_list)
    assert not CapabilityAudit.objects.exists()


def test_an_empty_list_is_refused(stub, english):
    with pytest.raises(AuditRefused, match="no contact"):
        start_audit(contact_list=make_list())


def test_a_live_audit_writes_live_contacts_only(jobs, stub):
    numbers = phones(4)
    live_list = list_of(numbers)
    for number in numbers:
        make_contact(phone=number, test_mode=True)
    stub.answers = {numbers[0]: True, numbers[1]: False, numbers[2]: True}

    audit = start_audit(contact_list=live_list)
    jobs.run()

    audit.refresh_from_db()
    assert (audit.rcs_yes, audit.rcs_no, audit.unknown) == (2, 1, 1)
    assert [cached(number, False) for number in numbers] == [
        (True, True),
        (False, True),
        (True, True),
        (None, False),
    ]
    assert not Contact.objects.test().filter(rcs_checked_at__isnull=False).exists()


def test_an_unknown_answer_keeps_what_the_cache_knew(stub):
    numbers = phones(2)
    live_list = list_of(numbers)
    earlier = timezone.now() - timezone.timedelta(days=3)
    Contact.objects.filter(phone=numbers[0]).update(rcs_capable=True, rcs_checked_at=earlier)
    stub.answers = {numbers[1]: False}

    audit = run_audit(start_audit(contact_list=live_list).pk)

    assert audit.unknown == 1
    kept = Contact.objects.get(phone=numbers[0], test_mode=False)
    assert (kept.rcs_capable, kept.rcs_checked_at) == (True, earlier)


def test_numbers_go_in_chunks_of_the_providers_batch_with_progress_after_each(stub):
    stub.reset(batch_size=3)
    numbers = phones(8)
    stub.answers = dict.fromkeys(numbers, True)
    audit = start_audit(contact_list=list_of(numbers))
    progress = []
    stub.on_call = lambda batch: progress.append(CapabilityAudit.objects.get().checked)

    run_audit(audit.pk, pace=NoPace())

    assert [len(batch) for batch in stub.calls] == [3, 3, 2]
    assert sorted(number for batch in stub.calls for number in batch) == numbers
    assert progress == [0, 3, 6]


def test_a_long_audit_goes_on_in_a_new_job_before_the_worker_kills_this_one(stub, jobs):
    stub.reset(batch_size=2)
    numbers = phones(5)
    stub.answers = dict.fromkeys(numbers, False)
    audit = start_audit(contact_list=list_of(numbers))
    jobs.pending.clear()

    # No time left after the first chunk: the rest is queued, not done here.
    run_audit(audit.pk, pace=NoPace(), seconds=0)
    audit.refresh_from_db()
    assert (audit.status, audit.checked) == ("running", 2)
    assert jobs.names() == ["run_capability_audit"]

    jobs.run()
    audit.refresh_from_db()
    assert (audit.status, audit.checked, audit.rcs_no) == ("done", 5, 5)
    assert [len(batch) for batch in stub.calls] == [2, 2, 1]


def test_a_chunk_holds_at_most_ten_thousand_numbers(stub):
    stub.reset(batch_size=50_000)
    contact_list = make_list()
    contacts = Contact.objects.bulk_create(
        Contact(phone=phone) for phone in phones(10_001, start=1_000_000)
    )
    contact_list.contacts.add(*contacts, through_defaults={"source": "import"})

    audit = run_audit(start_audit(contact_list=contact_list).pk, pace=NoPace())

    assert [len(batch) for batch in stub.calls] == [10_000, 1]
    assert (audit.status, audit.checked, audit.unknown) == ("done", 10_001, 10_001)


def test_a_provider_without_batches_still_writes_progress_every_hundred_numbers(stub):
    stub.reset(batch_size=1)
    assert audits.chunk_size(get_provider()) == audits.SMALL_CHUNK


class Clock:
    """Sleeps by emptying the limiter's window, as a minute passing would."""

    def __init__(self, pace):
        self.pace = pace
        self.slept = []

    def __call__(self, seconds):
        self.slept.append(seconds)
        self.pace.limiter.storage.reset()


def test_calls_are_paced_to_the_providers_limit(stub):
    stub.reset(batch_size=2, per_minute=2)
    numbers = phones(6)
    audit = start_audit(contact_list=list_of(numbers))
    pace = Pace("stub-pacing", 2, storage_uri="memory://")
    pace.sleep = Clock(pace)

    run_audit(audit.pk, pace=pace)

    # Three calls, two a minute: the third waits for the window, close to a minute.
    assert len(stub.calls) == 3
    assert len(pace.sleep.slept) == 1
    assert 50 < pace.sleep.slept[0] <= 60


def test_the_pace_is_shared_through_redis_by_every_worker(settings):
    import uuid

    name = f"shared-{uuid.uuid4().hex}"
    first_worker, second_worker = Pace(name, 1), Pace(name, 1)
    waits = []

    def sleep(seconds):
        waits.append(seconds)
        raise TimeoutError  # Stop here: waiting out a real minute proves nothing more.

    second_worker.sleep = sleep
    first_worker.wait()
    with pytest.raises(TimeoutError):
        second_worker.wait()
    assert len(waits) == 1 and 50 < waits[0] <= 60


def test_a_run_stopped_by_the_provider_resumes_where_it_stopped(stub, jobs):
    stub.reset(batch_size=2)
    numbers = phones(5)
    stub.answers = {number: index % 2 == 0 for index, number in enumerate(numbers)}
    stub.fail_calls, stub.fail_permanent = {2}, True
    audit = start_audit(contact_list=list_of(numbers))

    jobs.run()
    audit.refresh_from_db()
    assert (audit.status, audit.checked) == ("failed", 2)
    assert audit.error == "provider"
    assert [cached(number, False)[1] for number in numbers] == [True, True, False, False, False]

    assert audits.resume_audit(audit)
    jobs.run()
    audit.refresh_from_db()
    assert (audit.status, audit.checked, audit.total) == ("done", 5, 5)
    assert (audit.rcs_yes, audit.rcs_no, audit.unknown) == (3, 2, 0)
    # The chunk written before the failure was not asked again.
    asked = [number for batch in stub.calls for number in batch]
    assert asked.count(numbers[0]) == 1 and asked.count(numbers[2]) == 2


def test_a_passing_provider_error_is_retried_after_its_retry_after(stub):
    stub.reset(batch_size=2)
    numbers = phones(4)
    stub.answers = dict.fromkeys(numbers, True)
    stub.fail_calls = {2, 3}
    slept = []

    audit = run_audit(
        start_audit(contact_list=list_of(numbers)).pk, pace=NoPace(), sleep=slept.append
    )

    assert (audit.status, audit.checked, audit.rcs_yes) == ("done", 4, 4)
    assert slept == [7, 7]
    assert [len(batch) for batch in stub.calls] == [2, 2, 2, 2]


def test_a_provider_failing_past_the_retries_stops_the_audit(stub):
    stub.reset(batch_size=2)
    stub.fail_calls = {1, 2, 3, 4}

    audit = run_audit(
        start_audit(contact_list=list_of(phones(2))).pk, pace=NoPace(), sleep=lambda s: None
    )

    assert (audit.status, audit.error, audit.checked) == ("failed", "provider", 0)
    assert len(stub.calls) == 1 + audits.CHUNK_RETRIES


def test_a_finished_audit_run_again_changes_nothing(stub):
    numbers = phones(3)
    stub.answers = dict.fromkeys(numbers, True)
    audit = run_audit(start_audit(contact_list=list_of(numbers)).pk)
    stub.calls.clear()

    again = run_audit(audit.pk)

    assert stub.calls == []
    assert (again.status, again.checked, again.rcs_yes) == ("done", 3, 3)
    assert not audits.resume_audit(again)


def test_a_chunk_another_run_already_wrote_is_not_written_twice(stub):
    numbers = phones(2)
    audit = start_audit(contact_list=list_of(numbers))
    run_audit(audit.pk)
    # A second run that read the audit before the first wrote its chunk.
    stale = CapabilityAudit.objects.get(pk=audit.pk)
    stale.cursor = 0
    rows = list(Contact.objects.order_by("pk").values_list("pk", "phone"))

    assert not audits._write_chunk(stale, rows, dict.fromkeys(numbers, True))
    audit.refresh_from_db()
    assert (audit.checked, audit.rcs_yes) == (2, 0)
    assert not Contact.objects.filter(rcs_capable=True).exists()


def test_an_audit_of_a_segment_checks_the_contacts_its_rules_match(jobs, simulator):
    members = [ALWAYS_RCS, NEVER_RCS]
    test_list = list_of(members, test_mode=True)
    make_contact(phone=phones(1)[0], test_mode=True)  # Not on the list: not in the segment.
    segment = make_segment(
        rules={"match": "all", "conditions": [{"kind": "list", "list_id": test_list.pk}]},
        test_mode=True,
    )

    audit = start_audit(segment=segment)
    jobs.run()

    audit.refresh_from_db()
    assert (audit.total, audit.rcs_yes, audit.rcs_no) == (2, 1, 1)
    assert audit.audience == segment


def test_a_segment_whose_list_is_gone_is_refused_with_the_reason(simulator, english):
    test_list = list_of([ALWAYS_RCS], test_mode=True)
    segment = make_segment(
        rules={"match": "all", "conditions": [{"kind": "list", "list_id": test_list.pk}]},
        test_mode=True,
    )
    test_list.delete()

    with pytest.raises(AuditRefused, match="cannot be read"):
        start_audit(segment=segment)


def test_an_unexpected_error_stops_the_audit_and_reaches_the_worker(stub, monkeypatch):
    audit = start_audit(contact_list=list_of(phones(1)))

    def broken(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(audits, "check_numbers", broken)
    with pytest.raises(RuntimeError):
        tasks.run_capability_audit(audit.pk)
    audit.refresh_from_db()
    assert audit.status == "failed" and audit.can_resume


def test_an_audit_silent_for_long_can_be_resumed(stub, jobs):
    audit = start_audit(contact_list=list_of(phones(1)))
    assert not audit.can_resume
    CapabilityAudit.objects.filter(pk=audit.pk).update(
        created=timezone.now() - timezone.timedelta(minutes=11)
    )
    audit.refresh_from_db()

    assert audit.is_stalled and audits.resume_audit(audit)
    jobs.run()
    audit.refresh_from_db()
    assert audit.status == "done"

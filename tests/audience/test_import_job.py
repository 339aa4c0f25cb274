"""The import as an RQ job: queued with a long timeout, run once, a failure said plainly."""

import django_rq
import pytest
from django.core.files.base import ContentFile

import jobs
from audience import tasks
from audience.imports import runs
from audience.models import Contact, ContactImport
from tests.support.imports import import_folder  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_folder", "english")]


def ready_import(data=b"phone\n0612345678\n"):
    contact_import = runs.open_upload(ContentFile(data, name="c.csv"))
    runs.choose(contact_import, runs.suggested_mapping(contact_import))
    return contact_import


def test_the_job_goes_on_the_default_queue_with_the_import_timeout():
    queue = django_rq.get_queue(jobs.DEFAULT)
    [job] = jobs.put("audience.tasks.run_contact_import", [(42,)], queue=jobs.DEFAULT, timeout=7200)
    try:
        assert (job.func_name, job.args, job.timeout) == (
            "audience.tasks.run_contact_import",
            (42,),
            7200,
        )
        assert job.origin == queue.name
    finally:
        job.delete()


def test_start_enqueues_the_task_by_name(jobs):
    contact_import = ready_import()
    runs.start(contact_import)
    [job] = jobs.pending
    assert (job.path, job.args, job.queue) == (
        "audience.tasks.run_contact_import",
        (contact_import.pk,),
        "default",
    )


def test_a_job_run_twice_imports_once():
    contact_import = ready_import()
    tasks.run_contact_import(contact_import.pk)
    Contact.objects.all().delete()
    tasks.run_contact_import(contact_import.pk)
    assert not Contact.objects.exists()
    assert ContactImport.objects.get().status == ContactImport.Status.DONE


def test_a_failed_import_says_so_and_can_run_again(monkeypatch):
    from audience.imports import engine

    contact_import = ready_import()

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(runs, "import_stream", broken)
    with pytest.raises(RuntimeError):
        tasks.run_contact_import(contact_import.pk)
    failed = ContactImport.objects.get()
    assert failed.status == ContactImport.Status.FAILED
    assert failed.error.startswith("The import stopped on an unexpected error")
    monkeypatch.setattr(runs, "import_stream", engine.import_stream)
    tasks.run_contact_import(contact_import.pk)
    assert ContactImport.objects.get().status == ContactImport.Status.DONE
    assert Contact.objects.count() == 1


def test_an_import_whose_worker_died_is_taken_over_but_not_a_live_one():
    from datetime import timedelta

    from django.utils import timezone

    contact_import = ready_import()
    ContactImport.objects.filter(pk=contact_import.pk).update(
        status=ContactImport.Status.RUNNING, heartbeat=timezone.now() - timedelta(seconds=30)
    )
    tasks.run_contact_import(contact_import.pk)
    assert not Contact.objects.exists()
    ContactImport.objects.filter(pk=contact_import.pk).update(
        heartbeat=timezone.now() - timedelta(minutes=6)
    )
    tasks.run_contact_import(contact_import.pk)
    assert ContactImport.objects.get().status == ContactImport.Status.DONE
    assert Contact.objects.count() == 1

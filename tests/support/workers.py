"""Real RQ worker processes for the tests that matter: started on the test database and Redis,
each in its own process group (so killpg reaches a worker and its work-horse), always stopped;
and one-off Python processes on the same database and Redis (run_python)."""

import os
import signal
import subprocess
import sys
import textwrap

import django_rq
import pytest
from django.conf import settings
from django.db import connection

import jobs

# Whatever the hour of the run: quiet hours and the cap have tests of their own.
NO_PROMOTION_RULES = {"QUIET_HOURS_POLICY": "none", "PROMOTION_CAP_PER_24H": "0"}


def skip_on_memory_database():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "a worker process cannot see an in-memory SQLite test database: set "
            'DATABASES["default"]["TEST"]["NAME"] to a file, or run on PostgreSQL'
        )


def empty_queues(*names):
    """Drop jobs left by other runs (and a dead worker's scheduler lock) on the test Redis."""
    for name in names or (jobs.MESSAGES, jobs.WEBHOOKS, jobs.DEFAULT):
        queue = django_rq.get_queue(name)
        queue.empty()
        registries = (
            queue.scheduled_job_registry,
            queue.failed_job_registry,
            queue.finished_job_registry,
        )
        for registry in registries:
            for job_id in registry.get_job_ids():
                try:
                    registry.remove(job_id, delete_job=True)
                except ValueError:
                    # A job of a worker killed by a test can outlive its execution record,
                    # which RQ's delete reads: the job's own keys go without it.
                    registry.remove(job_id)
                    queue.connection.delete(f"rq:job:{job_id}", f"rq:executions:{job_id}")
        queue.connection.delete(f"rq:scheduler-lock:{name}")


def run_python(source, *, timeout=120):
    """Run source in a fresh interpreter (os imported, django set up with the test settings)
    on the test database and the test Redis; returns the CompletedProcess (text)."""
    script = "import os\nimport django\ndjango.setup()\n" + textwrap.dedent(source)
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="tests.support.worker_settings",
        RELAIS_TEST_DATABASE_NAME=str(connection.settings_dict["NAME"]),
        SECRET_KEY=settings.SECRET_KEY,
        REDIS_URL=settings.REDIS_URL,
    )
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


class Workers:
    """Starts `manage.py <args>` processes with the test settings; stop() ends every one."""

    def __init__(self):
        self.started = []

    def start(self, *args, log=None, drop=(), **variables):
        """One process; `log` is a file path for its output, `drop` environment variables it
        must not inherit, `variables` more environment."""
        env = {key: value for key, value in os.environ.items() if key not in drop}
        env.update(
            DJANGO_SETTINGS_MODULE="tests.support.worker_settings",
            RELAIS_TEST_DATABASE_NAME=str(connection.settings_dict["NAME"]),
            SECRET_KEY=settings.SECRET_KEY,
            **variables,
        )
        output = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 (closed below)
        try:
            process = subprocess.Popen(
                [sys.executable, "manage.py", *args],
                cwd=settings.BASE_DIR,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            if log:
                output.close()
        self.started.append(process)
        return process

    def stop(self):
        for process in self.started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
        self.started = []


def process_and_connection():
    """A job: the process that ran it and the database session it used (tests.config)."""
    from django.db import connection as job_connection

    with job_connection.cursor() as cursor:
        if job_connection.vendor == "postgresql":
            cursor.execute("SELECT pg_backend_pid()")
            return os.getpid(), cursor.fetchone()[0]
    return os.getpid(), id(job_connection.connection)

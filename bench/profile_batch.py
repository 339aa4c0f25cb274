"""Profile the batch engine in one process: N contacts, their batches sent one after the other
by sending.services.send_batch under cProfile, against bench/fake_rbm.py. No RQ worker.

  DATABASE_URL=postgres://postgres@127.0.0.1:5432/relais_bench \\
  REDIS_URL=redis://127.0.0.1:6379/5 .venv/bin/python bench/profile_batch.py -n 5000 [--out FILE]

Prints messages/s, the job's own CPU time per message (this process: less sensitive than the
rate to other work on a shared machine; PostgreSQL and the fake server are not in it) and
the 30 costliest functions (cumulative); --no-profile runs without cProfile. The database
is emptied first: its name must contain "bench".
"""

import argparse
import cProfile
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_fanout import environment, free_port, make_audience, service_account  # noqa: E402


class StatementCounter:
    """A Django execute wrapper counting the statements and the time spent waiting for them
    (round trips: less sensitive to the machine's load than the rate is)."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0
        self.kinds = {}

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        kind = " ".join(sql.split())[:110]
        self.kinds[kind] = self.kinds.get(kind, 0) + 1
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start


def count_commits(connection):
    """Count the commits of Django's connection in this thread (atomic blocks that wrote or
    read something; statements in autocommit mode are not counted)."""
    commit = connection._commit
    counted = {"commits": 0}

    def counting():
        counted["commits"] += 1
        return commit()

    connection._commit = counting
    return counted


def cpu_seconds(pid):
    """User + system CPU time of another process so far (Linux /proc), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=5000)
    parser.add_argument("--out", default="", help="also dump the raw profile here")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--no-profile", action="store_true", help="time only, no cProfile")
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="profile the job's CPU time (time.thread_time) instead of the wall clock: waits "
        "for PostgreSQL and the network, and time lost to other processes, count nothing",
    )
    parser.add_argument(
        "--statements", action="store_true", help="also list the statements sent, with counts"
    )
    parser.add_argument(
        "--unknown-capability",
        action="store_true",
        help="nobody's RCS capability known (a first campaign): the 15 %% not capable are "
        "tried over RCS, answered 404 by the fake server, and fall back to SMS in the job",
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres") or "bench" not in url.rsplit("/", 1)[-1]:
        print("skipped: set DATABASE_URL to a PostgreSQL database whose name contains 'bench'")
        return 0
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server_env = dict(os.environ, FAKE_RBM_UNREACHABLE="15" if args.unknown_capability else "0")
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "fake_rbm.py"), str(port)], env=server_env
    )
    try:
        env = environment(base, service_account(tempfile.mkdtemp(), f"{base}/token"))
        os.environ.update(env)
        time.sleep(1)
        subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, check=True)
        import django

        django.setup()
        import django_rq
        from django.db import connection

        from audience.models import Contact
        from config.rq_worker import warm_up
        from sending import services
        from sending.dispatches import Dispatch
        from sending.models import Message
        from sending.services.snapshot import BATCH_SIZE
        from tests.factories import make_published_template

        make_audience(args.n)
        if args.unknown_capability:
            Contact.objects.update(rcs_capable=None, rcs_checked_at=None)
        _template, version = make_published_template(slug=f"profile_{int(time.time())}")
        dispatch = services.create_dispatch(version, test_mode=False)
        spec = {"prenom": {"field": "first_name", "default": "client"}}
        ids = services.snapshot_audience(dispatch, Contact.objects.filter(test_mode=False), spec)
        django_rq.get_queue("messages").empty()
        ids.sort()
        # As the RQ worker does before it forks its work-horses: otherwise the first batch
        # imports every URLconf (for the webhook URL), a third of the CPU of -n 5000.
        warm_up()
        profile = cProfile.Profile(time.thread_time) if args.cpu else cProfile.Profile()
        counter = StatementCounter()
        commits = count_commits(connection)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
        others = {"PostgreSQL backend": backend, "fake server": server.pid}
        others_before = {name: cpu_seconds(pid) for name, pid in others.items()}
        start = time.perf_counter()
        cpu = time.process_time()
        if not args.no_profile:
            profile.enable()
        with connection.execute_wrapper(counter):
            for index in range(0, len(ids), BATCH_SIZE):
                services.send_batch(dispatch.pk, ids[index : index + BATCH_SIZE])
        profile.disable()
        cpu = time.process_time() - cpu
        others_cpu = {name: cpu_seconds(pid) - others_before[name] for name, pid in others.items()}
        elapsed = time.perf_counter() - start
        batches = -(-len(ids) // BATCH_SIZE)
        sent = Message.objects.filter(dispatch=dispatch, status=Message.Status.SENT).count()
        how = "not profiled" if args.no_profile else "profiled"
        print(f"{sent} sent in {elapsed:.1f} s = {sent / elapsed:.0f} messages/s ({how})")
        print(f"CPU time of this process: {cpu:.1f} s = {cpu / sent * 1000:.2f} ms a message")
        for name, seconds in others_cpu.items():
            each = seconds / sent * 1000
            print(f"CPU time of the {name}: {seconds:.1f} s = {each:.2f} ms a message")
        total = (cpu + sum(others_cpu.values())) / sent
        print(
            f"all three: {total * 1000:.2f} ms a message, so two cores give at most "
            f"{2 / total:.0f} messages/s to this path (load-independent; WAL writer, "
            "autovacuum, Redis and RQ not counted)"
        )
        print(
            f"statements (Django cursor, this thread): {counter.count / batches:.0f} a batch, "
            f"waited {counter.seconds:.1f} s; commits: {commits['commits'] / batches:.1f} a batch"
        )
        print("dispatch:", Dispatch.objects.get(pk=dispatch.pk).status)
        if args.statements:
            for kind, number in sorted(counter.kinds.items(), key=lambda pair: -pair[1]):
                print(f"{number / batches:6.1f} a batch  {kind}")
        if args.no_profile:
            return 0
        if args.out:
            profile.dump_stats(args.out)
        pstats.Stats(profile).sort_stats(args.sort).print_stats(30)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    sys.exit(main())

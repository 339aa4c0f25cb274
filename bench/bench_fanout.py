"""Campaign fan-out, end to end: N contacts -> snapshot -> RQ workers -> render -> RBM -> statuses.

N contacts (2 % opted out, 15 % known not RCS-capable, who get the SMS through Twilio) are
snapshotted into a dispatch; WORKERS real `rqworker messages` processes send it through the
rbm provider pointed at a local fake RBM server (bench/fake_rbm.py, keep-alive; the SMS go to
its fake Twilio). Before that, in the same run, two bare HTTP clients (requests sessions in
threads with the same concurrency, then one aiohttp session; no database) send as many
requests (100,000 at most, --bare-requests) to the same server: the ratios are what to
compare between runs, absolute rates drift on a shared machine.

Needs PostgreSQL and Redis; the database is emptied first, so its name must contain "bench":
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/relais_bench \\
  REDIS_URL=redis://127.0.0.1:6379/5 .venv/bin/python bench/bench_fanout.py --quick
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# More workers than the machine's 2 cores: each waits for PostgreSQL most of the time.
WORKERS = 4
# Requests each bare client sends at most: its rate does not depend on N, and at ~600
# requests/s the requests client alone would take half an hour at N = 1,000,000.
BARE_REQUESTS = 100_000


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def service_account(folder, token_url):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    path = Path(folder) / "service-account.json"
    path.write_text(
        json.dumps(
            {
                "type": "service_account",
                "client_email": "bench@relais.iam.gserviceaccount.com",
                "private_key": pem,
                "private_key_id": "bench",
                "token_uri": token_url,
            }
        )
    )
    return str(path)


def environment(base, key_file):
    return dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings",
        MESSAGING_PROVIDER="rbm",
        RBM_AGENT_ID="bench_agent",
        RBM_CLIENT_TOKEN="bench-token",
        RBM_SERVICE_ACCOUNT_FILE=key_file,
        RBM_API_BASE=base,
        MESSAGING_SMS_PROVIDER="twilio",
        TWILIO_ACCOUNT_SID="AC" + "0" * 32,
        TWILIO_AUTH_TOKEN="bench",
        TWILIO_SMS_FROM="+33612345678",
        TWILIO_API_BASE=base,
        QUIET_HOURS_POLICY="none",
        PROMOTION_CAP_PER_24H="0",
        SENDING_HOURLY_CEILINGS="FR=100000000,*=500",
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench-" + "x" * 60),
        PUBLIC_BASE_URL="http://127.0.0.1:9",
    )


def bare_client(base, count, concurrency):
    """What the network side costs alone: `count` POSTs, keep-alive, no database."""
    import requests

    local = threading.local()

    def call(index):
        session = getattr(local, "session", None)
        if session is None:
            session = local.session = requests.Session()
        number = f"+3368{index:07d}"
        response = session.post(
            f"{base}/v1/phones/{number}/agentMessages",
            params={"messageId": f"bare-{index}", "agentId": "bench_agent"},
            json={"contentMessage": {"text": "Bonjour"}, "messageTrafficType": "PROMOTION"},
            headers={"Authorization": "Bearer fake"},
            timeout=30,
        )
        response.raise_for_status()

    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(call, range(count)))
    return time.perf_counter() - start


def bare_async_client(base, count, concurrency):
    """The same `count` POSTs from one aiohttp session on one event loop (keep-alive, no
    database): what this machine's HTTP side can do at best, with a fast client."""
    import asyncio

    import aiohttp

    async def run():
        connector = aiohttp.TCPConnector(limit=concurrency)
        async with aiohttp.ClientSession(connector=connector) as session:
            indexes = iter(range(count))

            async def caller():
                for index in indexes:
                    async with session.post(
                        f"{base}/v1/phones/+3369{index:07d}/agentMessages",
                        params={"messageId": f"async-{index}", "agentId": "bench_agent"},
                        json={"contentMessage": {"text": "Bonjour"}},
                        headers={"Authorization": "Bearer fake"},
                    ) as response:
                        response.raise_for_status()
                        await response.read()

            await asyncio.gather(*(caller() for _ in range(concurrency)))

    start = time.perf_counter()
    asyncio.run(run())
    return time.perf_counter() - start


def make_audience(count):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE sending_event, sending_attempt, sending_message, sending_dispatch, "
            "audience_consententry, audience_listmembership, audience_contact CASCADE"
        )
        cursor.execute(
            """
            INSERT INTO audience_contact (public_id, phone, test_mode, first_name, last_name,
                email, language, attributes, sms_consent, rcs_consent, rcs_capable,
                rcs_checked_at, created, updated)
            SELECT gen_random_uuid(), '+3367' || lpad(g::text, 7, '0'), false,
                CASE WHEN g %% 3 = 0 THEN '' ELSE 'Client' || g END, '', '', '', '{}',
                CASE WHEN g %% 50 = 0 THEN 'opt_out' ELSE 'opt_in' END,
                CASE WHEN g %% 50 = 0 THEN 'opt_out' ELSE 'opt_in' END,
                g %% 100 >= 15, now(), now(), now()
            FROM generate_series(1, %s) g
            """,
            [count],
        )
        cursor.execute("ANALYZE audience_contact")


def peak_rss_kib(pids):
    """The largest resident set among pids and their children (RQ's work-horses), in KiB."""
    peak = 0
    for pid in pids:
        for candidate in [pid, *children(pid)]:
            try:
                status = Path(f"/proc/{candidate}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
    return peak


def children(pid):
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=1_000_000, help="contacts (default 1,000,000)")
    parser.add_argument("--quick", action="store_true", help="N = 100,000")
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument(
        "--bare-requests",
        type=int,
        default=BARE_REQUESTS,
        help=f"requests per bare client, at most N's eligible contacts (default {BARE_REQUESTS:,})",
    )
    parser.add_argument(
        "--worker-class",
        default="",
        help=(
            "RQ worker class for the send workers (default: settings, whose send-queue jobs "
            "run in process; rq.worker.Worker forks a work-horse per job)"
        ),
    )
    parser.add_argument(
        "--progress", type=float, default=60.0, help="seconds between progress lines (60)"
    )
    args = parser.parse_args()
    count = 100_000 if args.quick else args.n
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres") or "bench" not in url.rsplit("/", 1)[-1]:
        print("skipped: set DATABASE_URL to a PostgreSQL database whose name contains 'bench'")
        return 0
    if not os.environ.get("REDIS_URL"):
        print("skipped: set REDIS_URL (a real Redis the workers share)")
        return 0

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, str(ROOT / "bench" / "fake_rbm.py"), str(port)])
    processes = [server]
    folder = tempfile.mkdtemp(prefix="relais-bench-")
    env = environment(base, service_account(folder, f"{base}/token"))
    os.environ.update(env)
    try:
        time.sleep(1)
        subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, check=True)
        import django

        django.setup()
        import django_rq
        import requests

        from sending import services
        from sending.dispatches import Dispatch
        from sending.models import Message
        from sending.services.batch import CONCURRENCY
        from tests.factories import make_published_template

        eligible = count - count // 50
        calls = min(eligible, args.bare_requests)
        bare = bare_client(base, calls, CONCURRENCY * args.workers)
        bare_async = bare_async_client(base, calls, CONCURRENCY * args.workers)
        print(
            f"bare clients first: {calls / bare:,.0f} requests/s (requests), "
            f"{calls / bare_async:,.0f} requests/s (aiohttp)",
            flush=True,
        )
        requests.post(f"{base}/reset", timeout=10)

        make_audience(count)
        django_rq.get_queue("messages").empty()
        _template, version = make_published_template(slug=f"bench_{int(time.time())}")
        dispatch = services.create_dispatch(version, test_mode=False)
        workers = [
            subprocess.Popen(
                # With the scheduler, as in production: a call that timed out under load is
                # tried again 30 s later by a delayed job, which needs it to ever run.
                [sys.executable, "manage.py", "rqworker", "messages", "--with-scheduler"]
                + ["--worker-ttl", "60"]
                + (["--worker-class", args.worker_class] if args.worker_class else []),
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(args.workers)
        ]
        processes += workers
        time.sleep(2)
        print(f"load average before the fan-out: {os.getloadavg()}", flush=True)
        start = time.perf_counter()
        from audience.models import Contact

        spec = {"prenom": {"field": "first_name", "default": "client"}}
        services.snapshot_audience(dispatch, Contact.objects.filter(test_mode=False), spec)
        snapshotted = time.perf_counter() - start
        print(f"snapshot of {count:,} contacts: {snapshotted:.1f} s", flush=True)
        # As in production: marks the dispatch done when the last message went through a
        # per-message retry, and re-drives a batch whose worker lost its lease. Started after
        # the snapshot: during it, the dispatch has no message yet and would be marked done.
        processes.append(
            subprocess.Popen(
                [sys.executable, "manage.py", "reconcile_messages", "--every", "15"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        peak = 0
        reported = time.perf_counter()
        while Dispatch.objects.get(pk=dispatch.pk).status != Dispatch.Status.DONE:
            peak = max(peak, peak_rss_kib([w.pid for w in workers]))
            time.sleep(0.5)
            if time.perf_counter() - reported >= args.progress:
                # A long run stopped early still says how fast it went.
                reported = time.perf_counter()
                done = Message.objects.filter(dispatch=dispatch, status=Message.Status.SENT).count()
                print(
                    f"  {reported - start:.0f} s: {done:,} sent = "
                    f"{done / (reported - start):,.0f} messages/s; "
                    f"load average {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
        elapsed = time.perf_counter() - start
        print(f"load average after: {os.getloadavg()}")
        stats = requests.get(f"{base}/stats", timeout=30).json()
        counts = Dispatch.objects.get(pk=dispatch.pk).counts()
        opted_out = [f"+3367{g:07d}" for g in range(50, count + 1, 50)]
        opted_out_sends = sum(1 for number in opted_out if number in stats["by_number"])
        duplicates = sum(1 for n in stats["by_number"].values() if n > 1)
        sent = counts.get(Message.Status.SENT, 0)
        rate = sent / elapsed
        bare_rate = calls / bare
        kind = args.worker_class or "settings.RQ WORKER_CLASS (jobs in process)"
        print(f"contacts: {count:,}  workers: {args.workers} x {kind}  statuses: {counts}")
        print(f"snapshot: {snapshotted:.1f} s")
        print(f"fan-out: {sent:,} sent in {elapsed:.1f} s = {rate:,.0f} messages/s")
        print(f"bare client: {calls:,} requests in {bare:.1f} s = {bare_rate:,.0f} requests/s")
        print(f"ratio fan-out / bare client: {rate / bare_rate:.0%}")
        async_rate = calls / bare_async
        print(
            f"bare aiohttp client: {calls:,} requests in {bare_async:.1f} s = "
            f"{async_rate:,.0f} requests/s; ratio fan-out / it: {rate / async_rate:.0%}"
        )
        print(f"peak memory per worker process (incl. work-horses): {peak / 1024:.0f} MiB")
        print(f"opted-out contacts sent to: {opted_out_sends}; numbers with 2+ ids: {duplicates}")
        return 0 if opted_out_sends == 0 and duplicates == 0 else 1
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    sys.exit(main())

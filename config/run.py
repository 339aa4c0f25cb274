"""`make run`: migrate, load demo data the first time, then serve the web app, the RQ workers
(one for the send queue, one for the others) and the reconciler.

Every child runs in its own process group, so Ctrl-C (or SIGTERM) stops all of them and
leaves no orphan process behind.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")
# The development server listens here only; RELAIS_PORT picks the port (8000 by default).
HOST = "127.0.0.1"


def _manage(*args):
    return [sys.executable, "manage.py", *args]


def _spawn(args, name):
    print(f"[relais] starting {name}", flush=True)
    return subprocess.Popen(args, start_new_session=True)


def _stop(processes):
    for process in processes:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    for process in processes:
        remaining = max(0.1, deadline - time.monotonic())
        try:
            process.wait(timeout=remaining)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def main():
    django.setup()
    from django.conf import settings

    from config import embedded_redis

    port = settings.RELAIS_PORT
    # Every child builds its URLs on the port served: the worker posts the simulator's events to
    # this web server, and PUBLIC_BASE_URL, when unset, follows RELAIS_PORT in their settings.
    os.environ["RELAIS_PORT"] = str(port)
    os.environ.setdefault("INTERNAL_BASE_URL", f"http://{HOST}:{port}")
    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    redis_process = None
    if settings.EMBEDDED_REDIS:
        print(f"[relais] REDIS_URL is unset: embedded Redis on {settings.REDIS_SOCKET}", flush=True)
        redis_process = embedded_redis.start(settings.REDIS_SOCKET)

    children = []
    stopping = False

    def _on_signal(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    try:
        subprocess.run(_manage("migrate", "--no-input", "-v", "0"), check=True)
        subprocess.run(_manage("setup_demo"), check=True)
        children.append(_spawn(_manage("runserver", f"{HOST}:{port}", "--noreload"), "web server"))
        # The send queue has its own worker: one on several queues can lose a job in a crash.
        children.append(
            _spawn(
                _manage("rqworker", "messages", "--with-scheduler", "--worker-ttl", "60"),
                "RQ worker for sending (with scheduler)",
            )
        )
        children.append(
            _spawn(
                _manage("rqworker", "default", "webhooks", "--with-scheduler"),
                "RQ worker for webhooks and the rest (with scheduler)",
            )
        )
        # Every 15 s: a killed worker's batch (30 s lease) is sent again within a minute.
        children.append(
            _spawn(_manage("reconcile_messages", "--every", "15"), "reconciler of stuck messages")
        )
        # Every 2 s: clicks on tracked links wait in Redis until written, a batch at a time.
        children.append(_spawn(_manage("drain_clicks", "--every", "2"), "writer of link clicks"))
        print(
            f"\n[relais] Relais is running at http://{HOST}:{port}/  "
            "(health: /healthz). Press Ctrl-C to stop.",
            flush=True,
        )
        print(
            f"[relais] Public address (links, webhooks): {settings.PUBLIC_BASE_URL}/; "
            f"the simulator posts its events to {os.environ['INTERNAL_BASE_URL']}/\n",
            flush=True,
        )
        while not stopping:
            for child in children:
                if child.poll() is not None:
                    print(f"[relais] a process exited with code {child.returncode}; stopping")
                    stopping = True
            time.sleep(0.3)
    except subprocess.CalledProcessError as exc:
        print(f"[relais] set-up failed: {exc}", file=sys.stderr)
        return 1
    finally:
        print("\n[relais] stopping…", flush=True)
        _stop(children)
        embedded_redis.stop(redis_process)
        print("[relais] stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

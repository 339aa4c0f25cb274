"""The hourly ceiling's counter: one Redis INCR per send, against counting the hour's sends in
the database (an indexed COUNT over the rows of that country and hour) in the same run.

Run: .venv/bin/python bench/bench_ceiling.py
"""

import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import redis  # noqa: E402

from config import embedded_redis  # noqa: E402

SENDS = 2_000
# Rows already sent to France this hour when the counting starts: a large campaign's hour.
ALREADY_SENT = 100_000


def redis_counter(client, sends):
    key = "bench:ceiling:live:FR:2026120510"
    start = time.perf_counter()
    for _ in range(sends):
        pipe = client.pipeline(transaction=False)
        pipe.incr(key)
        pipe.expire(key, 7200)
        pipe.execute()
    return time.perf_counter() - start


def database_count(path, sends):
    db = sqlite3.connect(path)
    db.execute(
        "create table message (id integer primary key, country text, test_mode int, sent_at text)"
    )
    # The index such a count needs: the query below reads only it.
    db.execute("create index message_country_hour on message (country, test_mode, sent_at)")
    hour = datetime(2026, 12, 5, 10, tzinfo=UTC)
    rows = (
        ("FR", 0, (hour + timedelta(milliseconds=index)).isoformat())
        for index in range(ALREADY_SENT)
    )
    db.executemany("insert into message (country, test_mode, sent_at) values (?, ?, ?)", rows)
    db.commit()
    start = time.perf_counter()
    for _ in range(sends):
        db.execute(
            "select count(*) from message where country = ? and test_mode = 0 and sent_at >= ?",
            ("FR", hour.isoformat()),
        ).fetchone()
    return time.perf_counter() - start


def main():
    with tempfile.TemporaryDirectory() as folder:
        socket = Path(folder) / "bench.sock"
        process = embedded_redis.start(socket, persist=False)
        try:
            client = redis.Redis(unix_socket_path=str(socket))
            redis_seconds = redis_counter(client, SENDS)
        finally:
            embedded_redis.stop(process, remove_files_of=socket)
        db_seconds = database_count(str(Path(folder) / "bench.sqlite3"), SENDS)
    print(f"{SENDS} sends, {ALREADY_SENT} already sent this hour")
    print(f"Redis INCR + EXPIRE (one round trip): {SENDS / redis_seconds:,.0f} checks/s")
    print(f"indexed COUNT in the database:        {SENDS / db_seconds:,.0f} checks/s")
    print(f"Redis is {db_seconds / redis_seconds:.0f}x faster per check")


if __name__ == "__main__":
    main()

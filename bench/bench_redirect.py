"""The tracked-link redirect against a bare Django view, in the same run, then the drainer.

Both go through the whole middleware stack in one process (Django's test client, no
network): the ratio redirect / bare view is what to compare between runs, absolute rates
drift on a shared machine. The taps are spread over the links of many messages (--links
messages, three links each), in a random order, as a campaign's taps are: a bench repeating
one link would always find its message's row at hand. Then the drainer writes every click the
redirect queued, and its rate is printed against the redirect's.

Needs PostgreSQL or SQLite and Redis; it works in a throwaway test database (test_<name>):
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/relais_bench \\
  REDIS_URL=redis://127.0.0.1:6379/5 .venv/bin/python bench/bench_redirect.py --requests 3000
(--links 1 taps one link again and again, as the bench did before.)
"""

import argparse
import copy
import os
import random
import sys
import time
import types
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.decorators import login_not_required  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import path  # noqa: E402

USER_AGENT = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Mobile Safari/537.36"


@login_not_required
def bare(request):
    return HttpResponse("ok")


def urlconf():
    from config import urls

    module = types.ModuleType("bench_redirect_urls")
    module.urlpatterns = [path("bench-bare", bare), *urls.urlpatterns]
    sys.modules[module.__name__] = module
    return module.__name__


def rate(client, urls, count):
    """Requests a second over count requests, the URLs taken in turn (after a warm-up on
    others: caches, connections)."""
    headers = {"User-Agent": USER_AGENT, "Accept-Language": "fr-FR"}
    for url in urls[-50:]:
        client.get(url, headers=headers)
    start = time.perf_counter()
    for number in range(count):
        response = client.get(urls[number % len(urls)], headers=headers)
    elapsed = time.perf_counter() - start
    assert response.status_code in (200, 302), response.status_code
    return count / elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument(
        "--links", type=int, default=10_000, help="messages whose links are tapped (three each)"
    )
    parser.add_argument(
        "--profile", action="store_true", help="print where a redirect's time goes (cProfile)"
    )
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(args.requests, args.links, args.profile)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def profile(client, urls, count, sort="tottime"):
    import cProfile
    import pstats

    headers = {"User-Agent": USER_AGENT, "Accept-Language": "fr-FR"}
    for url in urls[-50:]:
        client.get(url, headers=headers)
    profiler = cProfile.Profile()
    profiler.enable()
    for number in range(count):
        client.get(urls[number % len(urls)], headers=headers)
    profiler.disable()
    pstats.Stats(profiler).sort_stats(sort).print_stats(45)


def messages_like(message, count):
    """count copies of message (the first is message itself), each to a contact of its own."""
    from audience.models import Contact
    from sending.models import Message

    contacts = Contact.objects.bulk_create(
        [Contact(phone=f"+3361{number:07d}") for number in range(1, count)], batch_size=1000
    )
    copies = []
    for contact in contacts:
        other = copy.copy(message)
        other.pk = None
        other._state = copy.copy(message._state)
        other._state.adding = True
        other.public_id = uuid.uuid4()
        other.contact = contact
        copies.append(other)
    return [message, *Message.objects.bulk_create(copies, batch_size=1000)]


def run(count, spread, profiling=False):
    from analytics import clickstream
    from analytics.models import Click
    from analytics.services import drain_clicks
    from messaging import links
    from sending.services.tracking import tracked_url
    from tests.support.links import make_tracked_message

    connection_ = clickstream.client()
    connection_.delete(clickstream.key(), f"{clickstream.key()}:drainer")
    messages = messages_like(make_tracked_message(), spread)
    key = links.settings_keys()[0]
    urls = [
        "/" + tracked_url(links.encode(m.pk, i, key)).split("://", 1)[1].split("/", 1)[1]
        for m in messages
        for i in range(len(m.links))
    ]
    random.Random(7).shuffle(urls)
    client = Client()
    if profiling:
        with override_settings(ROOT_URLCONF=urlconf()):
            profile(client, urls, count)
        return
    with override_settings(ROOT_URLCONF=urlconf()):
        bare_rate = rate(client, ["/bench-bare"], count)
        redirect_rate = rate(client, urls, count)
        bare_again = rate(client, ["/bench-bare"], count)
    queued = connection_.xlen(clickstream.key())
    start = time.perf_counter()
    written = 0
    while True:
        read = drain_clicks()
        written += read
        if not read:
            break
    drain_rate = written / (time.perf_counter() - start)
    assert Click.objects.count() == queued == written
    connection_.delete(clickstream.key(), f"{clickstream.key()}:drainer")

    bare_mean = (bare_rate + bare_again) / 2
    print(f"database: {connection.vendor}, {count} requests each, one process, no network")
    print(f"taps spread over {len(urls)} links of {len(messages)} messages, in a random order")
    print(f"bare Django view      {bare_mean:8.0f} requests/s", end=" ")
    print(f"(first pass {bare_rate:.0f}, last {bare_again:.0f})")
    print(f"tracked-link redirect {redirect_rate:8.0f} requests/s")
    print(f"ratio redirect / bare view: {redirect_rate / bare_mean:.2f}")
    print(f"drainer               {drain_rate:8.0f} clicks/s written ({written} clicks)")
    print(f"ratio drainer / redirect: {drain_rate / redirect_rate:.2f}")


if __name__ == "__main__":
    main()

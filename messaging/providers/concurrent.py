"""Many provider calls at once, for the batch engine: one asyncio HTTP client per process.

The process gets one event loop, in a daemon thread, with one aiohttp session on it
(keep-alive, at most `limit` connections). `submit` hands it a list of (provider, message)
and returns at once a concurrent.futures.Future of their results, in order: a SendResult or
the ProviderError the call ended with. The thread that submitted (an RQ job) writes to the
database while the calls are in flight.

Each call is the provider's own: built by `build_send`, made here, read by `read_send`, so
it is byte for byte the request `send()` makes through requests (tests check it). A provider
that does not send over HTTP (the simulator, locmem, a custom one) is called with its
`send()` in a small thread pool instead, as the engine did before.

An RQ work-horse is a fork: the loop thread of the parent does not exist in the child, so the
sender is made again, lazily, in each process that sends.
"""

import asyncio
import atexit
import functools
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import aiohttp
from django.db import close_old_connections
from yarl import URL

from .http_calls import USER_AGENT, HttpAnswer
from .normalized import ProviderError

logger = logging.getLogger(__name__)

# Connections (and calls in flight) per process, by default.
LIMIT = 32

_sender = None
_sender_lock = threading.Lock()


def sender(limit=LIMIT):
    """This process's Sender, made on first use (and again after a fork)."""
    global _sender
    with _sender_lock:
        if _sender is None or _sender.pid != os.getpid():
            _sender = Sender(limit)
        return _sender


class Sender:
    """An event loop in a daemon thread, with one aiohttp session and a small thread pool."""

    def __init__(self, limit=LIMIT):
        self.limit = limit
        self.pid = os.getpid()
        self.loop = asyncio.new_event_loop()
        self.threads = ThreadPoolExecutor(limit, thread_name_prefix="relais-send")
        self._session = None
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.name = "relais-send-loop"
        self._thread.start()

    def submit(self, pairs):
        """Send every (provider, OutboundMessage); a Future of their results, in order."""
        return asyncio.run_coroutine_threadsafe(self._send_all(list(pairs)), self.loop)

    def send_all(self, pairs, timeout=None):
        """submit, and wait for the results."""
        return self.submit(pairs).result(timeout)

    def close(self, timeout=5.0):
        if self._session is not None and self.loop.is_running():
            future = asyncio.run_coroutine_threadsafe(self._session.close(), self.loop)
            future.result(timeout)
            self._session = None

    async def _send_all(self, pairs):
        # `limit` coroutines taking the calls in turn, not a task per call: with a task per
        # call, all but `limit` of them queued in the connector for a free connection, and
        # waking them cost the loop thread more CPU than the calls' JSON (profiled).
        results = [None] * len(pairs)
        turns = iter(range(len(pairs)))

        async def caller():
            for index in turns:
                provider, msg = pairs[index]
                results[index] = await self._send_one(provider, msg)

        await asyncio.gather(*(caller() for _ in range(min(self.limit, len(pairs)))))
        return results

    def _session_here(self):
        # Made on the loop, the first time it is needed.
        if self._session is None:
            connector = aiohttp.TCPConnector(limit=self.limit, limit_per_host=self.limit)
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": USER_AGENT}
            )
        return self._session

    async def _send_one(self, provider, msg):
        try:
            # Building may fetch an access token (blocking, about once an hour): acceptable.
            call = provider.build_send(msg)
            if call is None:
                return await self.loop.run_in_executor(self.threads, _send_in_thread, provider, msg)
            response = await self._perform(provider, call)
            if provider.renew_auth(response):
                response = await self._perform(provider, provider.build_send(msg))
            return provider.read_send(msg, response)
        except ProviderError as error:
            return error
        except Exception as exc:  # a bug must not take the batch down: the call is retried
            logger.exception("provider %s raised", provider.name)
            return ProviderError(str(exc), permanent=False, code="internal", maybe_sent=True)

    async def _perform(self, provider, call):
        body, content_type = call.body()
        timeout = provider.timeout
        timeout = _client_timeout(tuple(timeout) if isinstance(timeout, list) else timeout)
        try:
            async with self._session_here().request(
                call.method,
                # Encoded as requests encodes it (HttpCall.query), not re-encoded by yarl.
                URL(call.full_url(), encoded=True),
                data=body,
                headers=call.all_headers(content_type),
                timeout=timeout,
            ) as response:
                content = await response.read()
                return HttpAnswer(response.status, response.headers, content, response.reason or "")
        except aiohttp.ConnectionTimeoutError as exc:
            raise provider.network_error("connect_timeout") from exc
        except (aiohttp.ServerTimeoutError, TimeoutError) as exc:
            raise provider.network_error("read_timeout") from exc
        except aiohttp.ClientConnectorError as exc:
            raise provider.network_error("connection_error") from exc
        except aiohttp.ClientError as exc:
            # The request may have been written before the connection broke.
            raise provider.network_error("connection_error", maybe_sent=True) from exc


def _send_in_thread(provider, msg):
    try:
        return provider.send(msg)
    finally:
        # Pool threads never touch the database; close what a provider might have opened.
        close_old_connections()


@functools.lru_cache(maxsize=16)
def _client_timeout(timeout):
    """One ClientTimeout per provider timeout (a number or a (connect, read) tuple)."""
    connect, read = _timeouts(timeout)
    return aiohttp.ClientTimeout(total=None, sock_connect=connect, sock_read=read)


def _timeouts(timeout):
    if isinstance(timeout, tuple | list):
        return timeout[0], timeout[1]
    return timeout, timeout


@atexit.register
def _close_at_exit():
    current = _sender
    if current is not None and current.pid == os.getpid():
        try:
            current.close(timeout=2.0)
        except Exception:  # the process is ending anyway
            logger.debug("could not close the provider HTTP session", exc_info=True)

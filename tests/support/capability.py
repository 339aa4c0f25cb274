"""A provider stub for the capability audit's tests: answers capability batches as told and
records every call (select it with MESSAGING_PROVIDER = STUB_PATH)."""

from messaging.providers.base import BaseProvider
from messaging.providers.normalized import ProviderError

STUB_PATH = "tests.support.capability.StubCapabilityProvider"


class StubCapabilityProvider(BaseProvider):
    """Class-level state, reset by reset(): the test sets it, get_provider builds the class."""

    name = "stub-capability"
    capability_batch_size = 10_000
    capability_calls_per_minute = 0
    # number -> True/False; a number not here is one the provider cannot tell about.
    answers: dict = {}
    # Each batch asked, in order.
    calls: list = []
    # Call numbers (1-based) that raise a ProviderError instead of answering.
    fail_calls: set = set()
    # Whether those errors are for good (retrying cannot help) or passing (a 429, a timeout).
    fail_permanent = False
    # Called with the batch before answering (to look at the database between chunks).
    on_call = None

    @classmethod
    def reset(cls, *, batch_size=10_000, per_minute=0):
        cls.capability_batch_size = batch_size
        cls.capability_calls_per_minute = per_minute
        cls.answers = {}
        cls.calls = []
        cls.fail_calls = set()
        cls.fail_permanent = False
        cls.on_call = None
        return cls

    def check_capability_batch(self, numbers):
        cls = type(self)
        cls.calls.append(list(numbers))
        if cls.on_call is not None:
            cls.on_call(list(numbers))
        if len(cls.calls) in cls.fail_calls:
            raise ProviderError(
                "stub: refused", permanent=cls.fail_permanent, code="UNAVAILABLE", retry_after=7
            )
        return {number: cls.answers[number] for number in numbers if number in cls.answers}

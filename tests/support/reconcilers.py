"""Callers of one locked step at once, each in its own thread and database connection:
in_threads() runs them; race_while_held() holds the first inside the step until the second
has looked for work, so the row lock decides."""

import threading

from django.db import connection

# How long a thread waits for the other to reach its step: only a safety net against a hang
# (the steps are ordered by events, never by time); a machine this slow fails by name.
PATIENCE = 120


def in_threads(*targets):
    """Run each target in a thread of its own, with its own database connection (closed when
    it ends); return their results in order, or raise the first error a target raised."""
    results = [None] * len(targets)
    errors = []

    def run(index, target):
        try:
            results[index] = target()
        except BaseException as error:  # pytest.fail() and skip() too: raised again below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=2 * PATIENCE)
    if errors:
        raise errors[0]
    stuck = [target for target, thread in zip(targets, threads, strict=True) if thread.is_alive()]
    assert not stuck, f"still running after {2 * PATIENCE} s: {stuck}"
    return results


def race_while_held(monkeypatch, module, step, first, second):
    """Run first() and, once first is inside module.step, second(); the step goes on only after
    second() returned. Returns ({"first": result, "second": result}, [pk of each row stepped])."""
    held = threading.Event()
    looked = threading.Event()
    stepped = []
    real_step = getattr(module, step)

    def slow_step(locked, *args, **kwargs):
        stepped.append(locked.pk)
        held.set()
        assert looked.wait(timeout=PATIENCE), "the second caller never looked"
        return real_step(locked, *args, **kwargs)

    monkeypatch.setattr(module, step, slow_step)

    def second_once_first_is_held():
        if not held.wait(timeout=PATIENCE):
            return "never started"
        try:
            return second()
        finally:
            # Set even when second() raised, so the first caller does not wait out PATIENCE.
            looked.set()

    first_result, second_result = in_threads(first, second_once_first_is_held)
    return {"first": first_result, "second": second_result}, stepped

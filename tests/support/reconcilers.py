"""Two callers of one locked step at once, each in its own thread and database connection: the
first is held inside the step until the second has looked for work, so the row lock decides."""

import threading

from django.db import connection

# How long a thread waits for the other to reach its step: only a safety net against a hang
# (the steps are ordered by events, never by time); a machine this slow fails by name.
PATIENCE = 120


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
    results = {}

    def run(name, call, before=None, after=None):
        try:
            if before is not None and not before.wait(timeout=PATIENCE):
                results[name] = "never started"
                return
            results[name] = call()
        finally:
            # Set even when call() raised, so the first caller does not wait out PATIENCE.
            if after is not None:
                after.set()
            connection.close()

    threads = [
        threading.Thread(target=run, args=("first", first)),
        threading.Thread(target=run, args=("second", second, held, looked)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=2 * PATIENCE)
    return results, stepped

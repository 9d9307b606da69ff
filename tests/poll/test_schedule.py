"""The poller's timing rules: tick grid, pile-up skips, backoff in slots."""

from __future__ import annotations

import pytest

from vicidial_async.poll.schedule import Cadence, backoff_seconds, backoff_slot, next_slot


def test_ticks_are_anchored_so_jitter_never_accumulates() -> None:
    c = Cadence(anchor=10.0, every=2.0, jitter=0.1)
    # Worst-case jitter on every tick still leaves tick 1000 within one jitter of its grid time.
    assert c.due(1000, 0.999) == pytest.approx(10.0 + 2000.0 + 0.1998)
    assert c.due(0, 0.0) == 10.0


def test_a_poll_that_overruns_skips_the_ticks_it_covered() -> None:
    c = Cadence(anchor=0.0, every=2.0)
    # Poll of tick 0 ran 5 s: ticks at 2 and 4 came while it ran; next is tick 3 (t=6).
    assert next_slot(c, 0, 5.0) == (3, 2)
    # Finished in time: no skip.
    assert next_slot(c, 0, 1.5) == (1, 0)
    # Finished exactly on the next grid time: that tick has come, it is skipped.
    assert next_slot(c, 4, 10.0) == (6, 1)


def test_backoff_doubles_and_is_capped() -> None:
    assert [backoff_seconds(n, 2.0, 60.0) for n in range(1, 8)] == [2, 4, 8, 16, 32, 60, 60]
    assert backoff_seconds(10_000, 2.0, 60.0) == 60.0


def test_backoff_slot_counts_from_the_failed_tick() -> None:
    c = Cadence(anchor=0.0, every=2.0)
    assert backoff_slot(c, 5, 1, 60.0) == 6   # first failure: the next tick as usual
    assert backoff_slot(c, 5, 2, 60.0) == 7   # then 4 s
    assert backoff_slot(c, 5, 3, 60.0) == 9   # then 8 s
    assert backoff_slot(c, 5, 50, 7.0) == 9   # capped at 7 s -> rounded up to 8 s

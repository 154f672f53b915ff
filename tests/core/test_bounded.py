"""core.bounded: a function run in a forked child bounded in memory and time."""

import os

import pytest

from core.bounded import BoundExceeded, run_bounded


def _allocate(megabytes: int) -> int:
    return len(bytearray(megabytes * 1024 * 1024))


def _refuse(value):
    raise ValueError(f"valeur {value} refusée")


def test_it_returns_what_the_function_returns():
    assert run_bounded(_allocate, 10, memory_bytes=200 * 1024 * 1024, timeout_seconds=30) == 10 * 1024 * 1024


def test_it_raises_what_the_function_raises():
    with pytest.raises(ValueError, match="valeur 3 refusée"):
        run_bounded(_refuse, 3, memory_bytes=50 * 1024 * 1024, timeout_seconds=30)


def test_it_stops_an_allocation_past_the_memory_bound_and_the_caller_goes_on():
    with pytest.raises(BoundExceeded) as error:
        run_bounded(_allocate, 2048, memory_bytes=100 * 1024 * 1024, timeout_seconds=30)
    assert error.value.reason == "memory"
    assert _allocate(1) == 1024 * 1024


def test_it_reports_a_child_killed_by_an_abort_as_out_of_memory():
    # what the spreadsheet library's allocator does when an allocation is refused
    with pytest.raises(BoundExceeded) as error:
        run_bounded(os.abort, memory_bytes=50 * 1024 * 1024, timeout_seconds=30)
    assert error.value.reason == "memory"


def test_it_kills_the_child_after_the_timeout():
    import time

    with pytest.raises(BoundExceeded) as error:
        run_bounded(time.sleep, 30, memory_bytes=50 * 1024 * 1024, timeout_seconds=0.5)
    assert error.value.reason == "time"

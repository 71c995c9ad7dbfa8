"""Threads let go at the same moment, for tests of a first read (or a first use) under concurrency."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import TypeVar

A = TypeVar("A")
T = TypeVar("T")


def race(read: Callable[[A], T], args: Iterable[A]) -> list[T]:
    """``read(arg)`` for each of ``args``, each in its own thread, all released by one barrier; the results."""
    each = list(args)
    start = threading.Barrier(len(each))
    results: list[T] = []
    lock = threading.Lock()

    def run(arg: A) -> None:
        start.wait()
        value = read(arg)
        with lock:
            results.append(value)

    threads = [threading.Thread(target=run, args=(arg,)) for arg in each]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == len(each), "a thread failed before returning"
    return results

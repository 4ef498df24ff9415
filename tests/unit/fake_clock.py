"""A monotonic clock that moves only when the code under test sleeps."""

from __future__ import annotations


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        assert seconds >= 0
        self.now += seconds

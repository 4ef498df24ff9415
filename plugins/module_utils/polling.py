# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The clock, the deadline and the loop that every wait of the collection polls by.

The rollout gate (waiter.py) and iot_job's wait for a deletion both read,
decide, and pause until the deadline, on a monotonic clock; the clock and
the pause can be replaced, so that tests need no real time.
"""

from __future__ import annotations

import time


class Deadline:
    """``timeout`` seconds from now, on ``clock``."""

    def __init__(self, timeout, clock=time.monotonic):
        self.clock = clock
        self.started = clock()
        self.at = self.started + timeout

    def remaining(self):
        """Seconds left; 0 or less once the deadline has passed."""
        return self.at - self.clock()


def doubling(first, most):
    """Pauses of ``first`` seconds, then twice as long each time, up to ``most``."""
    pause = first
    while True:
        yield pause
        pause = min(pause * 2, most)


def poll_until(read, done, deadline, pauses, sleep=time.sleep):
    """``read()`` until ``done(answer)`` or the deadline passes.

    Pauses between reads take the next of ``pauses``, cut short at the
    deadline.  Returns the last answer and whether it was done.
    """
    pauses = iter(pauses)
    while True:
        answer = read()
        if done(answer):
            return answer, True
        left = deadline.remaining()
        if left <= 0:
            return answer, False
        sleep(min(next(pauses), left))

# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""A budget of requests per second that a client never exceeds, retries included.

It hooks botocore's ``before-send`` event, which fires for every attempt
(botocore's retries too), and holds an attempt back until it fits.  The
budget is meant for a client whose calls run one at a time, as the event
source's do.  The endpoint sees a request somewhere between its sending and
its answer; so an attempt is sent only once a second has passed since the
*answer* to the attempt ``rate`` attempts before it.  Then any one-second
window of arrivals at the endpoint holds at most ``rate`` requests, however
late each one arrives, at the price of the round trip a second.
"""

from __future__ import annotations

import collections
import threading
import time

WINDOW = 1.0


class RequestBudget:
    def __init__(self, per_second, clock=time.monotonic, sleep=time.sleep):
        if not per_second >= 1:
            raise ValueError("the budget must allow at least 1 request a second")
        self.per_second = int(per_second)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        # When the last ``per_second`` attempts were answered (or sent, for
        # the one in flight: replaced when its answer comes).
        self._answered = collections.deque(maxlen=self.per_second)
        self.attempts = 0
        self.waited = 0.0

    def attach(self, client):
        events = client.meta.events
        events.register("before-send.iot", self.before_send)
        events.register("needs-retry.iot", self.after_attempt)

    def delay(self):
        """How long the next attempt must wait, in seconds."""
        if len(self._answered) < self.per_second:
            return 0.0
        return max(0.0, self._answered[0] + WINDOW - self._clock())

    def before_send(self, **kwargs):
        with self._lock:
            wait = self.delay()
            while wait > 0:
                self.waited += wait
                self._sleep(wait)
                wait = self.delay()
            self.attempts += 1
            self._answered.append(self._clock())
        return None  # botocore sends the request

    def after_attempt(self, **kwargs):
        """After each attempt, answered or not: it reached the endpoint by now."""
        with self._lock:
            if self._answered:
                self._answered[-1] = self._clock()
        return None  # botocore's retry handler decides

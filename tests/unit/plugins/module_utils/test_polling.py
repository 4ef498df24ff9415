"""polling.py: the deadline and the loop that the gate and the deletion wait share, on a fake clock."""

from __future__ import annotations

import itertools

from ansible_collections.iotops.aws.plugins.module_utils.polling import Deadline, doubling, poll_until


class Clock:
    """Time that moves only when the loop sleeps."""

    def __init__(self):
        self.now = 100.0
        self.slept = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


def test_reads_until_done_and_says_so():
    clock, answers = Clock(), iter(["a", "b", "done", "never read"])
    answer, done = poll_until(lambda: next(answers), lambda a: a == "done", Deadline(60, clock), itertools.repeat(5),
                              sleep=clock.sleep)
    assert (answer, done) == ("done", True)
    assert clock.slept == [5, 5]


def test_stops_at_the_deadline_with_the_last_answer_and_never_sleeps_past_it():
    clock, reads = Clock(), []
    answer, done = poll_until(lambda: reads.append(clock()) or len(reads), lambda a: False, Deadline(12, clock),
                              itertools.repeat(5), sleep=clock.sleep)
    assert done is False and answer == 4
    assert clock.slept == [5, 5, 2]
    assert reads == [100.0, 105.0, 110.0, 112.0]


def test_the_pauses_double_up_to_the_most():
    assert list(itertools.islice(doubling(0.5, 5.0), 6)) == [0.5, 1.0, 2.0, 4.0, 5.0, 5.0]


def test_a_deadline_counts_from_its_creation():
    clock = Clock()
    deadline = Deadline(30, clock)
    clock.now += 10
    assert (deadline.started, deadline.at, deadline.remaining()) == (100.0, 130.0, 20.0)

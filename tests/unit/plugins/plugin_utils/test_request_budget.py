"""The source's request budget: at most N requests in any second at the endpoint, retries included."""

from __future__ import annotations

import pytest

from ansible_collections.iotops.aws.plugins.plugin_utils.request_budget import RequestBudget
from helpers import FakeClock


def run(budget, clock, round_trips):
    """Attempts taking ``round_trips`` seconds each; their (sent, answered) times."""
    times = []
    for trip in round_trips:
        budget.before_send()
        sent = clock.now
        clock.sleep(trip)
        budget.after_attempt()
        times.append((sent, clock.now))
    return times


@pytest.mark.parametrize("per_second, round_trip", [(10, 0.0), (10, 0.03), (3, 0.2), (1, 0.5)])
def test_no_window_holds_more_than_the_budget(per_second, round_trip):
    clock = FakeClock()
    budget = RequestBudget(per_second, clock=clock, sleep=clock.sleep)
    times = run(budget, clock, [round_trip] * 60)
    # The endpoint sees each request somewhere between sending and answer:
    # the latest arrival of one and the earliest of the one `per_second` later
    # are still a second apart.
    for index in range(len(times) - per_second):
        assert times[index + per_second][0] - times[index][1] >= 1.0 - 1e-9
    assert budget.attempts == 60


def test_a_slow_client_is_not_held_back():
    clock = FakeClock()
    budget = RequestBudget(5, clock=clock, sleep=clock.sleep)
    run(budget, clock, [0.3] * 10)
    assert budget.waited == 0


def test_budget_below_one_is_refused():
    with pytest.raises(ValueError):
        RequestBudget(0.5)

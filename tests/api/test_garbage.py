"""The serving processes' garbage-collector policy (api/garbage.py)."""

import gc
import weakref

import pytest

from api.garbage import GarbagePolicy


@pytest.fixture
def policy():
    yield GarbagePolicy(every=3)
    gc.unfreeze()  # the rest of the test session collects as usual


class Cycle:
    def __init__(self):
        self.me = self


def test_what_a_worker_holds_is_frozen_after_warm_up_and_every_few_requests(policy):
    policy.settle("v1")
    frozen = gc.get_freeze_count()
    assert frozen > 0
    held = [Cycle() for _ in range(100)]
    policy.after_request("v1")
    policy.after_request("v1")
    assert gc.get_freeze_count() == frozen
    policy.after_request("v1")  # the third
    assert gc.get_freeze_count() >= frozen + 100
    assert held


def test_a_new_index_version_frees_the_frozen_cycles(policy):
    policy.settle("v1")
    cycle = Cycle()
    alive = weakref.ref(cycle)
    for _ in range(3):
        policy.after_request("v1")  # frozen while in use (an old snapshot's searcher)
    del cycle
    gc.collect()
    assert alive() is not None  # frozen garbage is not collected...
    policy.after_request("v2")
    assert alive() is None  # ...until the version changes
    assert policy.version == "v2"

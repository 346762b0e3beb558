"""The stateful machine: the demo cast and an outsider use CoTrack through HTTP at random,
with valid and hostile input, and every answer and the database are checked after each step.

Budget: rounds of ``COTRACK_FUZZ_EXAMPLES`` (default 8) examples of up to
``COTRACK_FUZZ_STEPS`` (default 25) steps run until ``COTRACK_FUZZ_SECONDS`` (default 90)
are spent; shrinking a failure stops after ``COTRACK_FUZZ_SHRINK_SECONDS`` (default 60).
``make fuzz`` raises them.

Replay: every run prints ``COTRACK_FUZZ_SEED=<n>`` (also added to a failure's report);
round i uses seed n + i, so ``COTRACK_FUZZ_SEED=<n> make fuzz`` (or the same variable before
``pytest tests/property``) generates the same examples again. A failure is also kept in the
Hypothesis example database (.hypothesis/) and tried first on the next run, and its report
ends with a ``@reproduce_failure`` line that replays exactly that example.
"""

import os
import random
import time

import hypothesis
import pytest
from hypothesis import HealthCheck, settings
from hypothesis.internal.conjecture import engine
from hypothesis.stateful import run_state_machine_as_test

from tests.property.machine import CoTrackMachine
from tests.property.rules_issues import IssueRules
from tests.property.rules_money import MoneyRules
from tests.property.rules_read import ReadRules
from tests.property.rules_venture import VentureRules
from tests.property.rules_work import WorkRules

SECONDS = float(os.environ.get("COTRACK_FUZZ_SECONDS", 90))
SHRINK_SECONDS = float(os.environ.get("COTRACK_FUZZ_SHRINK_SECONDS", 60))
EXAMPLES = int(os.environ.get("COTRACK_FUZZ_EXAMPLES", 8))
STEPS = int(os.environ.get("COTRACK_FUZZ_STEPS", 25))


class CoTrack(ReadRules, WorkRules, IssueRules, VentureRules, MoneyRules, CoTrackMachine):
    """Every rule, on the base that sends the requests and checks the answers."""


@pytest.mark.own_db
def test_cotrack_as_its_users_and_attackers_use_it(seeded, monkeypatch):
    app, actors = seeded
    CoTrackMachine.app, CoTrackMachine.actors = app, tuple(actors)
    seed = int(os.environ.get("COTRACK_FUZZ_SEED") or random.SystemRandom().randrange(2**32))
    replay = f"COTRACK_FUZZ_SEED={seed} make fuzz"
    print(f"COTRACK_FUZZ_SEED={seed}  (replay: {replay})")
    # Hypothesis' own limit on shrinking (an internal constant; 300 s by default)
    monkeypatch.setattr(engine, "MAX_SHRINKING_SECONDS", SHRINK_SECONDS)
    run_settings = settings(
        max_examples=EXAMPLES, stateful_step_count=STEPS, deadline=None, print_blob=True,
        suppress_health_check=list(HealthCheck), report_multiple_bugs=True)
    deadline, rounds = time.monotonic() + SECONDS, 0
    try:
        while rounds == 0 or time.monotonic() < deadline:
            run_state_machine_as_test(hypothesis.seed(seed + rounds)(CoTrack),
                                      settings=run_settings)
            rounds += 1
    except BaseException as exc:
        exc.add_note(f"Seed of this run: {seed} (round {rounds}). Replay: {replay}")
        raise
    print(f"{rounds} rounds of {EXAMPLES} examples in {SECONDS:.0f} s")

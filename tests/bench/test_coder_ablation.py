"""bench/coder.py --ablate: each coder rule switched off in turn, scored on every set."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from test_coder_scoring import _load

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def test_ablation_lists_every_rule_with_what_it_is_worth() -> None:
    from dyadwatch.coding.coder import RuleCoder

    gold = _load("bench_gold", "_gold.py")
    bench = _load("bench_coder", "coder.py")
    # One sentence that only the bomb-attack rewrite codes right (183, not 190).
    record = gold.Record(
        key="b1",
        text="Rebels wounded two Indian soldiers in a bomb attack.",
        date=None,
        events=(gold.GoldEvent(None, "IND", "183"),),
    )
    coder = RuleCoder()
    table = bench.ablation(coder, {"wire": ([record], None)}, {})
    rows = {line.split(" | ")[0].strip("| "): line for line in table.splitlines()}
    assert set(coder.rules.names) <= set(rows)
    assert "| bomb-attack | rewrite | -1.000 | 1 |" in table
    assert "| anti-protest | target | +0.000 | 0 |" in table


def test_ablate_is_an_option_of_the_benchmark() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "coder.py"), "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "--ablate" in done.stdout

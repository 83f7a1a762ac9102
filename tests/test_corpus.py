"""Detection quality on the labelled development corpus must not regress.

Runs the planning repository's own scorer (shared/tools/score_corpus.py) against
this checkout's policylint, exactly as the project measures it.
"""
from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys

import pytest

from conftest import SHARED, shared_available

REQUIRED = ["contact-person", "third-parties", "sanctions-work-rules", "positive-phrasing", "working-hours"]

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def scores() -> dict:
    if not shared_available():
        if os.environ.get("CI"):
            pytest.fail("shared/corpus is missing beside the checkout; CI must provide it")
        pytest.skip("shared/corpus is not beside this checkout")
    command = shlex.join([sys.executable, "-m", "policylint"])
    result = subprocess.run(
        [sys.executable, str(SHARED / "tools" / "score_corpus.py"), str(SHARED / "corpus"),
         "--policylint", command, "--json"],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("element", REQUIRED)
def test_required_elements_reach_f1_0_90(scores: dict, element: str) -> None:
    assert scores["elements"][element]["f1"] >= 0.90, scores["elements"][element]


def test_macro_f1_over_all_elements_reaches_0_80(scores: dict) -> None:
    assert scores["macro_f1"] >= 0.80
    assert len(scores["elements"]) == 14

"""bench/run.py's verdicts: what `make bench` calls PASS or MISS from the figures it measured
(the figures here are made up; the bench itself takes minutes and is not run by the tests)."""

from __future__ import annotations

from bench.run import CHECKER, RESULT, InProcess, Row, verdicts


def rows(pages: dict[str, dict[str, float]]) -> list[Row]:
    made = [Row(name=f"row {i}", requests=10_000, errors=0, seconds=10, p50_ms=5, p99_ms=20)
            for i in range(11)]  # fmt: skip
    made[CHECKER].pages = pages
    made[RESULT].requests = 5_000
    return made


def steps_verdict(pages: dict[str, dict[str, float]]) -> tuple[bool, str]:
    inprocess = [InProcess("condition", "/conditions/x/", 1, 1.0, 1.2)]
    for label, passed, value in verdicts(rows(pages), [], inprocess):
        if label.startswith("every checker step"):
            return passed, value
    raise AssertionError("no verdict on the checker's steps")


def test_a_page_under_100_requests_is_judged_in_the_pooled_row_not_alone() -> None:
    pages = {
        "GET /check/1/": {"requests": 900, "p99_ms": 40, "pooled": False},
        "GET /check/18/": {"requests": 12, "p99_ms": 70, "pooled": True},
        "pages few walks open, pooled": {"requests": 150, "p99_ms": 45, "pooled": False},
    }
    assert steps_verdict(pages) == (True, "slowest pages few walks open, pooled: 45 ms")


def test_a_slow_pooled_row_or_a_slow_page_is_a_miss() -> None:
    slow_pool = {
        "GET /check/1/": {"requests": 900, "p99_ms": 40, "pooled": False},
        "pages few walks open, pooled": {"requests": 150, "p99_ms": 60, "pooled": False},
    }
    assert steps_verdict(slow_pool) == (False, "slowest pages few walks open, pooled: 60 ms")
    slow_page = {"GET /check/1/": {"requests": 900, "p99_ms": 55, "pooled": False}}
    assert steps_verdict(slow_page)[0] is False

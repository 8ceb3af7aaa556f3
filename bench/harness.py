r"""What every benchmark here shares: fair conditions, interleaved rounds, a table.

- numpy's BLAS and PyTorch run on one thread (two BLAS threads on two busy
  cores make small products hundreds of times slower), set before numpy is
  imported: import this module first;
- :func:`settle` runs ``gc.freeze()`` once the imports are done, for every
  engine alike, so the collector does not rescan the libraries' objects;
- :func:`interleaved` runs every contender once per round, in turn, so a
  busy machine slows them all alike, and keeps each one's times;
- :func:`report` prints the median and the spread (min–max) of each, and for
  each target the ratio of medians, the target and whether it was met.
"""

from __future__ import annotations

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"

import gc  # noqa: E402 (after the thread settings, on purpose)
import json  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from typing import Any  # noqa: E402

__all__ = [
    "Target",
    "import_torch",
    "interleaved",
    "report",
    "settle",
    "timed",
]


def import_torch() -> Any:
    """PyTorch on one thread, or None when it is not installed."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    return torch


def settle() -> None:
    """Collect, then freeze what the imports made: the same start for every engine."""
    gc.collect()
    gc.freeze()


def timed(step: Callable[[], Any]) -> Callable[[], float]:
    """A function that runs ``step`` once and returns the seconds it took."""

    def run() -> float:
        start = time.perf_counter()
        step()
        return time.perf_counter() - start

    return run


def interleaved(
    contenders: dict[str, Callable[[], float]], rounds: int, repeat: int = 1
) -> dict[str, list[float]]:
    r"""Seconds of each contender, round after round, in turn.

    Each contender is a function that does the work once and returns its
    seconds; in each round it runs ``repeat`` times and the best is kept
    (short steps are noisy). One warm-up call each comes first.
    """
    for run in contenders.values():
        run()
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, run in contenders.items():
            times[name].append(min(run() for _ in range(repeat)))
            gc.collect()  # a contender's garbage is not the next one's time
    return times


@dataclass(frozen=True)
class Target:
    r"""A target: ours/peer at most ``at_most``, or peer/ours at least ``at_least``.

    With neither, the ratio ours/peer is only reported: how far from a floor
    (hand-written numpy doing the same arithmetic with no graph) we are.
    """

    name: str
    ours: str
    peer: str
    at_most: float | None = None
    at_least: float | None = None


def _spread(seconds: list[float], unit: float) -> str:
    return (
        f"{statistics.median(seconds) * unit:9.3f}  "
        f"({min(seconds) * unit:.3f}–{max(seconds) * unit:.3f})"
    )


def report(
    title: str,
    times: dict[str, list[float]],
    targets: list[Target],
    unit: tuple[str, float] = ("ms", 1e3),
) -> list[dict[str, Any]]:
    """Print a table of medians with their spread, then each target's verdict."""
    name, scale = unit
    rounds = len(next(iter(times.values())))
    print(f"{title}  (median of {rounds} interleaved rounds, min–max in brackets)")
    for contender, seconds in times.items():
        print(f"  {contender:<34} {_spread(seconds, scale)} {name}")
    results = []
    for target in targets:
        if target.ours not in times or target.peer not in times:
            print(f"  {target.name}: skipped ({target.peer} is not installed)")
            results.append({"target": target.name, "skipped": f"no {target.peer}"})
            continue
        ours = statistics.median(times[target.ours])
        peer = statistics.median(times[target.peer])
        if target.at_most is None and target.at_least is None:
            ratio = ours / peer
            low = min(times[target.ours]) / max(times[target.peer])
            high = max(times[target.ours]) / min(times[target.peer])
            print(
                f"  {target.name}: {ratio:.2f}× {target.peer}'s time "
                f"(the floor; {low:.2f}–{high:.2f} from the extremes)"
            )
            results.append({"target": target.name, "ratio": ratio, "floor": True})
            continue
        if target.at_most is not None:
            ratio, met = ours / peer, ours / peer <= target.at_most
            wanted = f"≤ {target.at_most:g}× {target.peer}'s time"
            said = f"{ratio:.2f}× {target.peer}'s time"
        else:
            assert target.at_least is not None
            ratio, met = peer / ours, peer / ours >= target.at_least
            wanted = f"≥ {target.at_least:g}× faster than {target.peer}"
            said = f"{ratio:.1f}× faster than {target.peer}"
        print(
            f"  {target.name}: {said} (target {wanted}): {'met' if met else 'NOT met'}"
        )
        results.append(
            {"target": target.name, "ratio": ratio, "met": bool(met), "wanted": wanted}
        )
    print()
    return results


def save_json(path: str | None, results: list[dict[str, Any]]) -> None:
    """Write the targets' results as JSON (``--json PATH``), for the record."""
    if path:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=1)
        print(f"results written to {path}", file=sys.stderr)

"""Keystroke → updated results, measured through the Pilot (not collected by pytest).

    .venv/bin/python -m tests.tui.measure_latency INDEX_DIR [--rounds N]

For each query, the Pilot types all but its last character and lets that search finish;
then the clock starts, the last key is pressed, and it stops when the search screen has put
the new results on screen (the app's ResultsShown message, posted after the widgets were
updated). The figure includes any debounce (the app waits 150 ms only while keys outrun
the answers), the thread hop and the engine's search.

With `--eager` the last key is pressed the moment the results before it are on screen,
not once every worker is done: whatever the screen starts after showing results (the
timeline's count) is then still running and the figure includes the wait for it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from textual.pilot import Pilot

from tui.app import WartaApp
from tui.screens.main import DEBOUNCE_S

QUERIES = [
    "presiden",
    "jakarta",
    "korupsi",
    "banjir",
    "sepak bola",
    "harga minyak",
    "gempa bumi",
    "pemerintah daerah",
    "timnas indonesia",
    "bank indonesia",
    "pilkada",
    "polisi",
]


class TimedApp(WartaApp):
    """The app, noting when each set of results reached the screen."""

    def __init__(self, index_dir: Path) -> None:
        super().__init__(index_dir, show_timing=False)
        self.shown: list[tuple[float, str, float]] = []

    def on_warta_app_results_shown(self, message: WartaApp.ResultsShown) -> None:
        self.shown.append((time.perf_counter(), message.results.query, message.results.took_ms))


async def _settle(pilot: Pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def measure(index_dir: Path, rounds: int, eager: bool = False) -> list[tuple[float, float]]:
    app = TimedApp(index_dir)
    samples: list[tuple[float, float]] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        for _ in range(rounds):
            for query in QUERIES:
                await pilot.press("ctrl+u")  # empty the search bar
                await _settle(pilot)
                app.shown.clear()
                for char in query[:-1]:
                    await pilot.press("space" if char == " " else char)
                if eager:
                    while not any(q == query[:-1] for _, q, _ in app.shown):
                        await asyncio.sleep(0.001)
                else:
                    await _settle(pilot)
                app.shown.clear()
                started = time.perf_counter()
                await pilot.press(query[-1])
                while not any(q == query for _, q, _ in app.shown):
                    await asyncio.sleep(0.001)
                done, _, took = next(s for s in app.shown if s[1] == query)
                samples.append(((done - started) * 1000, took))
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--eager", action="store_true", help="press the last key as soon as results show"
    )
    args = parser.parse_args()
    os.environ["WARTA_DATA"] = tempfile.mkdtemp(prefix="warta-measure-")
    samples = asyncio.run(measure(args.index, args.rounds, args.eager))
    total = sorted(s[0] for s in samples)
    engine = sorted(s[1] for s in samples)

    def pct(values: list[float], p: float) -> float:
        return values[min(len(values) - 1, int(p * len(values)))]

    print(f"{len(samples)} keystrokes over {len(QUERIES)} queries x {args.rounds} rounds")
    print(
        f"keystroke → results on screen: median {statistics.median(total):.0f} ms, "
        f"p90 {pct(total, 0.9):.0f} ms, max {total[-1]:.0f} ms "
        f"(debounce, {DEBOUNCE_S * 1000:.0f} ms, only while typing outruns the answers)"
    )
    print(
        f"engine search alone: median {statistics.median(engine):.1f} ms, "
        f"p90 {pct(engine, 0.9):.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The figures of every benchmark run, in one file: bench/results.json.

`make bench` runs this last. It gathers bench/results-<name>.json (each benchmark writes its
own), adds whether each goal of the national-scale issue is met, prints that, and writes the
whole to bench/results.json.
"""

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"


def goals(pages: dict) -> list[tuple[str, bool, str]]:
    """Each goal, whether it is met, and the figure that says so."""
    met = []
    limits = pages["goals"]
    for name, figures in pages["pages"].items():
        if name.startswith("floor"):
            continue
        p95, ratio = figures["p95_ms"], figures["p50_ratio"]
        met.append((f"{name}: p95 <= {limits['p95_ms']} ms", p95 <= limits["p95_ms"], f"{p95} ms"))
        met.append(
            (f"{name}: p50 <= {limits['p50_ratio']} x floor", ratio <= limits["p50_ratio"],
             f"{ratio} x")
        )  # fmt: skip
    seconds = pages["chase"]["seconds"]
    met.append((f"chase < {limits['chase_seconds']} s", seconds < limits["chase_seconds"],
                f"{seconds} s"))  # fmt: skip
    return met


def main() -> None:
    results = {}
    for path in sorted(HERE.glob("results-*.json")):
        results[path.stem.removeprefix("results-")] = json.loads(path.read_text())
    checked = goals(results["pages"]) if "pages" in results else []
    if "chronology" in results:
        figures = results["chronology"]
        checked.append(
            (f"chronology of {figures['rows']} rows < {figures['goal_seconds']} s",
             figures["total_seconds"] < figures["goal_seconds"], f"{figures['total_seconds']} s")
        )  # fmt: skip
    if checked:
        results["goals_met"] = {goal: ok for goal, ok, _ in checked}
        print(f"\nGoals: {sum(ok for _, ok, _ in checked)} of {len(checked)} met")
        for goal, ok, figure in checked:
            print(f"  {'met ' if ok else 'MISS'}  {goal:55} {figure}")
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"All figures: {RESULTS.relative_to(HERE.parent)} ({', '.join(results)})")


if __name__ == "__main__":
    main()

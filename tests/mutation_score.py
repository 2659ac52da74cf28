"""The mutation score of the last ``make mutation`` (or ``mutation-full``), per module and in all.

Reads mutmut's results (``mutants/**/*.meta``), the sample the run tested
(``mutants/sample.json``, from ``tests/mutation_run.py``; without it, every mutant) and the
survivors explained in ``docs/mutation.md`` (each a line ``- `name`: why``: equivalent or out
of mutmut's reach, left out of the score; or not killed, counted against it), and prints the
score: mutants killed (a test failed, or it ran past its time limit) over the tested mutants
not left out, with its 95 % Wilson interval — the sample is drawn
in proportion to each module's mutants, so its plain proportion estimates the whole core's.
Exits 1 below the target, when a survivor is neither killed nor explained, or when a mutant
of the run was never tested.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code

TARGET = 0.90
KILLED = ("killed", "timeout")  # a test failed, or the mutant ran past its time limit
ROOT = Path(__file__).resolve().parent.parent
LISTED = re.compile(r"^- `(poa_etl\.[\w.ǁ]+__mutmut_\d+)`", re.MULTILINE)
# Sections of docs/mutation.md: survivors left out of the score (no test can tell them from
# the original, or mutmut cannot switch them on), and survivors counted against it.
LEFT_OUT = ("Survivors judged equivalent", "Survivors mutmut cannot switch on")
COUNTED = "Survivors not killed"


def listed(doc: str, heading: str) -> set[str]:
    """The mutants listed (``- `name`: why``) in the section ``## heading…`` of ``doc``."""
    sections = re.split(r"^## ", doc, flags=re.MULTILINE)
    return {n for s in sections if s.startswith(heading) for n in LISTED.findall(s)}


def module_of(mutant: str) -> str:
    """``poa_etl.store.views.x_f__mutmut_3`` (or ``….xǁClassǁmethod__mutmut_3``) -> its module."""
    return mutant.split(".x_")[0].split(".xǁ")[0]


def results(mutants: Path) -> dict[str, str]:
    """Mutant name -> status (killed, timeout, survived, no tests, …)."""
    found = {}
    for meta in sorted(mutants.rglob("*.py.meta")):
        for name, code in json.loads(meta.read_text())["exit_code_by_key"].items():
            found[name] = status_by_exit_code[code]
    return found


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95 % Wilson score interval of a proportion: honest at small n and near 100 %."""
    if not n:
        return 0.0, 1.0
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def main() -> int:
    statuses = results(ROOT / "mutants")
    if not statuses:
        print("no mutmut results in mutants/: run make mutation")
        return 1
    sample_file = ROOT / "mutants" / "sample.json"
    sample = json.loads(sample_file.read_text()) if sample_file.is_file() else None
    if sample:
        population = sample["population"]
        statuses = {name: statuses[name] for name in sample["mutants"]}
    else:
        population = Counter(module_of(name) for name in statuses)
    doc = (ROOT / "docs" / "mutation.md").read_text()
    left_out = set().union(*(listed(doc, heading) for heading in LEFT_OUT))
    unchecked = sorted(n for n, s in statuses.items() if s == "not checked")
    survivors = {n for n, s in statuses.items() if s not in (*KILLED, "not checked")}
    equivalent = survivors & left_out
    unexplained = sorted(survivors - left_out - listed(doc, COUNTED))
    print(f"{'module':40} {'mutants':>7} {'tested':>6} {'killed':>6} {'equiv':>5} {'left':>4}")
    for module in sorted(population):
        mine = [n for n in statuses if module_of(n) == module]
        killed = sum(statuses[n] in KILLED for n in mine)
        equiv = len(equivalent.intersection(mine))
        left = len(mine) - killed - equiv
        print(f"{module:40} {population[module]:7} {len(mine):6} {killed:6} {equiv:5} {left:4}")
    killed = sum(s in KILLED for s in statuses.values())
    counted = len(statuses) - len(equivalent) - len(unchecked)
    if not counted:
        print("\nno mutant of the run was tested")
        return 1
    score = killed / counted
    low, high = wilson(killed, counted)
    drawn = (
        f"a random sample of {len(statuses)} of {sum(population.values())} mutants "
        f"(seed {sample['seed']}, stratified by module)"
        if sample
        else f"all {len(statuses)} mutants"
    )
    print(
        f"\nRan {drawn}; {len(statuses) - len(unchecked)} tested: {killed} killed, "
        f"{len(survivors)} survived, of which "
        f"{len(equivalent)} left out as equivalent or out of mutmut's reach (docs/mutation.md).\n"
        f"Score: {killed} / {counted} non-equivalent mutants killed = {score:.1%}, "
        f"95 % confidence interval {low:.1%} to {high:.1%} (Wilson); target {TARGET:.0%}."
    )
    if unchecked:
        print(f"\n{len(unchecked)} mutant(s) of the run were never tested (run interrupted?).")
    if unexplained:
        print(f"\n{len(unexplained)} survivor(s) neither killed nor explained:")
        print("\n".join(f"  {name} ({statuses[name]})" for name in unexplained))
    return 0 if score >= TARGET and not unexplained and not unchecked else 1


if __name__ == "__main__":
    sys.exit(main())

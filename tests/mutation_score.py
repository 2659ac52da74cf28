"""The mutation score of the last ``mutmut run`` (``make mutation``), per module and in all.

Reads mutmut's results (``mutants/**/*.meta``) and the survivors judged equivalent in
``docs/mutation.md`` (each listed as a line ``- `name`: why``), and prints the score:
mutants killed (a test failed, or it ran past its time limit) over the mutants that are not
equivalent. Exits 1 below the target, or when a survivor is neither killed nor explained.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code

TARGET = 0.90
ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT = re.compile(r"^- `(poa_etl\.[\w.ǁ]+__mutmut_\d+)`", re.MULTILINE)


def results(mutants: Path) -> dict[str, str]:
    """Mutant name -> status (killed, timeout, survived, no tests, …)."""
    found = {}
    for meta in sorted(mutants.rglob("*.py.meta")):
        for name, code in json.loads(meta.read_text())["exit_code_by_key"].items():
            found[name] = status_by_exit_code[code]
    return found


def main() -> int:
    statuses = results(ROOT / "mutants")
    if not statuses:
        print("no mutmut results in mutants/: run make mutation")
        return 1
    documented = set(EQUIVALENT.findall((ROOT / "docs" / "mutation.md").read_text()))
    survivors = {n for n, s in statuses.items() if s not in ("killed", "timeout")}
    equivalent = survivors & documented
    unexplained = sorted(survivors - documented)
    by_module: dict[str, Counter[str]] = {}
    for name, status in statuses.items():
        module = name.split(".x_")[0].split(".xǁ")[0]
        by_module.setdefault(module, Counter())[status] += 1
    print(f"{'module':45} {'mutants':>7} {'killed':>7} {'left':>5}")
    for module, counts in sorted(by_module.items()):
        killed = counts["killed"] + counts["timeout"]
        total = sum(counts.values())
        print(f"{module:45} {total:7} {killed:7} {total - killed:5}")
    killed = sum(1 for s in statuses.values() if s in ("killed", "timeout"))
    counted = len(statuses) - len(equivalent)
    score = killed / counted
    print(
        f"\n{len(statuses)} mutants: {killed} killed, {len(survivors)} not killed, of which "
        f"{len(equivalent)} judged equivalent (docs/mutation.md).\n"
        f"Score: {killed} / {counted} non-equivalent mutants killed = {score:.1%} "
        f"(target {TARGET:.0%})."
    )
    if unexplained:
        print(f"\n{len(unexplained)} survivor(s) neither killed nor explained:")
        print("\n".join(f"  {name} ({statuses[name]})" for name in unexplained))
    return 0 if score >= TARGET and not unexplained else 1


if __name__ == "__main__":
    sys.exit(main())

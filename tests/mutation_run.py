"""Run mutmut over a seeded random sample of the core's mutants, stratified by module.

Every mutant of the core (about 4,700) takes hours on 2 cores: a surviving mutant runs every
test of its function, and the functions that build the warehouse are run by dozens of tests.
``make mutation`` therefore tests a sample: mutmut generates all the mutants and maps the
tests as usual, then this hook keeps, in every module, the same share of its mutants, drawn
at random with a fixed seed (the same code and seed give the same sample), and writes the
draw to ``mutants/sample.json`` for ``tests/mutation_score.py``. ``--sample all`` runs every
mutant (``make mutation-full``).

mutmut 3 has no command that generates mutants without running them, so the sample is drawn
inside its ``run``: the hook replaces the function that lists the mutants to run (mutmut is
pinned in uv.lock). One generation, one coverage pass, one map of the tests.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict
from pathlib import Path

import mutmut.__main__ as mutmut_main

from tests.mutation_score import module_of

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "mutants" / "sample.json"


def quotas(population: dict[str, int], size: int) -> dict[str, int]:
    """Mutants to draw per module: proportional to its mutants (largest remainders), at
    least one from every module that has any, so that no module goes unmeasured."""
    total = sum(population.values())
    share = {m: size * n / total for m, n in population.items()}
    counts = {m: min(n, max(1, int(share[m]))) for m, n in population.items() if n}
    short = sorted(counts, key=lambda m: (counts[m] - share[m], m))  # most short first
    for module in short[: max(0, size - sum(counts.values()))]:
        counts[module] += counts[module] < share[module]
    return counts


def draw(mutants: list[str], size: int, seed: int) -> list[str]:
    """The sample: per module, the first ``quota`` of its mutants shuffled by a generator
    seeded with the seed and the module's name — a larger size extends the same sample."""
    by_module: dict[str, list[str]] = defaultdict(list)
    for name in sorted(mutants):
        by_module[module_of(name)].append(name)
    chosen = []
    for module, count in quotas({m: len(v) for m, v in by_module.items()}, size).items():
        names = by_module[module]
        random.Random(f"{seed}:{module}").shuffle(names)
        chosen += names[:count]
    return sorted(chosen)


def sampling(size: int, seed: int):
    """mutmut's lister of the mutants to run, narrowed to the sample (recorded in SAMPLE)."""
    list_all = mutmut_main.collect_source_file_mutation_data

    def collect(*, mutant_names):
        mutants, data_by_path = list_all(mutant_names=mutant_names)
        population: dict[str, int] = defaultdict(int)
        for _, name, _ in mutants:
            population[module_of(name)] += 1
        chosen = set(draw([name for _, name, _ in mutants], size, seed))
        record = {"seed": seed, "size": len(chosen), "population": population}
        SAMPLE.write_text(json.dumps(record | {"mutants": sorted(chosen)}, indent=1) + "\n")
        print(f"    sample: {len(chosen)} of {len(mutants)} mutants (seed {seed})")
        return [m for m in mutants if m[1] in chosen], data_by_path

    return collect


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", default="400", help="mutants to test, or 'all'")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--max-children", type=int, default=2)
    args = parser.parse_args()
    SAMPLE.unlink(missing_ok=True)
    if args.sample != "all":
        mutmut_main.collect_source_file_mutation_data = sampling(int(args.sample), args.seed)
    mutmut_main._run((), args.max_children)


if __name__ == "__main__":
    main()

"""Latency of one suggestion call, as ``GET /api/v1/referentials/suggest`` makes it.

Usage (from the repository root, PostgreSQL on 127.0.0.1:5432):

    .venv/bin/python bench/suggest_latency.py [--data ../shared/data] [--labels 300] [--variants 100]

It works in a database of its own (``esipro_bench_suggest``, created, migrated and filled with ROME 4.0,
its tags and ESCO if needed), builds the suggestion indexes through ``referentials.suggest`` exactly as
the API does (or loads them from the disk cache, ``DATA_DIR/cache``), then times one call of
``suggest_skills`` / ``suggest_occupations`` (k=5, the API's default) per label for three cases:

- ``skill`` with the API's default sources (ROME + ESCO),
- ``skill`` with ``source=esco``,
- ``occupation`` (ROME, the API's default).

Labels: ``--labels`` real ones per case (ROME appellations for occupations; half ROME, half ESCO skill
labels for skills), plus ``--variants`` free-text variants of them (lower case, no accents, plural).
Each call is timed alone (``perf_counter``), after a warm-up of 20 calls; p50 / p95 / max in ms. The
same labels then go straight to the engine (``referentials.engine.query`` on the same indexes), to show
what ``referentials/suggest.py`` adds (reading the referential state, merging sources, ordering).
"""

import argparse
import os
import random
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = "esipro_bench_suggest"
GOAL_P95_MS = 20.0


def _prepare_database(data: Path) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone():
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    os.environ["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{DB_NAME}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "esipro.settings")

    import django

    django.setup()
    from django.core.management import call_command

    from referentials.models import EscoSkill, Occupation
    from referentials.services import (
        referential_import_esco,
        referential_import_rome,
        referential_import_rome_tags,
    )

    call_command("migrate_schemas", "--shared", verbosity=0)
    if not Occupation.objects.exists():
        print("import ROME…", flush=True)
        referential_import_rome(directory=data / "rome4")
        referential_import_rome_tags(path=data / "rome4" / "Fiches ROME -Tag - sept 2025.xlsx")
    if not EscoSkill.objects.exists():
        print("import ESCO…", flush=True)
        referential_import_esco(directory=data / "esco")


def _unaccented(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _plural(text: str) -> str:
    words = text.split()
    return " ".join(w if w.endswith(("s", "x")) or len(w) < 4 else w + "s" for w in words)


def variants(labels: list[str], count: int, rng: random.Random) -> list[str]:
    """Free-text variants of real labels, as people type them: lower case, no accents, plural."""
    forms = (str.lower, lambda t: _unaccented(t).lower(), _plural)
    return [forms[i % 3](label) for i, label in enumerate(rng.sample(labels, count))]


def _labels(count: int, seed: int) -> dict[str, list[str]]:
    from referentials.models import EscoSkill, OccupationTitle, Skill

    rng = random.Random(seed)
    titles = sorted(OccupationTitle.objects.values_list("label", flat=True))
    rome_skills = sorted(Skill.objects.filter(source="rome").values_list("label", flat=True))
    esco_skills = sorted(EscoSkill.objects.values_list("label", flat=True))
    return {
        "occupation": rng.sample(titles, count),
        "skill": rng.sample(rome_skills, count // 2) + rng.sample(esco_skills, count - count // 2),
        "esco": rng.sample(esco_skills, count),
    }


def _percentiles(samples: list[float]) -> str:
    import numpy as np

    ms = np.array(samples) * 1000
    return f"p50 {np.percentile(ms, 50):6.2f} ms   p95 {np.percentile(ms, 95):6.2f} ms   max {ms.max():7.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--labels", type=int, default=300)
    parser.add_argument("--variants", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    _prepare_database(args.data)

    from referentials.engine import query
    from referentials.suggest import (
        SOURCES,
        _source_index,
        suggest_occupations,
        suggest_skills,
        suggestion_indexes_warm,
    )

    started = time.perf_counter()
    took = suggestion_indexes_warm()
    print(f"indexes ready in {time.perf_counter() - started:.1f} s (built or loaded): {took}")

    labels = _labels(args.labels, args.seed)
    rng = random.Random(args.seed + 1)
    cases = [
        ("skill, sources rome+esco (API default)", lambda label: suggest_skills(label, 5, sources=SOURCES),
         labels["skill"], [("skill", source) for source in SOURCES]),
        ("skill, source=esco", lambda label: suggest_skills(label, 5, sources=("esco",)), labels["esco"],
         [("skill", "esco")]),
        ("occupation, source rome (API default)", lambda label: suggest_occupations(label, 5, sources=("rome",)),
         labels["occupation"], [("occupation", "rome")]),
    ]
    worst = 0.0
    for name, call, real, indexes in cases:
        queries = real + variants(real, args.variants, rng)
        engine_only = [_source_index(kind, source).index for kind, source in indexes]

        def engine_call(label, engine_only=engine_only):
            for index in engine_only:
                query(index, [label], 5)

        for label in queries[:20]:
            call(label)
        samples, engine_samples = [], []
        for label in queries:
            before = time.perf_counter()
            call(label)
            samples.append(time.perf_counter() - before)
            before = time.perf_counter()
            engine_call(label)
            engine_samples.append(time.perf_counter() - before)
        worst = max(worst, sorted(samples)[int(0.95 * (len(samples) - 1))] * 1000)
        print(f"{name:42s} {len(queries)} labels   {_percentiles(samples)}")
        print(f"{'  engine alone, same labels':42s} {len(queries)} labels   {_percentiles(engine_samples)}")
    verdict = "OK" if worst < GOAL_P95_MS else "ABOVE GOAL"
    print(f"worst p95 {worst:.2f} ms (goal < {GOAL_P95_MS:.0f} ms): {verdict}")


if __name__ == "__main__":
    main()

"""Query latency of this checkout against another one (a baseline commit), on one index.

Draws the benchmark's queries from a corpus (``bench/queries.py``: the same kinds and seeds as
``performance.py``), then, for several rounds, runs each checkout in its own subprocess (one
after the other, alternating, so both see the same machine load): a fresh
``search.SearchEngine`` on the index, warmed up on other queries of the same kinds, then every
query timed once through ``SearchEngine.search(q, per_page=10)`` (highlighting, facets, spelling
correction: what the API answers) and every typed prefix through ``SearchEngine.suggest``.
A last pass asks the same queries again (``repeat``: what a search box re-asking or a crawler
costs).  Prints p50/p95/p99 per query kind, the median of the rounds, and each checkout's figure
as a ratio to the baseline's; checks that both checkouts answered every query alike (total and
result ids).

    .venv/bin/python bench/query_speed.py --corpus C.jsonl --index-dir IDX --baseline DIR [--rounds 3]

``--baseline DIR`` is a checkout of another commit (e.g. ``git archive 4e402c0 | tar -x -C DIR``);
both run with this venv's Python.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent
KINDS = ("word", "two_words", "phrase", "filter", "typo", "prefix")


def percentile(values, share):
    ordered = sorted(values)
    if not ordered:
        return None
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def figures(values):
    return {"p50": percentile(values, 0.5), "p95": percentile(values, 0.95), "p99": percentile(values, 0.99)}


def worker(args):
    """Runs in the checkout under test: times the queries, prints JSON."""
    sys.path.insert(0, str(HERE))
    import queries as query_gen

    from search import QueryError, SearchEngine

    with open(args.corpus, encoding="utf-8") as f:
        articles = [json.loads(line) for line in f]
    vocab = query_gen.vocabulary(articles)
    timed = query_gen.generate(articles, per_kind=args.per_kind, seed=6, vocab=vocab)
    warm = query_gen.generate(articles, per_kind=args.per_kind, seed=7, vocab=vocab)
    prefixes = query_gen.suggest_prefixes(articles, count=args.per_kind * 10, seed=6)
    warm_prefixes = query_gen.suggest_prefixes(articles, count=args.per_kind * 10, seed=7)
    del articles, vocab
    engine = SearchEngine(args.index_dir)

    def one(text):
        started = time.perf_counter()
        try:
            result = engine.search(text, per_page=10)
            answer = [result["total"], [r["id"] for r in result["results"]], [r["snippets"] for r in result["results"]]]
        except QueryError as exc:
            answer = [f"QueryError: {exc}"]
        return (time.perf_counter() - started) * 1000, answer

    def suggest(prefix):
        started = time.perf_counter()
        try:
            answer = engine.suggest(prefix)
        except QueryError as exc:
            answer = f"QueryError: {exc}"
        return (time.perf_counter() - started) * 1000, answer

    for query in warm:
        one(query["ours"])
    for prefix in warm_prefixes:
        suggest(prefix)
    out = {"search": {}, "answers": {}, "repeat": [], "suggest": [], "suggest_answers": []}
    for query in timed:
        ms, answer = one(query["ours"])
        out["search"].setdefault(query["kind"], []).append(ms)
        out["answers"][query["qid"]] = answer
    for prefix in prefixes:
        ms, answer = suggest(prefix)
        out["suggest"].append(ms)
        out["suggest_answers"].append(answer)
    out["repeat"] = [one(query["ours"])[0] for query in timed]
    json.dump(out, sys.stdout)


def run_checkout(root, args):
    command = [sys.executable, str(HERE / "query_speed.py"), "--worker", "--corpus", str(args.corpus)]
    command += ["--index-dir", str(args.index_dir), "--per-kind", str(args.per_kind)]
    env = {**os.environ, "PYTHONPATH": str(root)}
    # The checkout's own bench/queries.py is not needed: the query generator is this one's.
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{root}: exited {done.returncode}\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True, help="the corpus the index was built from (JSON lines)")
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--baseline", type=Path, help="a checkout of the baseline commit")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--per-kind", type=int, default=10, help="queries per kind and language (default 10)")
    parser.add_argument("--json", type=Path, help="write every figure here")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args)
    checkouts = {"ours": REPO_ROOT}
    if args.baseline:
        checkouts = {"baseline": args.baseline.resolve(), "ours": REPO_ROOT}
    runs = {name: [] for name in checkouts}
    for round_number in range(args.rounds):
        # the order alternates, so neither checkout always runs on what the other left behind
        order = list(checkouts.items())
        for name, root in order if round_number % 2 == 0 else reversed(order):
            print(f"round {round_number + 1}: {name}", file=sys.stderr, flush=True)
            runs[name].append(run_checkout(root, args))
    rows = {}
    for name, results in runs.items():
        per_round = []
        for result in results:
            kinds = {kind: figures(result["search"].get(kind, [])) for kind in KINDS}
            kinds["all"] = figures([ms for values in result["search"].values() for ms in values])
            kinds["repeat"] = figures(result["repeat"])
            kinds["suggest"] = figures(result["suggest"])
            per_round.append(kinds)
        rows[name] = {
            kind: {p: statistics.median(r[kind][p] for r in per_round) for p in ("p50", "p95", "p99")}
            for kind in per_round[0]
        }
    base = rows.get("baseline")
    print("| kind | " + " | ".join(f"{name} p50 / p95 / p99 ms" for name in rows) + (" | ratio p50 / p95 / p99 |" if base else " |"))
    print("|---" * (len(rows) + 1 + bool(base)) + "|")
    for kind in rows["ours"]:
        cells = [" / ".join(f"{rows[name][kind][p]:.1f}" for p in ("p50", "p95", "p99")) for name in rows]
        if base:
            cells.append(" / ".join(f"{rows['ours'][kind][p] / base[kind][p]:.2f}x" for p in ("p50", "p95", "p99")))
        print(f"| {kind} | " + " | ".join(cells) + " |")
    if base:
        ours, theirs = runs["ours"][0], runs["baseline"][0]
        differ = [qid for qid in theirs["answers"] if theirs["answers"][qid] != ours["answers"].get(qid)]
        same_suggest = theirs["suggest_answers"] == ours["suggest_answers"]
        print(f"\nanswers (total, ids, snippets) that differ from the baseline: {len(differ)} of {len(theirs['answers'])} {differ[:10]}")
        print(f"suggestions identical: {same_suggest}")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "runs": runs}, ensure_ascii=False))


if __name__ == "__main__":
    main()

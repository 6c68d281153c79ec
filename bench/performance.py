"""Indexing and query speed of our engine beside Lucene and tantivy, in one run, on one corpus.

For each corpus size (``--sizes``), a corpus is generated from the real sentences of
``../shared/eval/`` (``bench/corpus.py``) into a temporary directory, and the same queries
are drawn from it (``bench/queries.py``: plain words, two words, phrases, a language
filter, a typo, a prefix).  Then, one engine after another on the same files:

* **ours**: ``python -m index build`` in a subprocess, with 1 and with 2 worker processes
  (articles/s and MB/s from the command's own summary; peak RSS of the command and its
  workers together, sampled from ``/proc``; index size on disk); queries in process through
  ``search.SearchEngine.search`` (what the API returns: highlighted passages and facets
  included) and over HTTP through gunicorn with two workers (the API's ``took_ms`` and the
  round trip, one request at a time); ``/api/suggest`` for prefixes of title words.
* **Lucene 8** (Debian's ``liblucene8-java``): ``bench/lucene/LuceneBench.java``, compiled
  by this script, indexes with Lucene's Greek/German/Hungarian/Russian analyzers into one
  title and one body field per language (128 MB RAM buffer, one thread) and times the
  queries in the JVM: parse, top 10, stored ids of the hits.
* **tantivy** (PyPI): the same fields with tantivy's Snowball stemmers (and stop words
  where it has a list: not for Greek), one indexing thread, 128 MB heap; the queries parsed,
  searched and the ids of the top 10 read, in process.

Every engine first answers other queries of the same kinds untimed (warm-up; Lucene 5,000 of them, for its JIT), then each timed query once.  Every figure is
also given as a ratio to Lucene's in the same run.  Writes ``docs/benchmark.md`` (the
table, with date, machine and commit) and ``docs/benchmark.png`` (build throughput and
latency percentiles per engine and corpus size).

    .venv/bin/python bench/performance.py [--sizes 10000 50000] [--per-kind 20] [--json FILE]
                                          [--keep DIR] [--eval-dir ../shared/eval]
"""

import argparse
import collections
import datetime as dt
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus as corpus_gen  # noqa: E402
import queries as query_gen  # noqa: E402
from retrieval import _LOCAL_OPENER, REPO_ROOT, elapsed_ms, gunicorn_serving, http_search, note  # noqa: E402

DOCS_DIR = REPO_ROOT / "docs"
LUCENE_SOURCE = Path(__file__).resolve().parent / "lucene" / "LuceneBench.java"
LUCENE_JARS = ("lucene-core", "lucene-analyzers-common", "lucene-queryparser")
JAVA_DIR = Path("/usr/share/java")
RAM_BUFFER_MB = 128
TOP_K = 10
RSS_SAMPLE_SECONDS = 0.2
TANTIVY_STEMMERS = {"el": "greek", "de": "german", "hu": "hungarian", "ru": "russian"}
TANTIVY_STOPWORDS = {"de", "hu", "ru"}  # tantivy has no Greek stop-word list
ENGINES = ("ours", "lucene", "tantivy")
COLORS = {"ours": "#1f77b4", "Lucene": "#ff7f0e", "tantivy": "#2ca02c"}


# -- measuring -----------------------------------------------------------------


def latency(values_ms):
    """p50/p95/p99/mean (ms) and queries per second of one-at-a-time timings."""
    values = sorted(v for v in values_ms if v is not None)
    if not values:
        return {"n": 0, "p50": None, "p95": None, "p99": None, "qps": None}
    cut = statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 else [values[0]] * 99
    return {
        "n": len(values),
        "p50": round(statistics.median(values), 3),
        "p95": round(cut[94], 3),
        "p99": round(cut[98], 3),
        "qps": round(1000 / statistics.fmean(values), 1),
    }


def tree_rss_bytes(root_pid):
    """Resident memory of a process and all its descendants, from /proc."""
    children = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as f:
                    ppid = int(f.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, ()))
        try:
            with open(f"/proc/{pid}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            pass
    return total


def run_sampling_rss(command, **kwargs):
    """Run ``command``; its CompletedProcess-like (returncode, stdout, stderr) and peak tree RSS."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.wait(RSS_SAMPLE_SECONDS):
            peak[0] = max(peak[0], tree_rss_bytes(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    done.set()
    sampler.join()
    return process.returncode, stdout, stderr, peak[0]


def directory_bytes(path):
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


# -- ours --------------------------------------------------------------------------


def build_ours(corpus_path, index_dir, workers):
    command = [sys.executable, "-m", "index", "build", str(corpus_path), "--index-dir", str(index_dir)]
    command += ["--workers", str(workers), "--quiet", "--json"]
    started = time.perf_counter()
    code, stdout, stderr, peak = run_sampling_rss(command, cwd=REPO_ROOT)
    wall = time.perf_counter() - started
    if code != 0:
        raise RuntimeError(f"`{' '.join(command)}` exited {code}:\n{stderr.strip()[-2000:]}")
    summary = json.loads(stdout)
    if summary.get("skipped"):
        note(f"ours: the build skipped {len(summary['skipped'])} articles: {summary['skipped'][:3]}")
    return {
        "articles": summary["articles"],
        "seconds": summary["seconds"],
        "wall_seconds": round(wall, 2),
        "peak_rss_bytes": peak,
        "index_bytes": directory_bytes(index_dir),
    }


def query_ours_in_process(index_dir, queries, prefixes, warm, warm_prefixes):
    from search import QueryError, SearchEngine

    engine = SearchEngine(index_dir)

    def one(text):
        started = time.perf_counter()
        try:
            result = engine.search(text, per_page=TOP_K)
        except QueryError as exc:
            return elapsed_ms(started), f"QueryError: {exc}", 0
        return elapsed_ms(started), None, result["total"]

    for query in warm:  # analyzers, dictionaries, the OS's page cache
        one(query["ours"])
    answers = {q["qid"]: one(q["ours"]) for q in queries}
    def suggest(prefix):
        started = time.perf_counter()
        try:
            engine.suggest(prefix)
        except QueryError as exc:  # a short prefix of a common start is refused (see docs/performance.md)
            return elapsed_ms(started), f"QueryError: {exc}"
        return elapsed_ms(started), 200

    for prefix in warm_prefixes:
        suggest(prefix)
    return answers, [suggest(prefix) for prefix in prefixes]


def http_get_ms(url):
    started = time.perf_counter()
    try:
        with _LOCAL_OPENER.open(url, timeout=60) as response:
            response.read()
            status = response.status
    except OSError as exc:  # urllib's HTTPError is one
        status = getattr(exc, "code", None) or type(exc).__name__
    return elapsed_ms(started), status


def query_ours_over_http(index_dir, queries, prefixes, warm, warm_prefixes):
    def suggest_url(prefix):
        return f"{base_url}/api/suggest?" + urllib.parse.urlencode({"q": prefix})

    with gunicorn_serving(index_dir) as (base_url, _log):
        for query in warm:
            http_search(base_url, query["ours"])
        answers = {q["qid"]: http_search(base_url, q["ours"]) for q in queries}
        for prefix in warm_prefixes:
            http_get_ms(suggest_url(prefix))
        suggest = [http_get_ms(suggest_url(prefix)) for prefix in prefixes]
    return answers, suggest


# -- Lucene --------------------------------------------------------------------------


def lucene_classpath():
    jars = []
    for name in LUCENE_JARS:
        found = sorted(JAVA_DIR.glob(f"{name}-8*.jar"))
        if not found:
            raise RuntimeError(f"{JAVA_DIR}/{name}-8*.jar is missing: install Debian's liblucene8-java (make bench-performance)")
        jars.append(str(found[-1]))
    return jars


def check_dependencies():
    """Every benchmark-only dependency, checked before the hour-long part of a run, not after it."""
    lucene_classpath()
    if not shutil.which("javac"):
        raise RuntimeError("javac is missing: install a JDK (make bench-deps)")
    missing = [name for name in ("tantivy", "matplotlib") if importlib.util.find_spec(name) is None]
    if missing:
        raise RuntimeError(f"{', '.join(missing)} missing: install bench/requirements.txt (make bench-deps)")


def compile_lucene(out_dir):
    jars = lucene_classpath()
    subprocess.run(["javac", "-d", str(out_dir), "-cp", ":".join(jars), str(LUCENE_SOURCE)], check=True)
    return ":".join([str(out_dir), *jars])


def write_lucene_inputs(articles_path, queries, warm, corpus_tsv, queries_tsv):
    def field(text):
        return (text or "").replace("\t", " ").replace("\r", " ").replace("\n", "\\n")

    with open(articles_path, encoding="utf-8") as src, open(corpus_tsv, "w", encoding="utf-8") as out:
        for line in src:
            a = json.loads(line)
            out.write("\t".join(field(a[k]) for k in ("id", "lang", "date", "source", "title", "body")) + "\n")
    with open(queries_tsv, "w", encoding="utf-8") as out:
        for q in warm + queries:
            out.write(f"{q['qid']}\t{','.join(q['langs'])}\t{q['lucene']}\n")


def run_lucene(classpath, corpus_tsv, queries_tsv, index_dir):
    command = ["java", "-cp", classpath, "LuceneBench", str(corpus_tsv), str(queries_tsv), str(index_dir), str(RAM_BUFFER_MB)]
    code, stdout, stderr, peak = run_sampling_rss(command)
    if code != 0:
        raise RuntimeError(f"LuceneBench exited {code}:\n{stderr.strip()[-2000:]}")
    build, answers = None, {}
    for line in stdout.splitlines():
        parts = line.split()
        if parts[0] == "build":
            build = {"seconds": float(parts[1]), "articles": int(parts[2]), "index_bytes": int(parts[3])}
        elif parts[0] == "query":
            answers[parts[1]] = (float(parts[2]), None, int(parts[3]))
    # The JVM's peak covers indexing and querying (one process).
    build["peak_rss_bytes"] = peak
    return build, answers


# -- tantivy ---------------------------------------------------------------------------


def tantivy_analyzer(tantivy, lang):
    builder = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
    builder = builder.filter(tantivy.Filter.remove_long(40)).filter(tantivy.Filter.lowercase())
    if lang in TANTIVY_STOPWORDS:
        builder = builder.filter(tantivy.Filter.stopword(TANTIVY_STEMMERS[lang]))
    return builder.filter(tantivy.Filter.stemmer(TANTIVY_STEMMERS[lang])).build()


def build_tantivy(articles_path, index_dir):
    import tantivy

    schema = tantivy.SchemaBuilder()
    schema.add_text_field("id", stored=True, tokenizer_name="raw")
    schema.add_text_field("lang", stored=True, tokenizer_name="raw", fast=True)
    schema.add_text_field("source", stored=True, tokenizer_name="raw", fast=True)
    schema.add_date_field("published", stored=True, fast=True)
    for lang in TANTIVY_STEMMERS:
        for part in ("title", "body"):
            schema.add_text_field(f"{part}_{lang}", stored=True, tokenizer_name=f"stem_{lang}")
    schema = schema.build()
    index = tantivy.Index(schema, path=str(index_dir))
    for lang in TANTIVY_STEMMERS:
        index.register_tokenizer(f"stem_{lang}", tantivy_analyzer(tantivy, lang))
    started = time.perf_counter()
    writer = index.writer(heap_size=RAM_BUFFER_MB * 1_000_000, num_threads=1)
    count = 0
    with open(articles_path, encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            lang = a["lang"]
            writer.add_document(
                tantivy.Document(
                    id=a["id"], lang=lang, source=a["source"],
                    published=dt.datetime.fromisoformat(a["date"]).replace(tzinfo=dt.timezone.utc),
                    **{f"title_{lang}": a["title"], f"body_{lang}": a["body"]},
                )
            )  # fmt: skip
            count += 1
    writer.commit()
    writer.wait_merging_threads()
    seconds = time.perf_counter() - started
    index.reload()
    return index, {"articles": count, "seconds": round(seconds, 3), "index_bytes": directory_bytes(index_dir)}


def tantivy_query(tantivy, index, schema, query):
    fields = [f"{part}_{lang}" for lang in query["langs"] for part in ("title", "body")]
    if query["kind"] == "typo":
        word = query["words"][0].lower()
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, tantivy.Query.fuzzy_term_query(schema, f, word, distance=query["distance"])) for f in fields]
        )
    if query["kind"] == "prefix":
        pattern = "".join(f"\\{c}" if not c.isalnum() else c for c in query["words"][0].lower()) + ".*"
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, tantivy.Query.regex_query(schema, f, pattern)) for f in fields]
        )
    boosts = {f: 2.0 for f in fields if f.startswith("title_")}
    return index.parse_query(query["lucene"], default_field_names=fields, field_boosts=boosts, conjunction_by_default=True)


def query_tantivy(index, queries, warm):
    import tantivy

    schema = index.schema
    searcher = index.searcher()

    def one(query):
        started = time.perf_counter()
        result = searcher.search(tantivy_query(tantivy, index, schema, query), TOP_K)
        for _score, address in result.hits:
            searcher.doc(address)["id"]
        return elapsed_ms(started), None, result.count

    for query in warm:
        one(query)
    return {q["qid"]: one(q) for q in queries}


# -- one corpus size -------------------------------------------------------------


def by_kind(queries, answers):
    """Latency per query kind and over all queries, from ``{qid: (ms, error, hits)}``."""
    kinds = {"all": [q["qid"] for q in queries]}
    for q in queries:
        kinds.setdefault(q["kind"], []).append(q["qid"])
    return {
        kind: {
            **latency(answers[qid][0] for qid in qids if qid in answers),
            "errors": sum(1 for qid in qids if answers.get(qid, (0, "missing"))[1]),
            "empty": sum(1 for qid in qids if qid in answers and not answers[qid][1] and not answers[qid][2]),
        }
        for kind, qids in kinds.items()
    }


def suggest_figures(timings):
    """Latency of ``[(ms, status)]`` and the failures (anything but 200) by status."""
    failures = collections.Counter(str(status) for _ms, status in timings if status != 200)
    return {**latency(ms for ms, _status in timings), "errors": sum(failures.values()), "failures": dict(failures)}


def run_size(size, args, work):
    note(f"{size:,} articles: generating the corpus")
    corpus_path = work / f"corpus-{size}.jsonl"
    pools = corpus_gen.load_pools(args.eval_dir)
    count, corpus_bytes = corpus_gen.write_corpus(corpus_gen.generate(pools, size, seed=args.seed), corpus_path)
    with open(corpus_path, encoding="utf-8") as f:
        articles = [json.loads(line) for line in f]
    vocab = query_gen.vocabulary(articles)
    queries = query_gen.generate(articles, per_kind=args.per_kind, seed=args.seed, vocab=vocab)
    prefixes = query_gen.suggest_prefixes(articles, count=args.per_kind * 10, seed=args.seed)
    # Every engine warms up on other queries than those it is timed on: the timed ones must
    # find no cache (ours has per-word caches) already holding their answers.
    warm = query_gen.generate(articles, per_kind=args.per_kind, seed=args.seed + 1, vocab=vocab)
    for query in warm:
        query["qid"] = "warm-" + query["qid"]
    warm_prefixes = query_gen.suggest_prefixes(articles, count=args.per_kind * 10, seed=args.seed + 1)
    del articles, vocab
    result = {"articles": count, "corpus_bytes": corpus_bytes, "queries": len(queries), "engines": {}}

    ours = {"builds": {}}
    for workers in args.workers:
        index_dir = work / f"ours-{size}-w{workers}"
        note(f"{size:,}: ours, python -m index build --workers {workers}")
        ours["builds"][workers] = build_ours(corpus_path, index_dir, workers)
    query_index = work / f"ours-{size}-w{args.workers[0]}"
    for workers in args.workers[1:]:
        shutil.rmtree(work / f"ours-{size}-w{workers}", ignore_errors=True)
    note(f"{size:,}: ours, {len(queries)} queries in process")
    in_process, suggest_in_process = query_ours_in_process(query_index, queries, prefixes, warm, warm_prefixes)
    note(f"{size:,}: ours, {len(queries)} queries over HTTP")
    over_http, suggest_http = query_ours_over_http(query_index, queries, prefixes, warm, warm_prefixes)
    ours["in_process"] = by_kind(queries, in_process)
    http_took = {qid: (a.took_ms, a.error, len(a.ids) if not a.error else 0) for qid, a in over_http.items()}
    http_round = {qid: (a.round_trip_ms, a.error, len(a.ids) if not a.error else 0) for qid, a in over_http.items()}
    ours["http_took"] = by_kind(queries, http_took)
    ours["http_round_trip"] = by_kind(queries, http_round)
    ours["suggest_in_process"] = suggest_figures(suggest_in_process)
    ours["suggest_http"] = suggest_figures(suggest_http)
    ours["query_errors"] = sorted({a.error for a in over_http.values() if a.error})[:5]
    result["engines"]["ours"] = ours
    if not args.keep:
        shutil.rmtree(query_index, ignore_errors=True)

    note(f"{size:,}: Lucene")
    classpath = compile_lucene(work / "lucene-classes")
    write_lucene_inputs(corpus_path, queries, warm, work / "corpus.tsv", work / "queries.tsv")
    lucene_build, lucene_answers = run_lucene(classpath, work / "corpus.tsv", work / "queries.tsv", work / f"lucene-{size}")
    result["engines"]["lucene"] = {"build": lucene_build, "in_process": by_kind(queries, lucene_answers)}
    shutil.rmtree(work / f"lucene-{size}", ignore_errors=True)

    note(f"{size:,}: tantivy")
    (work / f"tantivy-{size}").mkdir()
    index, tantivy_build = build_tantivy(corpus_path, work / f"tantivy-{size}")
    result["engines"]["tantivy"] = {"build": tantivy_build, "in_process": by_kind(queries, query_tantivy(index, queries, warm))}
    del index
    shutil.rmtree(work / f"tantivy-{size}", ignore_errors=True)
    result["sample_queries"] = {kind: next(q for q in queries if q["kind"] == kind) for kind in query_gen.KINDS}
    return result


# -- report --------------------------------------------------------------------------


def machine():
    model = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
        platform.processor() or "unknown CPU",
    )
    def git(*args):
        return subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD")
    if commit and git("status", "--porcelain", "--untracked-files=no"):
        commit += " + uncommitted changes"
    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "python": platform.python_version(),
        "commit": commit or "unknown",
    }


def ratio(value, reference, higher_is_better=False):
    if value is None or not reference:
        return "–"
    return f"{value / reference:.2f}x"


def fmt(value, digits=1):
    return "–" if value is None else f"{value:,.{digits}f}"


def rows(results):
    """Markdown table rows: one per engine (and worker count) per corpus size."""
    for size, r in results.items():
        lucene = r["engines"]["lucene"]
        l_rate = lucene["build"]["articles"] / lucene["build"]["seconds"]
        l_q = lucene["in_process"]["all"]
        l_size = lucene["build"]["index_bytes"]
        mb = r["corpus_bytes"] / 1e6

        def build_cells(build):
            rate = build["articles"] / build["seconds"]
            return [
                f"{rate:,.0f} ({ratio(rate, l_rate)})", f"{mb / build['seconds']:.2f}",
                fmt(build.get("peak_rss_bytes", 0) / 1e6, 0) if build.get("peak_rss_bytes") else "–",
                f"{build['index_bytes'] / 1e6:,.1f} ({ratio(build['index_bytes'], l_size)})",
            ]  # fmt: skip

        def query_cells(q):
            return [f"{fmt(q[p], 2)} ({ratio(q[p], l_q[p])})" for p in ("p50", "p95", "p99")] + [fmt(q["qps"], 0)]

        ours = r["engines"]["ours"]
        for i, (workers, build) in enumerate(sorted(ours["builds"].items())):
            queries = ours["in_process"]["all"] if i == 0 else None
            yield [
                f"{size:,}", f"**ours**, {workers} worker{'s' if workers > 1 else ''}", *build_cells(build),
                *(query_cells(queries) if queries else ["″"] * 4),
            ]  # fmt: skip
        for name in ("lucene", "tantivy"):
            e = r["engines"][name]
            yield [f"{size:,}", name.capitalize() if name == "lucene" else name, *build_cells(e["build"]), *query_cells(e["in_process"]["all"])]


TABLE_HEADER = [
    "articles", "engine", "build articles/s (× Lucene)", "build MB/s", "peak RSS MB", "index MB (× Lucene)",
    "query p50 ms (× Lucene)", "p95 ms", "p99 ms", "queries/s",
]  # fmt: skip


def markdown_table(header, body):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return "\n".join(lines)


def kind_rows(results):
    for size, r in results.items():
        lucene = r["engines"]["lucene"]["in_process"]
        ours = r["engines"]["ours"]
        tantivy = r["engines"]["tantivy"]["in_process"]
        for kind in (*query_gen.KINDS, "all"):
            o, h, t, l = ours["in_process"][kind], ours["http_round_trip"][kind], tantivy[kind], lucene[kind]
            yield [
                f"{size:,}", kind, f"{o['n']}",
                f"{fmt(o['p50'], 2)} / {fmt(o['p99'], 2)} ({ratio(o['p50'], l['p50'])} / {ratio(o['p99'], l['p99'])})",
                f"{fmt(ours['http_took'][kind]['p50'], 2)} / {fmt(ours['http_took'][kind]['p99'], 2)}",
                f"{fmt(h['p50'], 2)} / {fmt(h['p99'], 2)}",
                f"{fmt(l['p50'], 3)} / {fmt(l['p99'], 3)}",
                f"{fmt(t['p50'], 3)} / {fmt(t['p99'], 3)} ({ratio(t['p50'], l['p50'])})",
                f"{o['empty']} / {l['empty']} / {t['empty']}", f"{o['errors']}",
            ]  # fmt: skip


KIND_HEADER = [
    "articles", "queries", "n", "ours in process p50 / p99 ms (× Lucene)", "ours HTTP took_ms p50 / p99",
    "ours HTTP round trip p50 / p99", "Lucene p50 / p99 ms", "tantivy p50 / p99 ms (× Lucene)",
    "no hits ours / Lucene / tantivy", "ours errors",
]  # fmt: skip


def suggest_rows(results):
    for size, r in results.items():
        ours = r["engines"]["ours"]
        s, h = ours["suggest_in_process"], ours["suggest_http"]
        yield [f"{size:,}", f"{s['n']}", f"{fmt(s['p50'], 2)} / {fmt(s['p95'], 2)} / {fmt(s['p99'], 2)}",
               f"{fmt(h['p50'], 2)} / {fmt(h['p95'], 2)} / {fmt(h['p99'], 2)}", f"{h['errors']}"]  # fmt: skip


SUGGEST_HEADER = ["articles", "prefixes", "in process p50 / p95 / p99 ms", "HTTP round trip p50 / p95 / p99 ms", "errors"]


def report(results, run):
    m = run["machine"]
    sizes = ", ".join(f"{size:,}" for size in results)
    if len(run.get("merged_runs", ())) > 1:
        m = dict(m, date=" and ".join(r["machine"]["date"] for r in run["merged_runs"]) + " (one run per size)")
        m["commit"] = " and ".join(dict.fromkeys(r["machine"]["commit"] for r in run["merged_runs"]))
    return "\n".join([
        "# Performance benchmark: ours beside Lucene and tantivy",
        "",
        "Generated by `bench/performance.py` (see bench/README.md). Measured "
        f"{m['date']} on {m['cpus']} cores ({m['cpu_model']}), Python {m['python']}, commit `{m['commit']}`; "
        f"corpora of {sizes} articles recombined from `../shared/eval/` sentences (el/de/hu/ru in equal shares), "
        f"{run['per_kind']} queries of each kind per language. Ratios are to Lucene in the same run "
        "(build: higher is faster; latency and size: lower is better). The machine is shared: single runs are noisy.",
        "",
        "Ours answers as the API does (highlighted title and passages, facets, spelling correction); Lucene and",
        "tantivy return the ids of the top 10 only.",
        "",
        markdown_table(TABLE_HEADER, rows(results)),
        "",
        "Query latency per kind (one query at a time; over HTTP through gunicorn with two workers):",
        "",
        markdown_table(KIND_HEADER, kind_rows(results)),
        "",
        "`/api/suggest`:",
        "",
        markdown_table(SUGGEST_HEADER, suggest_rows(results)),
        "",
        "![Build throughput and query latency per engine and corpus size](benchmark.png)",
        "",
    ])


def plot(results, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = list(results)
    labels = [f"{s // 1000}k" for s in sizes]
    series = {
        "ours": lambda r: r["engines"]["ours"]["in_process"]["all"],
        "Lucene": lambda r: r["engines"]["lucene"]["in_process"]["all"],
        "tantivy": lambda r: r["engines"]["tantivy"]["in_process"]["all"],
    }
    fig, (build_ax, *lat_axes) = plt.subplots(1, 4, figsize=(16, 4.5))
    width = 0.8 / (len(series) + 1)
    worker_counts = sorted({w for r in results.values() for w in r["engines"]["ours"]["builds"]})
    build_series = {f"ours ({w} worker{'s' if w > 1 else ''})": ("ours", w) for w in worker_counts}
    build_series.update({"Lucene": ("lucene", None), "tantivy": ("tantivy", None)})
    for i, (name, (engine, workers)) in enumerate(build_series.items()):
        rates = []
        for s in sizes:
            e = results[s]["engines"][engine]
            b = e["builds"].get(workers) if workers else e["build"]
            rates.append(b["articles"] / b["seconds"] if b else 0)  # a worker count not run at this size
        build_ax.bar(
            [x + i * 0.8 / len(build_series) for x in range(len(sizes))], rates, 0.8 / len(build_series),
            label=name, color=COLORS.get(name, COLORS["ours"] if workers == 1 else "#7fb2e0"),
        )  # fmt: skip
    build_ax.set_yscale("log")
    build_ax.set_title("build throughput (articles/s, log)")
    build_ax.set_xticks([x + 0.4 - 0.4 / len(build_series) for x in range(len(sizes))], labels)
    build_ax.legend(fontsize=8)
    for ax, p in zip(lat_axes, ("p50", "p95", "p99")):
        for i, (name, get) in enumerate(series.items()):
            heights = [get(results[s])[p] for s in sizes]
            ax.bar([x + i * width for x in range(len(sizes))], heights, width, label=name, color=COLORS[name])
        ax.set_yscale("log")
        ax.set_title(f"query latency {p} (ms, log, in process)")
        ax.set_xticks([x + width for x in range(len(sizes))], labels)
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000], help="corpus sizes (articles)")
    parser.add_argument("--per-kind", type=int, default=20, help="queries of each kind per language (default 20)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts for our build")
    parser.add_argument("--seed", type=int, default=corpus_gen.DEFAULT_SEED)
    parser.add_argument("--eval-dir", type=Path, default=corpus_gen.DEFAULT_EVAL_DIR)
    parser.add_argument("--docs-dir", type=Path, default=DOCS_DIR, help="where benchmark.md and benchmark.png go")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write every figure to FILE")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="work in DIR and keep corpora and our index (for bench/load.py)")
    parser.add_argument(
        "--report-from", type=Path, nargs="+", metavar="JSON",
        help="measure nothing: write the report and plot from the --json files of earlier runs (sizes merged)",
    )
    args = parser.parse_args(argv)
    if args.report_from:
        runs, results = [], {}
        for path in args.report_from:
            saved = json.loads(path.read_text(encoding="utf-8"))
            runs.append(saved["run"])
            for size, figures in saved["sizes"].items():
                figures["engines"]["ours"]["builds"] = {int(w): b for w, b in figures["engines"]["ours"]["builds"].items()}
                results[int(size)] = figures
        run = {**runs[-1], "merged_runs": runs, "per_kind": "/".join(dict.fromkeys(str(r["per_kind"]) for r in runs))}
        print(write_outputs(dict(sorted(results.items())), run, args))
        return
    try:
        check_dependencies()
    except RuntimeError as exc:
        parser.exit(1, f"error: {exc}\n")
    run = {"machine": machine(), "per_kind": args.per_kind, "seed": args.seed, "workers": args.workers}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-performance-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        results = {}
        for size in args.sizes:
            try:
                results[size] = run_size(size, args, work)
            except (RuntimeError, subprocess.CalledProcessError) as exc:
                parser.exit(1, f"error: {exc}\n")
            # After every size, so that a long run that is stopped keeps what it measured.
            run["seconds"] = round(time.perf_counter() - started, 1)
            text = write_outputs(results, run, args)
    print(text)


def write_outputs(results, run, args):
    text = report(results, run)
    args.docs_dir.mkdir(parents=True, exist_ok=True)
    (args.docs_dir / "benchmark.md").write_text(text, encoding="utf-8")
    plot(results, args.docs_dir / "benchmark.png")
    if args.json:
        args.json.write_text(json.dumps({"run": run, "sizes": results}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return text


if __name__ == "__main__":
    main()

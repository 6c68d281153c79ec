"""The API under load: throughput, latency and errors at rising concurrency, before and during a rebuild.

Serves an index of a generated corpus (``bench/corpus.py``, at least 50,000 articles for the
reported run) with gunicorn (two workers, as ``make run``), and drives it from a second
process on loopback with Debian's ``wrk`` (``bench/load.lua`` cycles through the request
paths) at each concurrency of ``--connections``, for ``--seconds`` each, for three kinds of
request: ``/api/search`` (the benchmark's queries, ``bench/queries.py``), ``/api/suggest``
(prefixes of title words) and ``/api/documents/{id}``.  Then the same again while
``python -m index build`` rebuilds the served index from the same corpus (the server switches
to the new generation when the rebuild publishes it; a rebuild still running after the sweep is
stopped, unless ``--wait-for-rebuild``, and the server must go on answering).  Per row: requests per second,
p50/p95/p99 latency, and errors (connection errors, timeouts and answers of status 400 or more).

    .venv/bin/python bench/load.py [--articles 50000] [--corpus FILE] [--index-dir DIR]
                                   [--connections 1 4 16 64] [--seconds 10] [--json FILE]

``--corpus`` and ``--index-dir`` reuse what ``bench/performance.py --keep DIR`` left (the corpus
is generated and the index built when missing).
"""

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus as corpus_gen  # noqa: E402
import queries as query_gen  # noqa: E402
from retrieval import REPO_ROOT, gunicorn_serving, note  # noqa: E402

LUA_SCRIPT = Path(__file__).resolve().parent / "load.lua"
KINDS = ("search", "suggest", "document")
WRK_TIMEOUT = "10s"


def request_paths(corpus_path, count, seed):
    """``{kind: [path?query, ...]}`` for the three kinds of request."""
    with open(corpus_path, encoding="utf-8") as f:
        articles = [json.loads(line) for line in f]
    rng = random.Random(seed)
    queries = query_gen.generate(articles, per_kind=max(1, count // 24), seed=seed)
    prefixes = query_gen.suggest_prefixes(articles, count=count, seed=seed)
    ids = [a["id"] for a in rng.sample(articles, min(count, len(articles)))]
    return {
        "search": ["/api/search?" + urllib.parse.urlencode({"q": q["ours"]}) for q in queries],
        "suggest": ["/api/suggest?" + urllib.parse.urlencode({"q": p}) for p in prefixes],
        "document": [f"/api/documents/{urllib.parse.quote(i)}" for i in ids],
    }


def run_wrk(base_url, paths_file, connections, seconds):
    threads = min(2, connections)
    command = [
        "wrk", "--threads", str(threads), "--connections", str(connections), "--duration", f"{seconds}s",
        "--timeout", WRK_TIMEOUT, "--script", str(LUA_SCRIPT), base_url, "--", str(paths_file),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    line = next((l for l in reversed(done.stdout.splitlines()) if l.startswith("{")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk exited {done.returncode}:\n{done.stdout[-1500:]}\n{done.stderr[-1500:]}")
    raw = json.loads(line)
    errors = sum(raw[k] for k in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts"))
    return {
        "connections": connections,
        "requests": raw["requests"],
        "rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": raw["p50_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "errors": errors,
        "error_detail": {k: raw[k] for k in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts") if raw[k]},
    }


def generation(base_url):
    from retrieval import _LOCAL_OPENER

    with _LOCAL_OPENER.open(f"{base_url}/api/stats", timeout=30) as response:
        return json.load(response).get("generation")


def build_index(corpus_path, index_dir, workers=1):
    command = [sys.executable, "-m", "index", "build", str(corpus_path), "--index-dir", str(index_dir)]
    return command + ["--workers", str(workers), "--quiet", "--json"]


def drain(base_url, limit_seconds=120):
    """Wait until the workers have worked off requests left queued by the previous run (wrk stops
    sending, but gunicorn's sync workers still answer what was queued): so that the next row
    measures its own load, not the previous one's tail."""
    from retrieval import _LOCAL_OPENER

    deadline = time.monotonic() + limit_seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            with _LOCAL_OPENER.open(f"{base_url}/api/health", timeout=limit_seconds) as response:
                response.read()
        except OSError:
            pass
        if time.perf_counter() - started < 0.5:
            return


def sweep(base_url, path_files, connections, seconds, phase, rebuild=None):
    rows = []
    for kind in KINDS:
        for n in connections:
            drain(base_url)
            row = run_wrk(base_url, path_files[kind], n, seconds)
            row.update(kind=kind, phase=phase)
            if rebuild is not None:
                row["rebuild_running"] = rebuild.poll() is None
            note(f"{phase}: {kind} ×{n}: {row['rps']} req/s, p50 {row['p50_ms']:.1f} ms, p99 {row['p99_ms']:.1f} ms, {row['errors']} errors")
            rows.append(row)
    return rows


def run(args, work):
    corpus_path = args.corpus or work / f"corpus-{args.articles}.jsonl"
    if not corpus_path.is_file():
        note(f"generating {args.articles:,} articles")
        pools = corpus_gen.load_pools(args.eval_dir)
        corpus_gen.write_corpus(corpus_gen.generate(pools, args.articles, seed=args.seed), corpus_path)
    index_dir = args.index_dir or work / "index"
    if not (index_dir / "CURRENT").is_file():
        note(f"building the index in {index_dir}")
        subprocess.run(build_index(corpus_path, index_dir, workers=2), cwd=REPO_ROOT, check=True, capture_output=True)
    with open(corpus_path, encoding="utf-8") as f:
        articles = sum(1 for _ in f)
    paths = request_paths(corpus_path, args.paths, args.seed)
    path_files = {}
    for kind, lines in paths.items():
        path_files[kind] = work / f"paths-{kind}.txt"
        path_files[kind].write_text("\n".join(lines) + "\n", encoding="utf-8")
    with gunicorn_serving(index_dir) as (base_url, _log):
        for kind in KINDS:  # warm both workers up
            run_wrk(base_url, path_files[kind], 2, 2)
        before_generation = generation(base_url)
        rows = sweep(base_url, path_files, args.connections, args.seconds, "before rebuild")
        note("rebuilding the served index while the load runs")
        started = time.perf_counter()
        with open(work / "rebuild.log", "w") as log:
            rebuild = subprocess.Popen(
                build_index(corpus_path, index_dir, workers=1), cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT
            )
            try:
                rows += sweep(base_url, path_files, args.connections, args.seconds, "during rebuild", rebuild)
                still_running = rebuild.poll() is None
                if args.wait_for_rebuild:
                    rebuild.wait()
            finally:
                if rebuild.poll() is None:  # stopped as a user would (Ctrl-C): the served index must not notice
                    rebuild.terminate()
                    rebuild.wait()
        rebuild_seconds = time.perf_counter() - started
        after_generation = generation(base_url)
        after = run_wrk(base_url, path_files["search"], 2, 2)
    return {
        "articles": articles,
        "seconds_per_level": args.seconds,
        "rows": rows,
        "rebuild": {
            "exit_status": rebuild.returncode,
            "seconds": round(rebuild_seconds, 1),
            "running_through_the_whole_sweep": still_running,
            "generation_before": before_generation,
            "generation_after": after_generation,
            "stopped": rebuild.returncode != 0 and not args.wait_for_rebuild and still_running,
        },
        "search_after_rebuild": after,
    }


HEADER = ["phase", "request", "connections", "requests/s", "p50 ms", "p95 ms", "p99 ms", "errors"]


def table(result):
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for r in result["rows"]:
        phase = r["phase"] + ("" if r.get("rebuild_running", True) else " (rebuild done)")
        cells = [phase, r["kind"], str(r["connections"]), f"{r['rps']:,.0f}", f"{r['p50_ms']:.1f}",
                 f"{r['p95_ms']:.1f}", f"{r['p99_ms']:.1f}", str(r["errors"])]  # fmt: skip
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=50_000, help="corpus size when it is generated (default 50,000)")
    parser.add_argument("--corpus", type=Path, help="an existing JSON-lines corpus to serve and rebuild from")
    parser.add_argument("--index-dir", type=Path, help="an index of that corpus (built when missing)")
    parser.add_argument("--connections", type=int, nargs="+", default=[1, 4, 16, 64])
    parser.add_argument("--seconds", type=int, default=10, help="duration of each wrk run")
    parser.add_argument("--paths", type=int, default=240, help="distinct request paths per kind")
    parser.add_argument(
        "--wait-for-rebuild", action="store_true",
        help="let the rebuild finish after the sweep (default: stop it, which must leave the served index untouched)",
    )
    parser.add_argument("--seed", type=int, default=corpus_gen.DEFAULT_SEED)
    parser.add_argument("--eval-dir", type=Path, default=corpus_gen.DEFAULT_EVAL_DIR)
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write every figure to FILE")
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        parser.exit(1, "error: wrk is missing: install Debian's wrk (make bench-performance does)\n")
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        try:
            result = run(args, Path(tmp))
        except (RuntimeError, subprocess.CalledProcessError) as exc:
            parser.exit(1, f"error: {exc}\n")
    print(table(result))
    r = result["rebuild"]
    ended = "stopped after the sweep" if r["stopped"] else f"exit status {r['exit_status']}"
    a = result["search_after_rebuild"]
    print(
        f"\n{result['articles']:,} articles; rebuild {ended} after {r['seconds']} s; "
        f"generation {r['generation_before']} → {r['generation_after']}; "
        f"search afterwards: {a['requests']} requests, {a['errors']} errors"
    )
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

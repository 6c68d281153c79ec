"""Build throughput of this checkout against another one (a baseline commit), on one corpus.

For several rounds, runs ``python -m index build --workers N`` of each checkout on the same
corpus, one after the other (alternating checkouts and worker counts, so both see the same
machine load), and records per build: articles/s (the build's own figure), the CPU seconds of
the build and of every process it started (user + system, from the kernel's accounting of the
waited-for process tree), the CPU seconds of the main process alone (sampled from ``/proc`` while
it runs: with several workers, whether the main process, which loads, cleans and detects
languages, keeps up), the peak RSS of the largest process and of all of them together (sampled),
and the index's size on disk.  Prints the median of the rounds per checkout and worker count,
and each figure of this checkout as a ratio to the baseline's.

    .venv/bin/python bench/build_speed.py --corpus C.jsonl --baseline DIR [--rounds 3] [--workers 1 2]

``--baseline DIR`` is a checkout of another commit (e.g. ``git archive 075946c | tar -x -C DIR``);
both run with this venv's Python.  CPU seconds are less disturbed than wall time by other work
on a shared machine; read them first.
"""

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def _tree(root):
    """``{pid: (cpu seconds, rss bytes)}`` of ``root`` and its descendants, from ``/proc``."""
    children = {}
    stats = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        stats[pid] = ((int(fields[11]) + int(fields[12])) / TICKS, int(fields[21]) * PAGE)
    found, todo = {}, [root]
    while todo:
        pid = todo.pop()
        if pid in stats:
            found[pid] = stats[pid]
        todo.extend(children.get(pid, ()))
    return found


def build_once(checkout, corpus, workers):
    index_dir = Path(tempfile.mkdtemp(prefix="bench-build-"))
    command = [sys.executable, "-m", "index", "build", "--workers", str(workers), "--quiet", "--json",
               "--index-dir", str(index_dir / "index"), str(corpus)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    process = subprocess.Popen(command, cwd=checkout, stdout=subprocess.PIPE, text=True)
    main_cpu = peak_one = peak_all = 0
    while process.poll() is None:
        tree = _tree(process.pid)
        if process.pid in tree:
            main_cpu = tree[process.pid][0]
        rss = [r for _, r in tree.values()]
        peak_one, peak_all = max(peak_one, max(rss, default=0)), max(peak_all, sum(rss))
        time.sleep(0.2)
    output = process.stdout.read()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode:
        raise SystemExit(f"{checkout}: build failed ({process.returncode})")
    summary = json.loads(output)
    size = sum(p.stat().st_size for p in (index_dir / "index").rglob("*") if p.is_file())
    shutil.rmtree(index_dir)
    return {
        "articles_per_second": summary["articles_per_second"],
        "cpu_seconds": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "main_cpu_seconds": main_cpu,
        "peak_rss_mb": peak_one / 1e6,
        "peak_rss_all_mb": peak_all / 1e6,
        "index_mb": size / 1e6,
        "articles": summary["articles"],
    }


FIGURES = ("articles_per_second", "cpu_seconds", "main_cpu_seconds", "peak_rss_mb", "peak_rss_all_mb", "index_mb")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--baseline", type=Path, required=True, help="a checkout of the baseline commit")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write every run here")
    args = parser.parse_args(argv)
    checkouts = {"baseline": args.baseline.resolve(), "this": REPO_ROOT}
    runs = {}
    for round_ in range(args.rounds):
        order = list(checkouts.items())
        if round_ % 2:
            order.reverse()
        for workers in args.workers:
            for name, checkout in order:
                result = build_once(checkout, args.corpus.resolve(), workers)
                runs.setdefault((name, workers), []).append(result)
                load = os.getloadavg()[0]
                print(f"round {round_ + 1}, {name}, {workers} worker(s): "
                      + ", ".join(f"{k} {v:.1f}" for k, v in result.items()) + f" (load {load:.1f})",
                      file=sys.stderr, flush=True)
    print(f"\n{args.rounds} rounds, medians; ratio = this checkout / baseline\n")
    print("| workers | figure | baseline | this | ratio |\n|---|---|---|---|---|")
    for workers in args.workers:
        for figure in FIGURES:
            base = statistics.median(r[figure] for r in runs[("baseline", workers)])
            this = statistics.median(r[figure] for r in runs[("this", workers)])
            print(f"| {workers} | {figure} | {base:.1f} | {this:.1f} | {this / base if base else 0:.2f} |")
    if args.json:
        args.json.write_text(json.dumps({f"{n} {w}": r for (n, w), r in runs.items()}, indent=1))


if __name__ == "__main__":
    main()

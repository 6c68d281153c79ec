"""Zero downtime, proven: gunicorn serves the index while a steady stream of
queries runs and, meanwhile, the index is (a) rebuilt from scratch, (b) added
to and removed from, and (c) rebuilt by builds killed with SIGKILL at several
points.  Every answer is a 200 whose result set is exactly that of one whole
index state (old or new, never a mix), states follow each other in order, and
after the kills the index is intact and `python -m index check` says so."""

import json
import signal
import threading
import time
from urllib.parse import quote

import pytest

from index.writer import build
from tests.api.conftest import make_client, serving
from tests.conftest import DATA, run_cli, start_writer, wait_for
from tests.corpus import demo_paragraphs, write_jsonl

QUERIES = ["Korea", "Κορέα", "Pjöngjang", "Belousov", "katonák", "Kim OR Putin", "lang:de Nordkorea"]
#: Words of QUERIES; each added article has a demo paragraph with each of them.
WORDS = ["Korea", "Κορέα", "Pjöngjang", "Belousov", "katonák", "Kim", "Nordkorea"]
ADDED_IDS = [f"added-{n}" for n in range(3)]
STREAM_THREADS = 2


def path_of(query):
    return f"/api/search?q={quote(query)}&per_page=100"


def result_set(body):
    """What must be the same as in one whole index state: total and ids."""
    result = json.loads(body)
    return result["total"], frozenset(hit["id"] for hit in result["results"])


def expected_sets(index_dir):
    client = make_client(index_dir)
    sets = {}
    for query in QUERIES:
        response = client.get(path_of(query))
        assert response.status_code == 200
        sets[query] = result_set(response.data)
    sets["stats"] = client.get("/api/stats").get_json()["articles"]
    return sets


class QueryStream:
    """Threads sending QUERIES and /api/stats round and round, recording
    ``(query, status, result set)`` in order, per thread."""

    def __init__(self, server):
        self.server = server
        self.stopping = threading.Event()
        self.records = [[] for _ in range(STREAM_THREADS)]
        self.threads = [threading.Thread(target=self._run, args=(n,)) for n in range(STREAM_THREADS)]

    def _run(self, number):
        records = self.records[number]
        while not self.stopping.is_set():
            for query in [*QUERIES, "stats"]:
                try:
                    status, _, body = self.server.get("/api/stats" if query == "stats" else path_of(query))
                except OSError as exc:
                    records.append((query, repr(exc), None))
                    continue
                if status != 200:
                    records.append((query, status, body[:300]))
                elif query == "stats":
                    records.append((query, status, json.loads(body)["articles"]))
                else:
                    records.append((query, status, result_set(body)))

    def count(self):
        return sum(len(r) for r in self.records)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=60)


def wait_for_queries(stream, at_least):
    target = stream.count() + at_least
    wait_for(lambda: stream.count() >= target, timeout=60)


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpora")
    new = [DATA, write_jsonl(folder / "new.jsonl", 40, seed=7, prefix="new")]
    added = write_added(folder / "added.jsonl")
    doomed = write_jsonl(folder / "doomed.jsonl", 600, seed=3, prefix="doomed")
    # The result sets of each whole state, from indexes built for reference.
    states = {}
    for name, paths in [("old", [DATA]), ("new", new), ("new+added", [*new, added])]:
        build(paths, folder / name)
        states[name] = expected_sets(folder / name)
    for key in [*QUERIES, "stats"]:
        values = [states[name][key] for name in states]
        assert len(set(values)) == len(values), f"{key!r} does not tell the states apart: {values}"
    return {"new": new, "added": added, "doomed": doomed, "states": states}


def write_added(path):
    """Articles that every query of QUERIES finds: demo paragraphs, in their
    own languages, with each of WORDS."""
    paragraphs = [text for texts in demo_paragraphs().values() for text in texts]
    chosen = list(dict.fromkeys(next(p for p in paragraphs if word in p) for word in WORDS))
    body = "\n\n".join(chosen)
    path.write_text("".join(json.dumps({"id": i, "body": body}, ensure_ascii=False) + "\n" for i in ADDED_IDS), encoding="utf-8")
    return path


def state_of(states, query, observed):
    names = [name for name, sets in states.items() if sets[query] == observed]
    assert names, f"{query!r} answered {observed}, which is no whole state of the index"
    return names[0]


@pytest.mark.slow
def test_queries_during_rebuild_add_remove_and_killed_rebuilds(corpora, tmp_path):
    index_dir = tmp_path / "index"
    build([DATA], index_dir)
    states = corpora["states"]
    phases = {}
    with serving(index_dir, tmp_path / "gunicorn.log") as server, QueryStream(server) as stream:
        wait_for_queries(stream, 20)

        # (a) a rebuild from scratch
        before = stream.count()
        result = run_cli("build", *corpora["new"], "--quiet", index_dir=index_dir)
        assert result.returncode == 0, result.stderr
        phases["rebuild"] = stream.count() - before
        wait_for_queries(stream, 20)

        # (b) add, then remove
        before = stream.count()
        result = run_cli("add", corpora["added"], "--quiet", index_dir=index_dir)
        assert result.returncode == 0, result.stderr
        wait_for_queries(stream, 20)
        result = run_cli("remove", *ADDED_IDS, index_dir=index_dir)
        assert result.returncode == 0, result.stderr
        phases["add and remove"] = stream.count() - before
        wait_for_queries(stream, 20)

        # (c) rebuilds killed with SIGKILL: as soon as the new generation
        # exists, while indexing (workers too), and while committing
        live = (index_dir / "CURRENT").read_text()
        before = stream.count()
        for kill_point in ("new generation", "indexing", "committing"):
            generations = set(index_dir.glob("gen-*"))  # with what the last killed build left
            workers = 2 if kill_point == "indexing" else 1
            with start_writer("build", [corpora["doomed"]], index_dir, "--workers", workers) as builder:
                wait_for(lambda: set(index_dir.glob("gen-*")) - generations)
                if kill_point == "indexing":
                    time.sleep(1.0)
                elif kill_point == "committing":
                    for line in builder.stderr:
                        if line.startswith("committing"):
                            break
                builder.send_signal(signal.SIGKILL)
            assert builder.returncode == -signal.SIGKILL, kill_point
            wait_for_queries(stream, 10)
            assert (index_dir / "CURRENT").read_text() == live, kill_point
            check = run_cli("check", index_dir=index_dir)
            assert check.returncode == 0, (kill_point, check.stdout)
            assert "The index is sound." in check.stdout
            assert "unfinished generation" in check.stdout
        phases["killed rebuilds"] = stream.count() - before
        log = server.log()

    failures = [(q, status, body) for records in stream.records for q, status, body in records if status != 200]
    assert not failures, f"{len(failures)} of {stream.count()} queries failed: {failures[:5]}\n{log}"
    order = ["old", "new", "new+added", "new"]
    for records in stream.records:
        seen = [state_of(states, query, observed) for query, _, observed in records]
        # each thread sees whole states, in the order they were published
        changes = [name for n, name in enumerate(seen) if n == 0 or name != seen[n - 1]]
        assert changes == order, changes
    # after the kills, exactly the state before them, and no leftovers once a writer has run
    final = expected_sets(index_dir)
    assert final == states["new"]
    assert run_cli("add", corpora["added"], "--quiet", index_dir=index_dir).returncode == 0
    assert "unfinished" not in run_cli("check", index_dir=index_dir).stdout
    print(f"{stream.count()} queries, all 200 and consistent: {phases}")

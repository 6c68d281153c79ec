"""The `python -m index` command line, driven as a user drives it."""

import json
import signal
import time
from pathlib import Path

import pytest

from tests.conftest import DATA, run_cli, seed, start_writer, wait_for
from tests.corpus import write_jsonl


def stats_json(index_dir):
    result = run_cli("stats", "--json", index_dir=index_dir)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def index_dir(tmp_path):
    path = tmp_path / "index"
    result = run_cli("build", DATA, index_dir=path)
    assert result.returncode == 0, result.stderr
    return path


def test_build_prints_a_summary(tmp_path):
    (tmp_path / "in").mkdir()
    for path in DATA.glob("*.txt"):
        (tmp_path / "in" / path.name).write_bytes(path.read_bytes())
    (tmp_path / "in" / "broken.txt").write_bytes(b"\xff\xfe\x00binary")
    result = run_cli("build", tmp_path / "in", index_dir=tmp_path / "index")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Indexed 5 articles in ")
    assert "articles/s" in lines[0]
    assert lines[1].split(":", 1)[1].strip() == "el 3, de 1, hu 1"
    assert lines[2].split(":", 1)[1].strip() == "el 44, de 9, hu 5, ru 3"
    assert "skipped 1:" in result.stdout
    assert f"{tmp_path / 'in' / 'broken.txt'}: binary file" in result.stdout


def test_build_json_summary(tmp_path):
    result = run_cli("build", DATA, "--json", index_dir=tmp_path / "index")
    summary = json.loads(result.stdout)
    assert summary["articles"] == 5
    assert summary["languages"] == {"el": 3, "de": 1, "hu": 1}
    assert summary["paragraph_languages"] == {"el": 44, "de": 9, "hu": 5, "ru": 3}
    assert summary["skipped"] == []
    assert summary["seconds"] > 0


def test_stats_json_shape(index_dir):
    result = stats_json(index_dir)
    assert result["articles"] == 5
    assert result["languages"] == {"el": 3, "de": 1, "hu": 1}
    assert result["paragraph_languages"] == {"el": 44, "de": 9, "hu": 5, "ru": 3}
    assert result["size_bytes"] > 0 and result["generation"].startswith("gen-")


def test_stats_human_output(index_dir):
    result = run_cli("stats", index_dir=index_dir)
    assert result.returncode == 0
    assert "articles: 5" in result.stdout
    assert "paragraphs by language: el 44, de 9, hu 5, ru 3" in result.stdout


def test_add_remove_and_check(index_dir, tmp_path):
    extra = tmp_path / "extra.jsonl"
    extra.write_text(
        json.dumps({"id": "ru-1", "title": "Белоусов в Пхеньяне", "body": "Министр обороны России Андрей Белоусов прибыл в Пхеньян.", "lang": "ru"}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    result = run_cli("add", extra, index_dir=index_dir)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Added 1 articles")
    assert stats_json(index_dir)["languages"] == {"el": 3, "de": 1, "hu": 1, "ru": 1}

    result = run_cli("remove", "ru-1", seed("002").stem, index_dir=index_dir)
    assert result.returncode == 0
    assert "Removed 2 article(s)" in result.stdout
    assert stats_json(index_dir)["languages"] == {"el": 3, "hu": 1}

    result = run_cli("remove", "ru-1", index_dir=index_dir)
    assert result.returncode == 1
    assert "Not in the index: ru-1" in result.stdout

    result = run_cli("check", index_dir=index_dir)
    assert result.returncode == 0, result.stdout
    assert "The index is sound." in result.stdout


def test_index_dir_from_environment(tmp_path):
    env = {"SEARCH_INDEX_DIR": str(tmp_path / "env-index")}
    assert run_cli("build", seed("004"), env=env).returncode == 0
    result = run_cli("stats", "--json", env=env)
    assert json.loads(result.stdout)["index_dir"] == str(tmp_path / "env-index")


@pytest.mark.parametrize(
    "args,code,message",
    [
        (["build"], 2, "the following arguments are required: PATH"),
        (["frobnicate"], 2, "invalid choice: 'frobnicate'"),
        (["build", "data", "--workers", "0"], 2, "--workers must be at least 1"),
        (["remove"], 2, "the following arguments are required: ID"),
    ],
)
def test_wrong_arguments(args, code, message, tmp_path):
    result = run_cli(*args, index_dir=tmp_path / "index")
    assert result.returncode == code
    assert message in result.stderr


def test_nothing_indexed_exits_non_zero(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    result = run_cli("build", tmp_path / "empty.txt", tmp_path / "missing", index_dir=tmp_path / "index")
    assert result.returncode == 1
    assert "nothing could be indexed" in result.stderr
    assert f"{tmp_path / 'empty.txt'}: empty file" in result.stdout
    assert f"{tmp_path / 'missing'}: no such file or folder" in result.stdout


@pytest.mark.parametrize("command", [["stats"], ["check"], ["remove", "x"]])
def test_commands_without_an_index(command, tmp_path):
    result = run_cli(*command, index_dir=tmp_path / "index")
    assert result.returncode in (1, 4)
    assert "build" in result.stdout + result.stderr


def test_help_teaches():
    result = run_cli("--help")
    assert result.returncode == 0
    for word in ("build", "add", "remove", "stats", "check", "SEARCH_INDEX_DIR", "examples:", "exit status"):
        assert word in result.stdout
    build_help = run_cli("build", "--help").stdout
    for option in ("--index-dir", "--workers", "--wait", "--json", "--quiet"):
        assert option in build_help


# -- a rebuild killed at any point leaves the live index serving ---------------


def start_build(paths, index_dir, workers=1):
    return start_writer("build", paths, index_dir, "--workers", workers)


def processes_running(text):
    """Pids of processes whose command line mentions ``text``."""
    pids = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if text in cmdline.read_bytes().decode(errors="replace"):
                pids.append(cmdline.parent.name)
        except OSError:
            pass
    return pids


def assert_demo_index_intact(index_dir, before):
    assert stats_json(index_dir)["articles"] == before["articles"]
    assert stats_json(index_dir)["generation"] == before["generation"]
    result = run_cli("check", index_dir=index_dir)
    assert result.returncode == 0, result.stdout


@pytest.mark.slow
def test_killed_rebuild_leaves_the_live_index_intact(index_dir, tmp_path):
    big = write_jsonl(tmp_path / "big.jsonl", 1500)
    before = stats_json(index_dir)
    generations_before = set(index_dir.glob("gen-*"))

    # 1. killed while indexing, with worker processes: as soon as its new
    # generation exists
    with start_build([big], index_dir, workers=2) as build:
        wait_for(lambda: set(index_dir.glob("gen-*")) - generations_before)
        time.sleep(1.0)
        build.send_signal(signal.SIGKILL)
    assert build.returncode == -signal.SIGKILL
    # its workers end with it, and none of them keeps the writer lock
    wait_for(lambda: not processes_running(str(big)), timeout=10)
    assert_demo_index_intact(index_dir, before)
    assert "unfinished generation" in run_cli("check", index_dir=index_dir).stdout
    assert run_cli("add", seed("004"), index_dir=index_dir).returncode == 0
    before = stats_json(index_dir)

    # 2. killed while committing (it says so on stderr before it commits)
    with start_build([big], index_dir) as build:
        for line in build.stderr:
            if line.startswith("committing"):
                break
        build.send_signal(signal.SIGKILL)
    assert build.returncode == -signal.SIGKILL
    assert_demo_index_intact(index_dir, before)

    # 3. a writer that comes after the killed ones is not blocked by their lock,
    # and clears what they left behind
    result = run_cli("build", big, index_dir=index_dir)
    assert result.returncode == 0, result.stderr
    assert stats_json(index_dir)["articles"] == 1500
    result = run_cli("check", index_dir=index_dir)
    assert "unfinished" not in result.stdout
    assert len(list(index_dir.glob("gen-*"))) == 2  # the new one and the previous


@pytest.mark.slow
def test_concurrent_writer_is_refused_then_waits(index_dir, tmp_path):
    big = write_jsonl(tmp_path / "big.jsonl", 800)
    with start_build([big], index_dir) as build:
        wait_for(lambda: f'"pid": {build.pid},' in (index_dir / "writer.lock").read_text())
        refused = run_cli("add", seed("004"), index_dir=index_dir)
        assert refused.returncode == 3
        assert f"being changed by `build` (pid {build.pid}" in refused.stderr
        waited = run_cli("add", seed("004"), "--wait", "300", index_dir=index_dir, timeout=320)
        assert waited.returncode == 0, waited.stderr
        build.communicate()
    assert build.returncode == 0
    # the add happened after the rebuild, so nothing was lost
    assert stats_json(index_dir)["articles"] == 801


def wait_for_lock_holder(index_dir, process):
    wait_for(lambda: f'"pid": {process.pid},' in (index_dir / "writer.lock").read_text())


@pytest.mark.slow
def test_a_killed_add_leaves_no_stale_lock_and_no_damage(index_dir, tmp_path):
    big = write_jsonl(tmp_path / "big.jsonl", 600)
    before = stats_json(index_dir)
    # killed while cleaning and indexing, then while committing
    for kill_point in ("ingesting", "committing"):
        with start_writer("add", [big], index_dir) as adding:
            wait_for_lock_holder(index_dir, adding)
            if kill_point == "committing":
                for line in adding.stderr:
                    if line.startswith("committing"):
                        break
            else:
                time.sleep(0.5)
            adding.send_signal(signal.SIGKILL)
        assert adding.returncode == -signal.SIGKILL
        # The dead writer's name is still in writer.lock, but the kernel freed the lock:
        check_output = run_cli("check", index_dir=index_dir)
        assert check_output.returncode == 0, check_output.stdout
        assert f"names `add` (pid {adding.pid}" in check_output.stdout
        assert "ended without releasing it" in check_output.stdout
        assert_demo_index_intact(index_dir, before)
    # The next writer needs no --wait and no manual clean-up, and clears the trace.
    result = run_cli("add", seed("004"), index_dir=index_dir)
    assert result.returncode == 0, result.stderr
    assert f"note: `add` (pid {adding.pid}, since" in result.stderr and "was killed" in result.stderr
    assert (index_dir / "writer.lock").read_text() == ""
    check_output = run_cli("check", index_dir=index_dir)
    assert "ended without releasing" not in check_output.stdout
    assert "The index is sound." in check_output.stdout
    assert stats_json(index_dir)["articles"] == before["articles"]
    assert "note:" not in run_cli("add", seed("004"), index_dir=index_dir).stderr


@pytest.mark.slow
def test_two_adds_at_once_both_land_in_turn(index_dir, tmp_path):
    first = write_jsonl(tmp_path / "first.jsonl", 150, prefix="first")
    second = write_jsonl(tmp_path / "second.jsonl", 100, seed=1, prefix="second")
    writers = [start_writer("add", [path], index_dir, "--wait", 300, "--quiet") for path in (first, second)]
    for writer in writers:
        writer.communicate(timeout=320)
        assert writer.returncode == 0, writer.stderr
    # no lost update: both sets of articles are there, and the demo articles
    assert stats_json(index_dir)["articles"] == 5 + 150 + 100
    for article_id in ("first-0", "first-149", "second-0", "second-99"):
        assert run_cli("remove", article_id, index_dir=index_dir).returncode == 0
    assert run_cli("check", index_dir=index_dir).returncode == 0


def test_two_adds_without_waiting_succeed_or_fail_clearly(index_dir, tmp_path):
    paths = [write_jsonl(tmp_path / f"{name}.jsonl", 60, prefix=name) for name in ("a", "b")]
    writers = [start_writer("add", [path], index_dir, "--quiet") for path in paths]
    landed = 0
    for writer in writers:
        _, stderr = writer.communicate(timeout=120)
        if writer.returncode == 3:
            assert "is being changed by `add` (pid " in stderr and "--wait" in stderr
        else:
            assert writer.returncode == 0, stderr
            landed += 1
    assert landed >= 1
    assert stats_json(index_dir)["articles"] == 5 + 60 * landed

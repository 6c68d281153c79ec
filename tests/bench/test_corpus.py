"""The benchmark's corpus and query generators and its report writers, on a tiny eval folder
made here (never ../shared)."""

import datetime as dt
import json
import re
import sys

import pytest

from tests.conftest import REPO, run_cli

sys.path.insert(0, str(REPO / "bench"))

import corpus  # noqa: E402
import load  # noqa: E402
import performance  # noqa: E402
import queries  # noqa: E402

SENTENCES = {
    "el": [
        "Η κυβέρνηση ανακοίνωσε νέα μέτρα για την ενέργεια.",
        "Οι στρατιώτες επέστρεψαν στη βάση τους το πρωί.",
        "Ο υπουργός Άμυνας μίλησε στη Βουλή για τον προϋπολογισμό.",
        "Η Βόρεια Κορέα εκτόξευσε πύραυλο προς τη θάλασσα.",
        "Οι αγρότες διαμαρτυρήθηκαν για τις τιμές του πετρελαίου.",
    ],
    "de": [
        "Die Regierung kündigte neue Maßnahmen für die Energieversorgung an.",
        "Der Verteidigungsminister sprach im Bundestag über den Haushalt.",
        "Nordkorea feuerte eine Rakete in Richtung des Meeres ab.",
        "Die Landwirte protestierten gegen die hohen Dieselpreise.",
        "Die Soldaten kehrten am Morgen in ihre Kaserne zurück.",
    ],
    "hu": [
        "A kormány új intézkedéseket jelentett be az energiaellátásról.",
        "A katonák reggel visszatértek a laktanyába.",
        "A védelmi miniszter a parlamentben beszélt a költségvetésről.",
        "Észak-Korea rakétát lőtt ki a tenger irányába.",
        "A gazdák tiltakoztak a magas üzemanyagárak miatt.",
    ],
    "ru": [
        "Правительство объявило новые меры в области энергетики.",
        "Солдаты вернулись на базу утром.",
        "Министр обороны выступил в парламенте по вопросу бюджета.",
        "Северная Корея запустила ракету в сторону моря.",
        "Фермеры протестовали против высоких цен на топливо.",
    ],
}
HEADLINES = {"el": "Νέα μέτρα για την ενέργεια", "de": "Neue Maßnahmen für die Energie", "hu": "Új intézkedések", "ru": "Новые меры"}


@pytest.fixture
def eval_dir(tmp_path):
    """An eval folder shaped like ../shared/eval: NTREX docs and headlines, and WMT docs with titles."""
    (tmp_path / "ntrex").mkdir()
    with open(tmp_path / "ntrex" / "docs.jsonl", "w", encoding="utf-8") as f:
        for lang, sentences in SENTENCES.items():
            doc = {"id": f"ntrex-{lang}-001", "lang": lang, "title": "", "body": " ".join(sentences[:3]), "source": "x"}
            f.write(json.dumps(doc, ensure_ascii=False) + "\n")
    for folder, lang, title in (("wmt-news", "de", "de Schlagzeile"), ("wmt-news", "ru", "ru заголовок"),
                                ("nerkor-news", "hu", ""), ("elner-news", "el", "")):  # fmt: skip
        (tmp_path / folder).mkdir(exist_ok=True)
        doc = {"id": f"{folder}-{lang}", "lang": lang, "title": title, "body": " ".join(SENTENCES[lang][3:]), "source": "y"}
        with open(tmp_path / folder / "docs.jsonl", "a", encoding="utf-8") as f:
            f.write(json.dumps(doc, ensure_ascii=False) + "\n")
    lines = ["doc_id\theadline"] + [f"ntrex-{lang}-001\t{headline}" for lang, headline in HEADLINES.items()]
    (tmp_path / "ntrex" / "headlines.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def test_pools_hold_every_sentence_and_headline(eval_dir):
    pools = corpus.load_pools(eval_dir)
    assert sorted(pools) == ["de", "el", "hu", "ru"]
    for lang, sentences in SENTENCES.items():
        assert set(pools[lang]["sentences"]) == set(sentences)
        assert HEADLINES[lang] in pools[lang]["titles"]
    assert "de Schlagzeile" in pools["de"]["titles"]
    # A short sentence is a headline too, without its full stop.
    assert "Солдаты вернулись на базу утром" in pools["ru"]["titles"]


def test_same_seed_same_articles_other_seed_others(eval_dir):
    pools = corpus.load_pools(eval_dir)
    first = list(corpus.generate(pools, 40, seed=3))
    assert first == list(corpus.generate(pools, 40, seed=3))
    assert first != list(corpus.generate(pools, 40, seed=4))
    # The first articles do not depend on how many follow.
    assert list(corpus.generate(pools, 10, seed=3)) == first[:10]


def test_articles_have_the_index_input_schema_and_a_news_shape(eval_dir):
    pools = corpus.load_pools(eval_dir)
    articles = list(corpus.generate(pools, 200, seed=1))
    assert len({a["id"] for a in articles}) == 200
    for a in articles:
        assert set(a) == {"id", "lang", "title", "body", "date", "source", "url"}
        assert a["title"] in pools[a["lang"]]["titles"]
        paragraphs = a["body"].split("\n\n")
        assert corpus.PARAGRAPHS[0] <= len(paragraphs) <= corpus.PARAGRAPHS[1]
        for paragraph in paragraphs:
            found = [s for s in SENTENCES[a["lang"]] if s in paragraph]
            assert found, paragraph  # real sentences of the article's own language only
            assert sum(paragraph.count(s) for s in found) <= corpus.SENTENCES_PER_PARAGRAPH[1]
        published = dt.datetime.fromisoformat(a["date"])
        assert corpus.FIRST_DAY <= published < corpus.FIRST_DAY + dt.timedelta(days=corpus.DAYS)
        assert a["source"] in corpus.SOURCES[a["lang"]]
        assert a["url"] == f"https://{a['source']}/{published:%Y/%m/%d}/{a['id']}"
    # Equal shares by default: every language, none with most articles.
    counts = {lang: sum(a["lang"] == lang for a in articles) for lang in corpus.LANGUAGES}
    assert all(20 <= n <= 80 for n in counts.values()), counts


def test_mix_weights_languages(eval_dir):
    pools = corpus.load_pools(eval_dir)
    articles = list(corpus.generate(pools, 50, corpus.parse_mix("de=1,hu=0"), seed=2))
    assert {a["lang"] for a in articles} == {"de"}
    for bad in ("xx=1", "de=lots", "de=-1", "de=0"):
        with pytest.raises(ValueError):
            corpus.parse_mix(bad)


def test_command_line_writes_jsonl_that_the_index_builds_whole(eval_dir, tmp_path):
    output = tmp_path / "corpus.jsonl"
    corpus.main(["12", str(output), "--eval-dir", str(eval_dir), "--seed", "5"])
    rows = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 12
    done = run_cli("build", output, "--json", "--quiet", index_dir=tmp_path / "index")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["articles"] == 12 and not summary["skipped"]


def test_queries_are_deterministic_and_of_every_kind(eval_dir):
    pools = corpus.load_pools(eval_dir)
    articles = list(corpus.generate(pools, 300, seed=1))
    drawn = queries.generate(articles, per_kind=2, seed=9)
    assert drawn == queries.generate(articles, per_kind=2, seed=9)
    assert {q["kind"] for q in drawn} == set(queries.KINDS)
    assert len({q["qid"] for q in drawn}) == len(drawn)
    for q in drawn:
        if q["kind"] == "filter":
            assert q["ours"].endswith(f" lang:{q['lang']}") and q["langs"] == [q["lang"]]
        elif q["kind"] == "phrase":
            assert re.fullmatch(r'"\S+ \S+"', q["ours"]) and q["lucene"] == q["ours"]
        elif q["kind"] == "typo":
            typo, intended = q["words"][0], q["intended"]
            assert len(typo) == len(intended) and sum(a != b for a, b in zip(typo, intended.lower())) == 1
            assert typo[0] == intended[0] and q["lucene"] == f"{typo}~{q['distance']}"
        elif q["kind"] == "prefix":
            assert q["ours"].endswith("*") and len(q["ours"]) == 8
    prefixes = queries.suggest_prefixes(articles, count=20, seed=1)
    assert len(prefixes) == 20 and all(2 <= len(p) <= 6 for p in prefixes)


def test_latency_summary():
    figures = performance.latency([float(ms) for ms in range(1, 101)])
    assert figures["n"] == 100 and figures["p50"] == 50.5
    assert 95 <= figures["p95"] <= 96 and 99 <= figures["p99"] <= 100
    assert figures["qps"] == round(1000 / 50.5, 1)
    assert performance.latency([])["p50"] is None


def engine_figures(p50, p99, hits=5):
    kind = {"n": 2, "p50": p50, "p95": p99, "p99": p99, "qps": 1000 / p50, "errors": 0, "empty": 0}
    return {k: dict(kind) for k in (*queries.KINDS, "all")}


def test_report_gives_every_figure_as_a_ratio_to_lucene():
    results = {
        10_000: {
            "articles": 10_000,
            "corpus_bytes": 35_000_000,
            "queries": 48,
            "engines": {
                "ours": {
                    "builds": {
                        1: {"articles": 10_000, "seconds": 100.0, "peak_rss_bytes": 500e6, "index_bytes": 300e6},
                        2: {"articles": 10_000, "seconds": 50.0, "peak_rss_bytes": 700e6, "index_bytes": 320e6},
                    },
                    "in_process": engine_figures(10.0, 40.0),
                    "http_took": engine_figures(12.0, 50.0),
                    "http_round_trip": engine_figures(13.0, 55.0),
                    "suggest_in_process": {**performance.latency([1.0, 2.0]), "errors": 0},
                    "suggest_http": {**performance.latency([3.0, 4.0]), "errors": 1},
                },
                "lucene": {
                    "build": {"articles": 10_000, "seconds": 2.0, "index_bytes": 30e6, "peak_rss_bytes": 400e6},
                    "in_process": engine_figures(0.5, 2.0),
                },
                "tantivy": {"build": {"articles": 10_000, "seconds": 1.0, "index_bytes": 33e6}, "in_process": engine_figures(0.1, 0.4)},
            },
        }
    }
    run = {"machine": {"date": "2026-12-01 13:00 UTC", "cpus": 2, "cpu_model": "Test CPU", "python": "3.11", "commit": "abc1234"}, "per_kind": 2}
    text = performance.report(results, run)
    assert "2 cores (Test CPU)" in text and "`abc1234`" in text and "2026-12-01" in text
    table = [line for line in text.splitlines() if line.startswith("| 10,000 |")]
    ours_1, ours_2, lucene, tantivy = table[:4]
    assert "| 100 (0.02x) |" in ours_1  # 100 articles/s against Lucene's 5,000
    assert "| 300.0 (10.00x) |" in ours_1 and "| 10.00 (20.00x) |" in ours_1  # index size, p50 latency
    assert "| 200 (0.04x) |" in ours_2
    assert "| 5,000 (1.00x) |" in lucene and "| 0.50 (1.00x) |" in lucene
    assert "| 10,000 (2.00x) |" in tantivy and "| 0.10 (0.20x) |" in tantivy
    assert "| 10,000 | 2 | 1.50 / 1.95 / 1.99 | 3.50 / 3.95 / 3.99 | 1 |" in text  # suggest, with its HTTP error
    assert text.count("| 10,000 | ") == 4 + len(queries.KINDS) + 1 + 1


def test_load_table_marks_rows_after_the_rebuild_ended():
    row = {"phase": "during rebuild", "kind": "search", "connections": 4, "rps": 120.4,
           "p50_ms": 20.0, "p95_ms": 40.0, "p99_ms": 80.25, "errors": 0}  # fmt: skip
    text = load.table({"rows": [dict(row, rebuild_running=True), dict(row, rebuild_running=False)]})
    lines = text.splitlines()
    assert lines[0].startswith("| phase | request | connections | requests/s")
    assert lines[2] == "| during rebuild | search | 4 | 120 | 20.0 | 40.0 | 80.2 | 0 |"
    assert lines[3].startswith("| during rebuild (rebuild done) | search |")

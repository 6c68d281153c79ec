"""Language of each article, title and paragraph."""

import re
import unicodedata

import pytest

from index.article import RawArticle
from index.clean import clean
from index.language import detect, detect_article, detect_confidently, script_of
from index.sources import load_file
from tests.conftest import seed


def detected(prefix):
    (raw,) = load_file(seed(prefix))
    return detect_article(clean(raw))


@pytest.mark.parametrize("prefix,lang", [("000", "el"), ("001", "el"), ("002", "de"), ("003", "el"), ("004", "hu")])
def test_article_language(prefix, lang):
    assert detected(prefix).lang == lang


def test_russian_paragraphs_inside_the_greek_article():
    article = detected("000")
    russian = [p.text for p in article.paragraphs if p.lang == "ru"]
    assert len(russian) == 3
    assert russian[0] == "Министр обороны России прибыл в Пхеньян с неанонсированным визитом"
    assert all(p.lang == "el" for p in article.paragraphs if p.text not in russian)


def test_given_language_wins_for_the_article():
    raw = RawArticle(id="x", origin="x", text="Der Minister ist in Pjöngjang eingetroffen, sagte das Ministerium.", lang="HU")
    article = detect_article(clean(raw))
    assert article.lang == "hu"


@pytest.mark.parametrize(
    "text,lang",
    [
        ("The minister arrived in Pyongyang on Friday for talks on military cooperation.", "en"),
        ("Україна та Росія підписали угоду про обмін полоненими сьогодні вранці.", "uk"),
        ("Министр обороны России прибыл в Пхеньян с неанонсированным визитом", "ru"),
        ("Ο υπουργός", "el"),
    ],
)
def test_other_languages_are_recorded_not_forced(text, lang):
    assert detect(text) == lang


def test_short_text_follows_its_surroundings_when_the_script_allows():
    assert detect("Kim Dzsongun", prior="hu") == "hu"
    assert detect("Viber Whatsapp", prior="el") in {"de", "en", "hu"}  # Latin script: not Greek
    assert detect("12345", prior="de") == "de"
    assert detect("12345") == "und"


def test_script_of():
    assert script_of("Άμυνας") == "Greek"
    assert script_of("Белоусов") == "Cyrillic"
    assert script_of("Észak-Korea") == "Latin"
    assert script_of("2024") is None


@pytest.mark.parametrize(
    "text,lang",
    [
        ("Aus der Geschichte lernen", "de"),
        ("Πόσα tackles κατέγραψε ο Luke Kuechly;", "el"),  # more Latin letters than Greek
        ("Почему Трамп выиграет второй срок", "ru"),
        # English names only: no language of ours is likely, so none is guessed
        ("Elite League: Dundee Stars–Belfast Giants 5:3", "en"),
        ("zzq", None),
    ],
)
def test_confident_language_of_a_query(text, lang):
    assert detect_confidently(text) == lang


def test_the_whole_text_is_classified_only_when_a_paragraph_needs_its_language(monkeypatch):
    from index import language

    classified = []
    classify = language._classify
    monkeypatch.setattr(language, "_classify", lambda text, k=5: classified.append(text) or classify(text, k))
    long_paragraphs = (
        "Der Minister ist am Freitag in Pjöngjang eingetroffen, sagte das Ministerium.\n\n"
        "Die Gespräche über die militärische Zusammenarbeit sollen zwei Tage dauern.\n\n"
    )
    whole = " ".join(long_paragraphs.split())
    article = detect_article(clean(RawArticle(id="x", origin="x", text=long_paragraphs)))
    assert article.lang == "de" and all(p.lang == "de" for p in article.paragraphs)
    assert not any(whole in " ".join(text.split()) for text in classified)
    # A short paragraph takes the whole text's language as its prior.
    classified.clear()
    article = detect_article(clean(RawArticle(id="y", origin="y", text=long_paragraphs + "Kim Jong Un")))
    assert article.paragraphs[-1].lang == "de"
    assert any(whole in " ".join(text.split()) for text in classified)


def _script_of_by_findall(text):
    # script_of as it was before it became one pass (four findall scans): the reference.
    ranges = {
        "Latin": re.compile(r"[A-Za-z\u00c0-\u024f]"),
        "Greek": re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]"),
        "Cyrillic": re.compile(r"[\u0400-\u052f]"),
    }
    counts = {script: len(pattern.findall(text)) for script, pattern in ranges.items()}
    letters = re.findall(r"[^\W\d_]", text)
    if len(letters) - sum(counts.values()) > max(counts.values()):
        for c in letters:
            if not any(p.match(c) for p in ranges.values()):
                return unicodedata.name(c, "OTHER ?").split()[0].title()
    best = max(counts, key=counts.get)
    return best if counts[best] else None


SCRIPT_TEXTS = [
    "", " ", "123 4.5", "Ο υπουργός Άμυνας", "Белоусов", "Észak-Korea ő ű", "Straße", "ΐΰ ἀρχή ᾯ",
    # the ranges hold signs: × ÷ (Latin), ; ΄ · (Greek), ҂ and combining marks (Cyrillic)
    "× ÷", "×× ab", "日本語 ××", ";΄· α", "҂\u0483 я", "日本語 ××× ab", "日本語のテキスト abc", "مرحبا بالعالم a",
    # letters that are numbers to \w but not digits to \d
    "²³ ½ Ⅻ", "Ⅻ ab", "ab ① ②",
    # mixed scripts, ties
    "ab αβ", "ab αβ вг", "Moscow Москва Μόσχα", unicodedata.normalize("NFD", "Άμυνας ё ő"),
]


@pytest.mark.parametrize("text", SCRIPT_TEXTS)
def test_script_of_is_the_four_scan_count(text):
    assert script_of(text) == _script_of_by_findall(text)


def test_script_of_the_demo_paragraphs_is_the_four_scan_count():
    from tests.corpus import demo_paragraphs

    paragraphs = [p for texts in demo_paragraphs().values() for p in texts]
    assert paragraphs
    assert [script_of(p) for p in paragraphs] == [_script_of_by_findall(p) for p in paragraphs]

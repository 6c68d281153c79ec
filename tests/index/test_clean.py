"""Extraction rules on the real demo articles, and on small cases of each rule."""

import re
import unicodedata

import pytest

from index.article import RawArticle
from index.clean import CleaningError, clean, normalize_text, reads_as_headline, split_paragraphs
from index.sources import load_file
from tests.conftest import seed


def cleaned(prefix):
    (raw,) = load_file(seed(prefix))
    return clean(raw)


def body_of(prefix):
    return cleaned(prefix).body


# -- titles: the first line when it reads as a headline, never a paragraph ----


def test_title_is_first_line_when_it_is_a_headline():
    assert cleaned("001").title == (
        "Ο ηγέτης της Βόρειας Κορέας διαβεβαίωσε τον Λαβρόφ για την «άνευ όρων» υποστήριξή του στη Μόσχα"
    )
    assert cleaned("004").title == "Észak-Korea továbbra is támogatni fogja Oroszország Ukrajna elleni háborúját"


@pytest.mark.parametrize("prefix", ["000", "002", "003"])
def test_no_title_when_the_article_starts_with_a_paragraph(prefix):
    assert cleaned(prefix).title is None


def test_repeated_title_is_not_body_text():
    article = cleaned("001")
    assert article.title not in article.body
    assert article.paragraphs[0].text == "Ο Κιμ Γιονγκ Ουν είχε συνάντηση με τον Ρώσο ΥΠΕΞ σε ιδιαίτερα θερμό κλίμα."


@pytest.mark.parametrize(
    "line,expected",
    [
        ("Merkel trifft Macron in Paris", True),
        ("Will the ceasefire hold?", True),
        ("Der Minister traf am Freitag ein und sprach mit der Presse.", False),
        ("(Dan Tri) – In einer Erklärung", False),
        ("Viber Whatsapp", False),
        ("x" * 250, False),
    ],
)
def test_reads_as_headline(line, expected):
    assert reads_as_headline(line, ["Body text follows here."]) is expected


def test_a_lone_line_is_not_a_title():
    assert reads_as_headline("Merkel trifft Macron", []) is False


# -- dates: ISO 8601, absent when unknown, never invented -----------------------


@pytest.mark.parametrize(
    "prefix,date",
    [
        ("000", "2024-11-29"),  # "November 29, 2024" in the embedded tweet's credit
        ("001", None),  # the text names no date of its own
        ("002", "2024-11-29T15:42"),  # in the source URL; the text says "29. November"
        ("003", "2025-04-28"),  # " date 2025-04-28" marker
        ("004", "2024-11-30T10:12"),  # "2024. november 30. – 10:12" line
    ],
)
def test_dates_of_the_demo_articles(prefix, date):
    assert cleaned(prefix).date == date


def test_date_marker_and_date_line_are_removed_from_the_text():
    assert "date 2025" not in body_of("003")
    assert "10:12" not in body_of("004")


def test_explicit_date_wins_and_is_normalized():
    raw = RawArticle(id="x", origin="x", text="Text am 29. November.\nMore text.", date="Fri, 29 Nov 2024 15:42:26 GMT")
    assert clean(raw).date == "2024-11-29T15:42"


def test_yearless_date_is_not_given_a_year():
    raw = RawArticle(id="x", origin="x", text="29. November\nDer Minister traf in Pjöngjang ein.")
    assert clean(raw).date is None


def test_unparseable_explicit_date_is_left_out():
    raw = RawArticle(id="x", origin="x", text="Der Minister traf in Pjöngjang ein.", date="yesterday")
    assert clean(raw).date is None


# -- sources --------------------------------------------------------------------


@pytest.mark.parametrize(
    "prefix,source,url",
    [
        ("000", "skai.gr", None),
        ("001", "ΑΠΕ-ΜΠΕ", None),
        (
            "002",
            "Dan Tri",
            "https://dantri.com.vn/the-gioi/nga-hop-tac-quan-su-voi-trieu-tien-phat-trien-than-toc-tich-cuc-20241129154226900.htm",
        ),
        ("003", "skai.gr", None),
    ],
)
def test_source_name_and_url(prefix, source, url):
    article = cleaned(prefix)
    assert (article.source, article.url) == (source, url)


def test_source_lines_and_datelines_leave_the_text():
    assert "Πηγή" not in body_of("000")
    assert "Quelle" not in body_of("002")
    assert body_of("002").startswith("In einer Erklärung während seines Besuchs in Nordkorea")


def test_source_from_url_domain_when_unnamed():
    raw = RawArticle(id="x", origin="x", text="Der Minister traf ein.\nQuelle: https://www.example.de/a/b")
    article = clean(raw)
    assert (article.source, article.url) == ("example.de", "https://www.example.de/a/b")


# -- boilerplate ----------------------------------------------------------------


@pytest.mark.parametrize(
    "prefix,fragment",
    [
        ("000", "Google News"),
        ("000", "Διαβάστε τις Ειδήσεις σήμερα"),
        ("000", "pic.twitter.com"),
        ("000", "@novayagazeta_eu"),
        ("001", "Viber"),
        ("001", "Μοιράσου το"),
        ("001", "Newsroom"),
        ("001", "Διαβάζονται αυτή τη στιγμή"),
        ("001", "JP Morgan"),  # an unrelated "read next" headline
        ("001", "LIQUID MEDIA"),
        ("001", "gazzetta"),
        ("002", "[Anzeige_2]"),
        ("002", "Kommentar (0)"),
    ],
)
def test_boilerplate_is_removed(prefix, fragment):
    assert fragment not in body_of(prefix)


def test_article_text_is_kept():
    body = body_of("000")
    # the quoted tweet's text stays, only its credit goes
    assert "«В ходе официального визита министра обороны…" in body
    assert body.rstrip().endswith("δεν αποκλείει το ενδεχόμενο να στείλει όπλα απευθείας στο Κίεβο.")
    assert len(cleaned("000").paragraphs) == 18
    assert len(cleaned("002").paragraphs) == 9
    assert len(cleaned("003").paragraphs) == 13


def test_prose_after_a_source_line_is_kept():
    long = "Der Minister sprach lange über die Lage. " * 10
    raw = RawArticle(id="x", origin="x", text=f"Erster Absatz des Artikels.\nQuelle: dpa\n{long}")
    assert long.strip() in clean(raw).body


def test_sentence_broken_over_lines_is_one_paragraph():
    paragraphs = cleaned("004").paragraphs
    assert any("hangsúlyozta, hogy kiterjesztik a két hadsereg" in p.text for p in paragraphs)


def test_hard_wrapped_block_is_joined():
    text = (
        "Der russische Verteidigungsminister Andrej Belousow ist am\n"
        "Freitag in Pjöngjang eingetroffen, wie das Ministerium in Moskau\n"
        "mitteilte.\n\nZweiter Absatz."
    )
    assert split_paragraphs(text) == [
        "Der russische Verteidigungsminister Andrej Belousow ist am Freitag in Pjöngjang eingetroffen, "
        "wie das Ministerium in Moskau mitteilte.",
        "Zweiter Absatz.",
    ]


def test_invisible_and_bidi_characters_are_removed():
    raw = RawArticle(id="x", origin="x", text="Pjön\u00adgjang\u200b liegt \u202eim Norden\u202c.")
    assert clean(raw).body == "Pjöngjang liegt im Norden."


def test_nothing_but_boilerplate_is_an_error():
    raw = RawArticle(id="x", origin="x", text="Viber Whatsapp\nKommentar (0)\n[Anzeige_2]")
    with pytest.raises(CleaningError):
        clean(raw)


# -- HTML -----------------------------------------------------------------------

PAGE = """<!doctype html><html><head><title>Minister in Pjöngjang | Beispiel</title>
<meta property="article:published_time" content="2024-11-29T10:00:00Z">
<meta property="og:site_name" content="Beispiel-Zeitung"></head>
<body><nav><a href="/">Start</a> <a href="/politik">Politik</a></nav>
<div class="share">Teilen Facebook Twitter</div>
<article><h1>Russischer Minister besucht Nordkorea</h1>
<p>Der russische Verteidigungsminister Andrej Belousow ist am Freitag in Pjöngjang eingetroffen,
wie das Ministerium in Moskau mitteilte. Er wurde am Flughafen von seinem Amtskollegen empfangen.</p>
<p>Die militärische Zusammenarbeit beider Länder entwickle sich schnell, sagte Belousow bei einem
Treffen mit der Führung des Landes. Einzelheiten der Gespräche wurden nicht bekannt.</p>
</article>
<aside><h2>Meistgelesen</h2><ul><li><a href="/x">Bundesliga: Bayern verliert in Freiburg</a></li></ul></aside>
<footer>Impressum Datenschutz</footer><script>track()</script></body></html>"""


def test_html_main_text_title_and_date():
    article = clean(RawArticle(id="page", origin="page.html", text=PAGE, is_html=True))
    assert article.title == "Russischer Minister besucht Nordkorea"
    assert article.date == "2024-11-29"
    assert article.source == "Beispiel-Zeitung"
    assert article.body.startswith("Der russische Verteidigungsminister Andrej Belousow")
    for noise in ("Impressum", "Bundesliga", "Politik", "track()", "Facebook"):
        assert noise not in article.body


def test_html_without_main_text_is_an_error():
    with pytest.raises(CleaningError):
        clean(RawArticle(id="p", origin="p.html", text="<html><head><title>x</title></head><body><script>track()</script></body></html>", is_html=True))


# -- normalize_text against the per-line implementation it replaced ---------

_OLD_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u200e\u200f\u061c\u2060\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def _normalize_text_per_line(text):
    # The reference: a translate table, then the spaces of each line apart.
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text.translate(_OLD_INVISIBLE))
    return "\n".join(re.sub(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+", " ", line).strip() for line in text.split("\n"))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n",
        "  Ο υπουργός\u00a0\u00a0Άμυνας  \r\n\r\n\tKN-23 \u2003 ",
        "Verteidi\u00adgungs\u200bminister\u200d \u202eevil\u202c \ufeffBOM \u2066iso\u2069",
        "ctrl\x00\x07\x0b\x0c\x1b\x1f\x7fend \x1c between\x1d",
        "line\u2028separator \x85next\u3000ideographic\u205fmath\u202fnarrow",
        "mac\rlines\r\rand\r\nwindows\n\r",
        unicodedata.normalize("NFD", "Άμυνας προϋπολογισμός ő ű Ёлка"),
        "a \u00ad b",
    ],
)
def test_normalize_text_is_the_per_line_normalization(text):
    assert normalize_text(text) == _normalize_text_per_line(text)


def test_normalize_text_of_the_demo_articles_is_the_per_line_normalization():
    from index.sources import load_paths
    from tests.conftest import DATA

    texts = [raw.text for raw in load_paths([DATA])]
    assert texts
    assert [normalize_text(t) for t in texts] == [_normalize_text_per_line(t) for t in texts]

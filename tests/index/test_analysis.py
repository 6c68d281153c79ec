"""Golden tables: input → the terms each language's analyzer indexes.

Whoosh's own Hungarian stemmer stayed broken for years for want of such a
table; every rule of our analyzers has a row here."""

import pickle

import pytest

from tests.conftest import REPO

from index.analysis import analyzer_for, index_terms, name_analyzer, name_terms, query_terms

GREEK = [
    # accents, diaeresis and final sigma fold; inflections meet
    ("Άμυνας", ["αμυν"]),
    ("ΑΜΥΝΑΣ", ["αμυν"]),
    ("αμυνας", ["αμυν"]),
    ("στρατιώτες", ["στρατιωτ"]),
    ("στρατιωτών", ["στρατιωτ"]),
    ("Ρωσία Ρωσίας ΡΩΣΙΑΣ", ["ρωσ", "ρωσ", "ρωσ"]),
    ("Ουκρανία Ουκρανίας", ["ουκραν", "ουκραν"]),
    ("Μπελούσοφ", ["μπελουσοφ"]),
    ("Πιονγιάνγκ", ["πιονγιανγκ"]),
    ("προϋπολογισμός προυπολογισμος", ["προυπολογ", "προυπολογ"]),
    # stop words, including elided forms with either apostrophe
    ("ο υπουργός της Άμυνας", ["υπουργ", "αμυν"]),
    ("κατ’ αυτές", []),
    ("κατ' αυτές", []),
    # news tokens are kept whole (parts indexed too)
    ("KN-23", ["kn-23", "kn", "23"]),
    ("10.000 στρατιώτες", ["10000", "στρατιωτ"]),
]

GERMAN = [
    # compounds: the whole word, then its parts (dictionary split, wngerman)
    ("Verteidigungsministers", ["verteidigungsminist", "verteid", "minist"]),
    ("Verteidigungsminister", ["verteidigungsminist", "verteid", "minist"]),
    ("Rüstungsindustrie", ["rustungsindustri", "rustung", "industri"]),
    ("Bundesverteidigungsminister", ["bundesverteidigungsminist", "bund", "verteidigungsminist", "verteid", "minist"]),
    ("Raketenwerfer Staatsagentur", ["raketenwerf", "rak", "werf", "staatsagentur", "staat", "agentur"]),
    # außen and innen are the two non-noun modifiers, never with a linking element
    ("Außenministers Innenpolitik", ["aussenminist", "auss", "minist", "innenpolit", "inn", "polit"]),
    ("Außenseiter", ["aussenseit"]),
    # no split into fragments, prepositions, prefixes or suffixes
    ("Minister Regierung Ukraine Belousow", ["minist", "regier", "ukrain", "belousow"]),
    ("Unterstützung Partnerschaft Zusammenarbeit", ["unterstutz", "partnerschaft", "zusammenarbeit"]),
    # umlauts and their transcriptions, ß and ss meet
    ("Müller Mueller", ["mull", "mull"]),
    ("Straße Strasse STRASSE", ["strass", "strass", "strass"]),
    ("Pjöngjang Pjoengjang", ["pjongjang", "pjongjang"]),
    ("Nordkorea Nordkoreas", ["nordkorea", "nord", "korea", "nordkorea", "nord", "korea"]),
    ("Häuser Haus", ["haus", "haus"]),
    ("die Soldaten und der Minister", ["soldat", "minist"]),
    ("11-12 Soldaten", ["11-12", "11", "12", "soldat"]),
    ("10.000 Soldaten", ["10000", "soldat"]),
]

HUNGARIAN = [
    ("katonák", ["katon"]),
    ("katonát", ["katon"]),
    ("katona", ["katon"]),
    # ő and ű, also when they arrive as õ/û (Latin-1 mojibake)
    ("nőhet", ["nőh"]),
    ("nõhet", ["nőh"]),
    ("erők erőket", ["erő", "erő"]),
    ("Belouszov Belouszovval", ["belouszov", "belouszov"]),
    ("Oroszország Oroszországba", ["oroszország", "oroszország"]),
    ("Észak-Korea", ["észak-kor", "ész", "kor"]),
    ("ENSZ-nagykövete", ["ensz-nagykövet", "ensz", "nagykövet"]),
    # short words are not stemmed: Snowball would read Kim as ki + -m
    ("Kim két", ["kim", "két"]),
    # whoosh's list lost ő to õ: "elő" must still be a stop word; "Nagy" is a surname
    ("elő Nagy", ["nagy"]),
    ("a két ország és", ["két", "ország"]),
    ("Kurszk Kurszki", ["kursz", "kursz"]),
]

RUSSIAN = [
    ("Белоусова", ["белоусов"]),
    ("Белоусову", ["белоусов"]),
    ("Белоусов", ["белоусов"]),
    ("министра Министр", ["министр", "министр"]),
    ("ещё Ещё", []),
    ("ёлка ЁЛКИ елки", ["елка", "елка", "елка"]),
    ("Пхеньян Пхеньяна", ["пхеньян", "пхеньян"]),
    ("Министр обороны России прибыл", ["министр", "оборона", "россия", "прибыть"]),
    ("KN-23", ["kn-23", "kn", "23"]),
    # letters without a Unicode name (Tangut), which pymorphy3 cannot look up, stay as they are
    ("\U00017000\U00017001 Министр", ["\U00017000\U00017001", "министр"]),
]

OTHER = [
    ("The Minister's visit", ["the", "minister's", "visit"]),
    ("ﬁnal Ｆｕｌｌ", ["final", "full"]),
]


@pytest.mark.parametrize(
    "lang,text,expected",
    [("el", *row) for row in GREEK]
    + [("de", *row) for row in GERMAN]
    + [("hu", *row) for row in HUNGARIAN]
    + [("ru", *row) for row in RUSSIAN]
    + [("en", *row) for row in OTHER],
)
def test_index_terms(lang, text, expected):
    assert index_terms(lang, text) == expected


@pytest.mark.parametrize(
    "lang,text,expected",
    [
        # the parts, which the index holds at consecutive positions: a phrase
        ("hu", "Észak-Korea", ["ész", "kor"]),
        ("hu", "Nyugat-Virginiában", ["nyug", "virgin"]),
        ("de", "KN-23", ["kn", "23"]),
        ("el", "κατ’ αυτές στρατιώτες", ["στρατιωτ"]),
    ],
)
def test_query_mode_searches_the_parts_of_compounds(lang, text, expected):
    assert query_terms(lang, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "https://dantri.com.vn/the-gioi/nga-20241129154226900.htm",
        "pic.twitter.com/VbA270TcUA",
        "@novayagazeta_eu",
        "#Korea",
        "foo@example.com",
        "skai.gr",
    ],
)
def test_urls_handles_and_domains_are_one_token(text):
    assert index_terms("de", text) == [text.lower()]


def test_positions_count_compound_parts():
    tokens = [(t.text, t.pos) for t in analyzer_for("hu")("Észak-Korea katonái", positions=True)]
    assert tokens == [("észak-kor", 0), ("ész", 0), ("kor", 1), ("katon", 2)]


def test_character_offsets_point_into_the_text():
    text = "Ο Ρώσος υπουργός Άμυνας, KN-23."
    for token in analyzer_for("el")(text, chars=True, mode="index"):
        original = text[token.startchar : token.endchar]
        assert index_terms("el", original)[0] == token.text


def test_a_text_tokenized_again_gives_the_same_tokens_with_its_own_offsets():
    # Tokenizations are reused across the fields of a document: a repeated
    # text, and one that differs only in a character, must each get their own.
    first = [(t.text, t.startchar) for t in analyzer_for("de")("Der Verteidigungsminister", chars=True)]
    again = [(t.text, t.startchar) for t in analyzer_for("de")("Der Verteidigungsminister", chars=True)]
    shifted = [(t.text, t.startchar) for t in analyzer_for("de")(" Der Verteidigungsminister", chars=True)]
    assert first == again
    assert shifted == [(text, start + 1) for text, start in first]


def test_pymorphy3_reads_its_dictionaries_with_the_c_reader():
    # DAWG2 (requirements.in) is what makes Russian lemmas cheap; without it
    # pymorphy3 silently falls back to its pure-Python reader.
    from pymorphy3 import dawg

    assert dawg.DAWG.__module__ == "dawg"


@pytest.mark.parametrize("lang", ["el", "de", "hu", "ru", "xx"])
def test_analyzers_survive_pickling(lang):
    # Whoosh pickles the schema, analyzers included, into the index.
    analyzer = analyzer_for(lang)
    copy = pickle.loads(pickle.dumps(analyzer))
    assert copy == analyzer
    text = "Белоусова Άμυνας katonák Verteidigungsministers"
    assert [t.text for t in copy(text)] == [t.text for t in analyzer(text)]


# -- the cross-script form of names (index.analysis.names) --------------------

NAME_KEYS = [
    # one key for every script and transcription convention
    ("Μπελούσοφ Белоусов Belousow Belouszov Belousov", ["belusov"] * 5),
    ("Λαβρόφ Лавров Lawrow Lavrov", ["lavrov"] * 4),
    ("Κουρσκ Курск Kurszk Kursk", ["kursk"] * 4),
    ("Πούτιν Путин Putyin Putin", ["putin"] * 4),
    # Greek digraphs for b, d, g, u and w; tonos and final ς
    ("Αντρέι Андрей Andrej Andrey", ["adre"] * 4),
    ("Σεργκέι Сергей Sergej Szergej", ["serg"] * 4),
    ("Γουονσάν Wonsan", ["vonsan"] * 2),
    ("ΜΠΕΛΟΥΣΟΦ Μπελουσοφ", ["belusov"] * 2),
    # Greek -ς: the whole word and without it
    ("Κορέα Κορέας Корея Korea", ["kore", "koreas", "kore", "kore", "kore"]),
    ("Μπρόνκος Broncos Бронкосом", ["bronkos", "bronk", "bronkos", "bronk", "bronkos"]),
    # Hungarian sz, zs, cs, gy, ty; ő and ű as o and u
    ("Medvegyev Медведев Medwedew Μεντβέντεφ", ["medvedov"] * 4),
    # a Russian adjective in -ский also gives its stem
    ("Zelenszkij Зеленский Selenskyj Ζελένσκι", ["selensk", "selensk", "selen", "selensk", "selensk"]),
    ("Рейнскую Rhein", ["reinsk", "rein", "rein"]),
    # h goes (Greek has none): Хрущёв, Chruschtschow; th is t (Λούθερ, Лютер, Luther)
    ("Hruscsov Хрущёв Хрущев Chruschtschow", ["ruscov"] * 4),
    ("Λούθερ Лютер Luther", ["luter"] * 3),
    # BGN's ch is ч, an affricate; Latin c before a, o, u or a consonant is k
    ("Чайковский Tschaikowski Csajkovszkij Τσαϊκόφσκι", ["ceikovsk", "ceikov", "ceikovsk", "ceikovsk", "ceikovsk"]),
    ("Doctor Доктор Victoria Виктория", ["doktor", "doktor", "viktor", "viktor"]),
    ("Szőlő Szölö", ["solo"] * 2),
    ("Szűcs Szücs", ["suc"] * 2),
    # German w, sch, j; the -ов/-ев endings and a final vowel (Kiew, Киев, Κίεβο, Kijev)
    ("Kiew Киев Κίεβο Kijev", ["kiov"] * 4),
    ("Schoigu Шойгу Sojgu", ["soig"] * 3),
    # declension: Russian through pymorphy3, Greek -ς, Hungarian and German
    # suffixes beside the whole word
    ("Белоусова Белоусову", ["belusov"] * 2),
    ("Курске Киева", ["kursk", "kiov"]),
    ("Ουκρανίας Ουκρανία", ["ukranias", "ukran", "ukran"]),
    ("Belouszovot", ["belusovot", "belusov"]),
    ("Kurszkban", ["kurskban", "kursk"]),
    ("Putyinnal Kimmel", ["putinal", "putin", "kimel", "kim"]),
    ("Putins", ["putins", "putin"]),
    # a guessed Russian lemma may take an ending off, never add one
    ("Чхоль Бингеном", ["col", "bingen"]),
    # lower-case words are common words: not indexed as names
    ("der russische Verteidigungsminister", ["verteidigungsminister", "verteidigung", "minister"]),
    ("η ρωσική κυβέρνηση", []),
    # stop words of any language, even capitalised, are not names
    ("Die Der Και Οι В", []),
    # short words are not folded (Kim stays kim), two letters get no key
    ("Kim Κιμ Ким", ["kim"] * 3),
    ("Un Ουν No Νο", []),
    ("ΥΠΕΞ TASS ТАСС TASZSZ", ["ipeks", "tas", "tas", "tas"]),
    # hyphenated names: the whole and its parts
    ("Észak-Korea", ["esakor", "esak", "kore"]),
]


@pytest.mark.parametrize("text,expected", NAME_KEYS)
def test_name_keys(text, expected):
    assert name_terms(text) == expected


def test_names_query_mode_keys_every_word():
    # readers type names in lower case; at index time only capitalised words count
    assert name_terms("belousow kurszk", mode="query") == ["belusov", "kursk"]
    assert name_terms("belousow kurszk") == []


def test_common_words_are_not_indexed_as_names():
    # a common word of one language must not meet a look-alike of another
    # (Greek μέτρα, Hungarian metró): lower-case words never reach the names field
    assert name_terms("μέτρα metró министра katonák Soldaten") == ["soldaten", "soldat"]


def test_compound_parts_share_the_position_and_offsets_of_the_compound():
    text = "Der Verteidigungsminister kam"
    tokens = [(t.text, t.pos, t.startchar, t.endchar) for t in analyzer_for("de")(text, positions=True, chars=True)]
    assert tokens == [
        ("verteidigungsminist", 1, 4, 25), ("verteid", 1, 4, 25), ("minist", 1, 4, 25), ("kam", 2, 26, 29),
    ]


def test_queries_are_not_split():
    # the index holds the parts: the whole query word finds the compound, a part finds it too
    assert query_terms("de", "Verteidigungsminister") == ["verteidigungsminist"]


def test_decompounding_fails_clearly_without_the_word_list(tmp_path):
    import subprocess
    import sys

    code = "from index.analysis import index_terms; index_terms('de', 'Verteidigungsminister')"
    env = {"SEARCH_GERMAN_WORD_LIST": str(tmp_path / "missing"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO)
    assert done.returncode != 0
    assert "MissingWordListError" in done.stderr and "wngerman" in done.stderr


def test_name_analyzer_survives_pickling():
    analyzer = name_analyzer()
    copy = pickle.loads(pickle.dumps(analyzer))
    assert copy == analyzer
    text = "Μπελούσοφ Белоусова Belouszovot"
    assert [t.text for t in copy(text)] == [t.text for t in analyzer(text)]


def test_name_offsets_point_into_the_text():
    text = "Ο Ρώσος υπουργός Άμυνας Αντρέι Μπελούσοφ, KN-23."
    spans = {text[t.startchar : t.endchar]: t.text for t in name_analyzer()(text, chars=True)}
    assert spans["Μπελούσοφ"] == "belusov" and spans["Αντρέι"] == "adre"


POSITION_ROWS = [
    # token texts → the position of each, and the positions they take
    ([], [], 0),
    (["a", "b"], [0, 1], 2),
    (["a", "b-c", "d", "e-f-g", "h"], [0, 1, 3, 4, 7], 8),
    # URLs are no compounds; any of the hyphens makes one
    (["https://www.example-news.hu/a-b", "x"], [0, 1], 2),
    (["Korea", "Észak\u2011Korea", "Nyugat\u2010Virginia", "x"], [0, 1, 3, 5], 6),
]


@pytest.mark.parametrize("tokens,positions,taken", POSITION_ROWS)
def test_token_positions_are_those_the_parts_filter_gives(tokens, positions, taken):
    from index.analysis.filters import CompoundPartsFilter, positions_taken, token_positions
    from index.analysis.tokenizer import NewsTokenizer

    assert list(token_positions(tokens)) == positions
    assert positions_taken(tokens) == taken
    # the filter itself, on the tokens as a text: where each token (its first part) starts
    starts = [sum(len(token) + 1 for token in tokens[:number]) for number in range(len(tokens))]
    firsts = {}
    for t in (NewsTokenizer() | CompoundPartsFilter())(" ".join(tokens), positions=True, chars=True, mode="index"):
        firsts.setdefault(t.startchar, t.pos)
    assert [firsts[start] for start in starts] == positions

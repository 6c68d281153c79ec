"""Reading dictd dictionaries: small real files in dictd's format, and the installed FreeDict ones."""

import gzip

import pytest

from search.dictionaries import DICTIONARIES, DICTIONARY_DIR, dictionary_files, read_entries

_BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _dictd_number(value):
    digits = ""
    while True:
        digits = _BASE64[value % 64] + digits
        value //= 64
        if not value:
            return digits


def write_dictd(directory, name, entries):
    """A dictd dictionary ``name`` in ``directory`` from ``{headword: entry text}``
    (gzip, which dictzip is a kind of), with dictd's own header entry first."""
    data, rows = b"", []
    for headword, text in {"00-database-info": "made for a test\n", **entries}.items():
        body = text.encode("utf-8")
        rows.append(f"{headword}\t{_dictd_number(len(data))}\t{_dictd_number(len(body))}\n")
        data += body
    index_path, dict_path = dictionary_files(name, directory)
    index_path.write_text("".join(rows), encoding="utf-8")
    with gzip.open(dict_path, "wb") as f:
        f.write(data)


ENTRIES = {
    "regierung": "Regierung /ʁeˈɡiːʁʊŋ/ <n, fem>\nправительство 2.\ndas Regieren\n 3.\nleitendes Organ eines Staates\n",
    "bestimmt": "bestimmt /bəˈʃtɪmt/ <adj>\n1. определённый\nvorher definiert\n2. окончательный, решительный\nmit Nachdruck\n",
    "besatzung": "Besatzung <n, fem>\nэкипа́ж\nMannschaft eines Schiffes\n",
    "bestimmungswort": "Bestimmungswort <n, neut>\nопределяющее слово\nLinguistik: der Teil einer Zusammensetzung\n",
    "heit": "heit <suffix, fem>\nость, -ость\nWortbildungselement femininer Substantive\n",
    "nichts": "nichts <pron>\nGerman definition only, no translation\n",
}


@pytest.mark.parametrize(
    "headword,translations",
    [
        ("regierung", ["правительство"]),  # a sense number after the translation
        ("bestimmt", ["определённый", "окончательный", "решительный"]),  # numbered senses, comma-separated
        ("besatzung", ["экипаж"]),  # without the stress mark, as texts write it
    ],
)
def test_translations_are_read_from_their_lines(tmp_path, headword, translations):
    write_dictd(tmp_path, "freedict-deu-rus", ENTRIES)
    assert dict(read_entries("freedict-deu-rus", "ru", tmp_path))[headword] == translations


def test_phrases_affixes_definitions_and_dictds_own_entries_are_left_out(tmp_path):
    write_dictd(tmp_path, "freedict-deu-rus", ENTRIES)
    headwords = {headword for headword, _ in read_entries("freedict-deu-rus", "ru", tmp_path)}
    assert headwords == {"regierung", "bestimmt", "besatzung"}


def test_a_missing_dictionary_is_an_os_error(tmp_path):
    with pytest.raises(OSError):
        read_entries("freedict-deu-rus", "ru", tmp_path)


@pytest.mark.parametrize("pair,name", list(DICTIONARIES.items()))
def test_the_installed_dictionaries_are_read_whole(pair, name):
    """``make system-deps`` installs them (Debian's dict-freedict-*)."""
    entries = dict(read_entries(name, pair[1]))
    assert len(entries) > 8000, dictionary_files(name, DICTIONARY_DIR)
    assert all(translations for translations in entries.values())

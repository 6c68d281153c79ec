"""Bilingual dictionaries for query translation: Debian's FreeDict packages
built from Wiktionary by WikDict (CC BY-SA 3.0), in the dictd format, read
where ``dictd`` keeps them (``$SEARCH_DICTIONARY_DIR``, default
``/usr/share/dictd``; ``make system-deps`` installs them).

``<name>.index`` lists ``headword TAB offset TAB length`` (offsets in dictd's
base64); ``<name>.dict.dz`` is dictzip, which gzip reads.  An entry is a
header line (``Regierung /ʁeˈɡiːʁʊŋ/ <n, fem>``) and then, per sense, a line of
translations (``1. правительство``, comma-separated) and a line that defines
the sense in the source language.  A line is taken for translations when most
of its letters are in the target language's script, which tells them from the
definitions whatever their numbering.
"""

import gzip
import os
import re
import unicodedata
from pathlib import Path

DICTIONARY_DIR = Path(os.environ.get("SEARCH_DICTIONARY_DIR", "/usr/share/dictd"))
#: (source, target) → file name without extension (the Debian package is
#: ``dict-`` + that name); each is read in both directions.
DICTIONARIES = {
    ("de", "ru"): "freedict-deu-rus",
    ("de", "el"): "freedict-deu-ell",
    ("el", "ru"): "freedict-ell-rus",
}
#: The letters of the target languages' scripts.
_SCRIPT_LETTERS = {"el": re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]"), "ru": re.compile(r"[\u0400-\u04ff]")}
_BASE64 = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}
_LETTER = re.compile(r"[^\W\d_]")
#: The part of speech of an affix (``<suffix, fem>``): no word of a text.
_AFFIX = re.compile(r"<[^>]*\b(?:suffix|prefix|infix|affix)\b")
_SENSE_NUMBER = re.compile(r"^\s*\d+\.\s*|\s+\d+\.\s*$")
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")
#: Stress marks of Russian dictionaries (экипа́ж), which texts do not write.
_STRESS = dict.fromkeys(map(ord, "\u0300\u0301"))


def dictionary_files(name, directory=None):
    directory = DICTIONARY_DIR if directory is None else Path(directory)
    return directory / f"{name}.index", directory / f"{name}.dict.dz"


def _number(text):
    value = 0
    for c in text:
        value = value * 64 + _BASE64[c]
    return value


def read_entries(name, target, directory=None):
    """``[(headword, [translation, ...])]`` of dictionary ``name``, whose
    translations are in language ``target`` (``el`` or ``ru``); raises ``OSError`` when its files
    are missing or unreadable.  Translations of more than one word, and
    affixes (``-ость``, ``heit`` → ``ость``), are left out: a query word is
    looked up alone."""
    index_path, dict_path = dictionary_files(name, directory)
    with open(index_path, encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f]
    with gzip.open(dict_path) as f:
        data = f.read()
    letters = _SCRIPT_LETTERS[target]
    entries = []
    for row in rows:
        if len(row) != 3 or row[0].startswith("00"):  # dictd's own 00-database-* entries
            continue
        headword, offset, length = row
        start = _number(offset)
        header, *lines = data[start : start + _number(length)].decode("utf-8", "replace").split("\n")
        if _AFFIX.search(header):
            continue
        translations = []
        for line in lines:
            if len(letters.findall(line)) * 2 > len(_LETTER.findall(line)):
                translations.extend(_words(line, target))
        if translations:
            entries.append((headword, translations))
    return entries


def _words(line, target):
    if target == "ru":
        line = unicodedata.normalize("NFC", unicodedata.normalize("NFD", line).translate(_STRESS))
    line = _PARENTHESES.sub(" ", _SENSE_NUMBER.sub("", line))
    for part in re.split(r"[,;]", line):
        part = part.strip(" .!?")
        if part and " " not in part and not part.startswith("-") and not part.endswith("-"):
            yield part

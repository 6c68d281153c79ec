"""The benchmark's queries, drawn from a corpus deterministically, in each engine's syntax.

Per language and kind, words are drawn from the corpus's own articles: words of at least 5
letters found in 0.1–5 % of the articles of that language (neither rare nor stop words).

| kind | ours | Lucene | tantivy |
|---|---|---|---|
| ``word`` | ``Wort`` | ``Wort`` | ``Wort`` |
| ``two_words`` | ``Wort Satz`` (both required) | same, AND | same, conjunction |
| ``phrase`` | ``"zwei Wörter"`` (consecutive in an article) | same | same |
| ``filter`` | ``Wort lang:de`` | ``Wort`` over the German fields only | same |
| ``typo`` | ``Wprt`` (one letter replaced; ours corrects it) | ``Wprt~1`` (FuzzyQuery; ``~2`` beyond 6 letters) | fuzzy term query, same distances |
| ``prefix`` | ``Wörte*`` (the first 7 letters of a word of 8 or more) | same | regex query ``wörte.*`` |

Suggest queries are the first 2–6 letters of a title word.
"""

import collections
import random
import re

KINDS = ("word", "two_words", "phrase", "filter", "typo", "prefix")
_WORD = re.compile(r"[^\W\d_]{5,}")
_ANY_WORD = re.compile(r"[^\W\d_]+")
MIN_SHARE, MAX_SHARE = 0.001, 0.05


def vocabulary(articles):
    """``{lang: sorted mid-frequency words}`` by document frequency within each language."""
    df = collections.defaultdict(collections.Counter)
    per_lang = collections.Counter()
    for article in articles:
        per_lang[article["lang"]] += 1
        df[article["lang"]].update({w.lower() for w in _WORD.findall(article["body"])})
    vocab = {}
    for lang, counts in df.items():
        low, high = max(2, MIN_SHARE * per_lang[lang]), max(2, MAX_SHARE * per_lang[lang])
        vocab[lang] = sorted(w for w, n in counts.items() if low <= n <= high)
        if len(vocab[lang]) < 2:  # a corpus too small to have a middle band: every word
            vocab[lang] = sorted(counts)
    return vocab


def make_typo(rng, word):
    """``word`` with one letter (not the first, the script of the word) replaced."""
    letters = sorted(set(word.lower()) - {word[1].lower()}) or ["x"]
    i = rng.randrange(1, len(word) - 1)
    replacement = rng.choice([c for c in letters if c != word[i].lower()] or letters)
    return word[:i] + replacement + word[i + 1 :]


def consecutive_pair(rng, articles, lang, vocab_set):
    """Two consecutive words of an article of ``lang``, both in the vocabulary."""
    pool = [a for a in articles if a["lang"] == lang]
    for _ in range(200):
        words = _ANY_WORD.findall(rng.choice(pool)["body"])
        pairs = [
            (a, b) for a, b in zip(words, words[1:]) if a.lower() in vocab_set and b.lower() in vocab_set
        ]
        if pairs:
            return rng.choice(pairs)
    return None


def generate(articles, per_kind=10, seed=6, vocab=None):
    """``per_kind`` queries of each kind per language: dicts with qid, kind, lang, words,
    ``ours`` (our syntax), ``lucene`` (Lucene's classic syntax) and ``langs`` (the languages whose
    fields Lucene and tantivy search).  ``vocab``: :func:`vocabulary` of the articles, when known."""
    articles = list(articles)
    vocab = vocab or vocabulary(articles)
    rng = random.Random(seed)
    queries = []
    for lang in sorted(vocab):
        words = vocab[lang]
        if len(words) < 2:
            continue
        vocab_set = set(words)
        long_words = [w for w in words if len(w) >= 8] or words
        all_langs = sorted(vocab)
        for kind in KINDS:
            for n in range(per_kind):
                query = make_query(rng, kind, words, long_words, vocab_set, articles, lang, all_langs)
                if query:
                    query["qid"] = f"{lang}-{kind}-{n:03d}"
                    queries.append(query)
    return queries


def make_query(rng, kind, words, long_words, vocab_set, articles, lang, all_langs):
    word = rng.choice(words)
    if kind == "word":
        return {"kind": kind, "lang": lang, "words": [word], "ours": word, "lucene": word, "langs": all_langs}
    if kind == "two_words":
        pair = consecutive_pair(rng, articles, lang, vocab_set)
        other = rng.choice(words)
        # Two words of one article, so that some articles hold both.
        a, b = pair if pair else (word, other)
        text = f"{a} {b}"
        return {"kind": kind, "lang": lang, "words": [a, b], "ours": text, "lucene": text, "langs": all_langs}
    if kind == "phrase":
        pair = consecutive_pair(rng, articles, lang, vocab_set)
        if not pair:
            return None
        text = f'"{pair[0]} {pair[1]}"'
        return {"kind": kind, "lang": lang, "words": list(pair), "ours": text, "lucene": text, "langs": all_langs}
    if kind == "filter":
        return {"kind": kind, "lang": lang, "words": [word], "ours": f"{word} lang:{lang}", "lucene": word, "langs": [lang]}
    if kind == "typo":
        word = rng.choice(long_words)
        typo = make_typo(rng, word)
        distance = 1 if len(word) <= 6 else 2
        return {
            "kind": kind, "lang": lang, "words": [typo], "intended": word, "distance": distance,
            "ours": typo, "lucene": f"{typo}~{distance}", "langs": all_langs,
        }  # fmt: skip
    if kind == "prefix":
        word = rng.choice(long_words)
        prefix = word[:7]
        text = f"{prefix}*"
        return {"kind": kind, "lang": lang, "words": [prefix], "ours": text, "lucene": text, "langs": all_langs}
    raise ValueError(f"unknown query kind {kind!r}")


def suggest_prefixes(articles, count=100, seed=6):
    """What a reader has typed into the search box: the first 2–6 letters of title words."""
    rng = random.Random(seed)
    titles = [a["title"] for a in articles if a.get("title")]
    prefixes = []
    while titles and len(prefixes) < count:
        words = [w for w in _ANY_WORD.findall(rng.choice(titles)) if len(w) >= 3]
        if words:
            word = rng.choice(words)
            prefixes.append(word[: rng.randint(2, min(6, len(word)))])
    return prefixes

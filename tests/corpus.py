"""Larger corpora for tests, made from the demo articles' own paragraphs."""

import json
import random

from index.clean import clean
from index.language import detect_article
from index.sources import load_paths
from tests.conftest import DATA


def demo_paragraphs():
    by_lang = {}
    for raw in load_paths([DATA]):
        article = detect_article(clean(raw))
        for p in article.paragraphs:
            by_lang.setdefault(p.lang, []).append(p.text)
    return by_lang


def write_jsonl(path, count, seed=0, prefix="synthetic"):
    """``count`` articles of 4 to 10 demo paragraphs each, in one language each."""
    rng = random.Random(seed)
    by_lang = {lang: texts for lang, texts in demo_paragraphs().items() if len(texts) > 3}
    langs = sorted(by_lang)
    with open(path, "w", encoding="utf-8") as f:
        for number in range(count):
            lang = langs[number % len(langs)]
            paragraphs = rng.sample(by_lang[lang], min(len(by_lang[lang]), rng.randint(4, 10)))
            f.write(json.dumps({"id": f"{prefix}-{number}", "lang": lang, "body": "\n\n".join(paragraphs)}, ensure_ascii=False) + "\n")
    return path

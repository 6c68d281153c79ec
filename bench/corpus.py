"""A synthetic news corpus of any size, recombined from the real sentences in ``../shared/eval/``.

Every article is made of real sentences of one language (so vocabulary, inflection and
sentence length are real), regrouped into paragraphs and given a headline, a date, a
source and a URL.  The same ``seed``, ``mix`` and input give the same articles, byte
for byte.  Generated corpora hold text under the eval sets' licences (some of it
non-commercial): write them to a temporary directory, never into the repository.

    .venv/bin/python bench/corpus.py 10000 /tmp/corpus.jsonl [--mix el=1,de=1,hu=1,ru=1] [--seed 6]

Sentences come from the news sets (NTREX, WMT, NerKor, elNER), the UD documents and
FLORES; headlines from NTREX's ``headlines.tsv`` and the WMT titles, else a short
sentence without its final stop.
"""

import argparse
import datetime as dt
import json
import random
import re
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EVAL_DIR = REPO_ROOT.parent / "shared" / "eval"
LANGUAGES = ("el", "de", "hu", "ru")
DEFAULT_MIX = "el=1,de=1,hu=1,ru=1"
DEFAULT_SEED = 6

# The document files read, in this order (the order fixes the output for a seed).
DOC_FILES = (
    "ntrex/docs.jsonl",
    "wmt-news/docs.jsonl",
    "nerkor-news/docs.jsonl",
    "elner-news/docs.jsonl",
    "ud/docs.jsonl",
    "flores-sib200/docs.jsonl",
)
HEADLINES_FILE = "ntrex/headlines.tsv"

# A news article: 3–8 paragraphs of 1–5 sentences (about 350 words on average).
PARAGRAPHS = (3, 8)
SENTENCES_PER_PARAGRAPH = (1, 5)
TITLE_MAX_WORDS = 14
FIRST_DAY = dt.datetime(2023, 1, 1)
DAYS = 3 * 365

# Invented outlets (the .example domain is reserved): a handful per language, as a source facet has.
SOURCES = {
    "el": ("athens-herald.example", "kathimerini-news.example", "thessaloniki-post.example", "aigaio.example"),
    "de": ("berliner-bote.example", "rhein-zeitung.example", "wiener-blatt.example", "alpen-kurier.example"),
    "hu": ("budapesti-hirek.example", "alfold-naplo.example", "duna-posta.example", "pecsi-ujsag.example"),
    "ru": ("moskovsky-vestnik.example", "neva-news.example", "volga-gazeta.example", "ural-inform.example"),
}

# A sentence ends at . ! ? … (optionally followed by closing quotes) before a space.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'»“”)]*\s+")


def split_sentences(text):
    return [s.strip() for s in _SENTENCE_END.split(text) if len(s.strip()) > 1]


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_pools(eval_dir):
    """``{lang: {"sentences": [...], "titles": [...]}}`` from the eval sets found in ``eval_dir``."""
    eval_dir = Path(eval_dir)
    pools = {lang: {"sentences": [], "titles": []} for lang in LANGUAGES}
    for name in DOC_FILES:
        path = eval_dir / name
        if not path.is_file():
            continue
        for doc in read_jsonl(path):
            pool = pools.get(doc.get("lang"))
            if pool is None:
                continue
            if doc.get("title"):
                pool["titles"].append(doc["title"].strip())
            pool["sentences"].extend(split_sentences(doc.get("body", "")))
    headlines = eval_dir / HEADLINES_FILE
    if headlines.is_file():
        for line in headlines.read_text(encoding="utf-8").splitlines()[1:]:
            doc_id, _, headline = line.partition("\t")
            lang = doc_id.split("-")[1] if doc_id.count("-") >= 2 else None
            if lang in pools and headline.strip():
                pools[lang]["titles"].append(headline.strip())
    for lang, pool in pools.items():
        # Short sentences make headlines too, without their final stop.
        pool["titles"] += [s.rstrip(".") for s in pool["sentences"] if 3 <= len(s.split()) <= TITLE_MAX_WORDS]
        pool["sentences"] = sorted(set(pool["sentences"]))
        pool["titles"] = sorted(set(pool["titles"]))
    return {lang: pool for lang, pool in pools.items() if pool["sentences"] and pool["titles"]}


def parse_mix(text):
    """``"el=2,de=1"`` → ``{"el": 2.0, "de": 1.0}``."""
    mix = {}
    for part in text.split(","):
        lang, _, weight = part.partition("=")
        lang = lang.strip()
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r} in the mix (use {', '.join(LANGUAGES)})")
        try:
            mix[lang] = float(weight) if weight else 1.0
        except ValueError:
            raise ValueError(f"the weight of {lang} is not a number: {weight!r}") from None
        if mix[lang] < 0:
            raise ValueError(f"the weight of {lang} is negative")
    if not any(mix.values()):
        raise ValueError("the mix gives every language weight 0")
    return mix


def generate(pools, count, mix=None, seed=DEFAULT_SEED):
    """``count`` articles (dicts in the ``index`` command's JSON-lines format)."""
    mix = {lang: weight for lang, weight in (mix or parse_mix(DEFAULT_MIX)).items() if weight > 0}
    missing = sorted(set(mix) - set(pools))
    if missing:
        raise ValueError(f"no text for {', '.join(missing)} in the eval data")
    rng = random.Random(seed)
    langs = sorted(mix)
    weights = [mix[lang] for lang in langs]
    for number in range(1, count + 1):
        lang = rng.choices(langs, weights)[0]
        yield make_article(rng, pools[lang], lang, number)


def make_article(rng, pool, lang, number):
    paragraphs = [
        " ".join(rng.choices(pool["sentences"], k=rng.randint(*SENTENCES_PER_PARAGRAPH)))
        for _ in range(rng.randint(*PARAGRAPHS))
    ]
    published = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS), minutes=rng.randrange(24 * 60))
    source = rng.choice(SOURCES[lang])
    article_id = f"bench-{lang}-{number:07d}"
    return {
        "id": article_id,
        "lang": lang,
        "title": rng.choice(pool["titles"]),
        "body": "\n\n".join(paragraphs),
        "date": published.strftime("%Y-%m-%dT%H:%M"),
        "source": source,
        "url": f"https://{source}/{published:%Y/%m/%d}/{article_id}",
    }


def write_corpus(articles, path):
    """Write articles as JSON lines; their number and the file's size in bytes."""
    count = 0
    with open(path, "w", encoding="utf-8") as f:
        for article in articles:
            f.write(json.dumps(article, ensure_ascii=False) + "\n")
            count += 1
    return count, Path(path).stat().st_size


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("count", type=int, help="number of articles")
    parser.add_argument("output", type=Path, help="the JSON-lines file to write")
    parser.add_argument("--mix", default=DEFAULT_MIX, help=f"language weights (default {DEFAULT_MIX})")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL_DIR)
    args = parser.parse_args(argv)
    try:
        mix = parse_mix(args.mix)
        pools = load_pools(args.eval_dir)
        count, size = write_corpus(generate(pools, args.count, mix, args.seed), args.output)
    except ValueError as exc:
        parser.error(str(exc))
    print(f"{count:,} articles, {size / 1e6:.1f} MB: {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()

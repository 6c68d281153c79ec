"""How well each language analyzer conflates word forms, against treebank lemmas.

For every language, the gold ``form<TAB>lemma<TAB>upos`` pairs of Universal
Dependencies treebanks (``../shared/eval/ud/lemma-gold/``) are analyzed the way a
one-word query is.  Two figures per analyzer:

* **same-lemma agreement**: of the pairs of distinct forms that share a gold
  lemma (``στρατιώτες``/``στρατιωτών``), the share that get the same index term
  (the higher, the more inflected forms a query finds);
* **different-lemma separation**: of the pairs of forms with different gold
  lemmas, the share that get different terms (the higher, the fewer unrelated
  words a query drags in);
* **merge precision**: of the pairs of forms that get the same term, the share
  that share a gold lemma (separation is close to 1 for any analyzer, because
  almost all pairs of words are unrelated; this figure shows the difference).

Baselines run in the same process: no stemming at all (normalized, case-folded
words) and Whoosh's own ``LanguageAnalyzer`` (which has no Greek stemmer).
Forms that the gold data gives more than one lemma are left out.

    python bench/conflation.py [--eval-dir ../shared/eval] [--json]
"""

import argparse
import collections
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from whoosh.analysis import LanguageAnalyzer  # noqa: E402

from index.analysis import LANGUAGES, OTHER, analyzer_for  # noqa: E402

DEFAULT_EVAL_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "eval"


def read_gold(path):
    """{casefolded form: lemma} for the forms with exactly one gold lemma."""
    lemmas = collections.defaultdict(set)
    with open(path, encoding="utf-8") as f:
        for line in f:
            form, lemma, _upos = line.rstrip("\n").split("\t")
            lemmas[form.casefold()].add(lemma.casefold())
    return {form: next(iter(ls)) for form, ls in lemmas.items() if len(ls) == 1}


def pairs(n):
    return n * (n - 1) // 2


def conflation(gold, term_of):
    """(same-lemma agreement, different-lemma separation, forms scored)."""
    by_lemma = collections.Counter()
    by_term = collections.Counter()
    by_both = collections.Counter()
    for form, lemma in gold.items():
        term = term_of(form)
        if term is None:
            continue
        by_lemma[lemma] += 1
        by_term[term] += 1
        by_both[lemma, term] += 1
    forms = sum(by_lemma.values())
    same_lemma = sum(pairs(n) for n in by_lemma.values())
    same_lemma_same_term = sum(pairs(n) for n in by_both.values())
    same_term = sum(pairs(n) for n in by_term.values())
    different_lemma = pairs(forms) - same_lemma
    agreement = same_lemma_same_term / same_lemma if same_lemma else 0.0
    separation = 1 - (same_term - same_lemma_same_term) / different_lemma if different_lemma else 1.0
    precision = same_lemma_same_term / same_term if same_term else 1.0
    return agreement, separation, precision, forms


def first_term(analyzer):
    def term_of(form):
        for token in analyzer(form, mode="query"):
            return token.text
        return None

    return term_of


WHOOSH_LANG = {"el": "el", "de": "de", "hu": "hu", "ru": "ru"}


def analyzers(lang):
    yield "no stemming (normalized words)", analyzer_for(OTHER)
    try:
        yield "Whoosh LanguageAnalyzer", LanguageAnalyzer(WHOOSH_LANG[lang])
    except Exception as exc:  # Whoosh has no analyzer for some languages
        print(f"  (Whoosh LanguageAnalyzer({lang}) unavailable: {exc})", file=sys.stderr)
    yield "this project", analyzer_for(lang)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL_DIR)
    parser.add_argument("--langs", nargs="*", default=list(LANGUAGES))
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    results = []
    for lang in args.langs:
        gold = read_gold(args.eval_dir / "ud" / "lemma-gold" / f"{lang}.tsv")
        for name, analyzer in analyzers(lang):
            started = time.perf_counter()
            agreement, separation, precision, forms = conflation(gold, first_term(analyzer))
            results.append(
                {
                    "lang": lang,
                    "analyzer": name,
                    "forms": forms,
                    "same_lemma_agreement": round(agreement, 3),
                    "different_lemma_separation": round(separation, 5),
                    "merge_precision": round(precision, 3),
                    "seconds": round(time.perf_counter() - started, 2),
                }
            )
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
        return
    print("| lang | analyzer | forms | same-lemma agreement | different-lemma separation | merge precision |")
    print("|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['lang']} | {r['analyzer']} | {r['forms']:,} | {r['same_lemma_agreement']:.3f} "
            f"| {r['different_lemma_separation']:.5f} | {r['merge_precision']:.3f} |"
        )


if __name__ == "__main__":
    main()

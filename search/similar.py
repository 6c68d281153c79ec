"""Similar articles (more like this): the most distinctive words of an article
in each of its languages, plus the names it mentions looked up in every
language, so that articles in other languages sharing the names are found."""

import math
import re
from collections import Counter

from whoosh import query as q

from index.analysis import query_terms
from index.schema import text_field_language

from .expand import Expansion, field_languages, languages_for
from .highlight import opening

KEY_TERMS = 20
NAMES = 15
NAME_BOOST = 0.5
#: A capitalized word not at the start of a sentence: a name, most likely.
_NAME = re.compile(r"(?<![.!?»\"]\s)(?<!^)\b([A-ZΑ-ΩΆ-ΏА-ЯЁ][\w-]{2,})")


def similar_query(searcher, docnum):
    reader = searcher.reader()
    stored = reader.stored_fields(docnum)
    texts = {}
    for text, lang in opening(zip(stored["body"].split("\n\n"), stored["paragraph_langs"])):
        texts.setdefault(text_field_language(lang), []).append(text)
    if stored.get("title"):
        texts.setdefault(text_field_language(stored.get("title_lang") or stored["lang"]), []).append(stored["title"])
    total_docs = max(reader.doc_count_all(), 1)
    clauses, terms = [], {}
    for lang, parts in texts.items():
        fieldname = f"body_{lang}"
        counts = Counter(t for part in parts for t in query_terms(lang, part))
        scored = []
        for term, tf in counts.items():
            df = reader.doc_frequency(fieldname, term)
            if df > 1:  # shared with at least one other article
                scored.append((tf * math.log(1 + total_docs / df), term))
        best = [term for _, term in sorted(scored, reverse=True)[:KEY_TERMS]]
        terms.setdefault(lang, set()).update(best)
        clauses.extend(q.Term(fieldname, term) for term in best)
    names = Counter(m.group(1) for parts in texts.values() for part in parts for m in _NAME.finditer(part))
    for name, _ in names.most_common(NAMES):
        for lang in languages_for(name, field_languages(())):
            for term in query_terms(lang, name):
                clauses.append(q.Term(f"body_{lang}", term, boost=NAME_BOOST))
    if not clauses:
        return None
    return Expansion(q.Or(clauses), terms)

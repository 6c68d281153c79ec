"""Mix languages into the first page: a reader searching every language wants
the best matches in each, not ten of the query's own language before the first
of another.

The first :data:`KEPT` results stay as scored; after them come the best
:data:`PER_LANGUAGE` matches of every article language that has none among
them (from the best :data:`POOL` results, and only those scoring at least
:data:`MIN_SHARE` of the first result they pass), best first; then the rest in
score order.  Other languages usually match only through names, numbers and codes,
so their best matches are often reports on the same story, which plain scoring
would put on a later page below partial matches in the query's language.
The floor keeps a close match in the query's language on the first page:
without it, NTREX headlines lost up to 0.005 MRR@10 (their answers rank 6th to
10th more often than XQuAD's); with it, neither set's MRR@10 moves (README).
"""

#: Results kept in score order before other languages' best matches.
KEPT = 5
#: Matches moved up per language that has none among the kept ones.
PER_LANGUAGE = 3
#: How deep to look for them.
POOL = 100
#: A match moves up only if it scores at least this share of the first one it passes.
MIN_SHARE = 0.7


def mixed_hits(ranked, langs, limit):
    """The top ``limit`` of ``ranked`` (the hits of a query best first, at
    least the best :data:`POOL` of them), languages mixed as described above;
    ``langs`` maps a document number to its article's language (the sortable
    column, not the stored fields of a hundred documents)."""
    kept = ranked[:KEPT]
    kept_langs = {langs[hit.docnum] for hit in kept}
    moved, per_language = [], {}
    floor = MIN_SHARE * ranked[KEPT].score if len(ranked) > KEPT else 0
    for hit in ranked[KEPT:]:
        lang = langs[hit.docnum]
        if hit.score < floor:
            break
        if lang not in kept_langs and per_language.get(lang, 0) < PER_LANGUAGE:
            per_language[lang] = per_language.get(lang, 0) + 1
            moved.append(hit)
    moved_ids = {hit.docnum for hit in moved}
    rest = [hit for hit in ranked[KEPT:] if hit.docnum not in moved_ids]
    return (kept + moved + rest)[:limit]

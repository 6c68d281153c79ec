"""What is in the index (``stats``) and whether it is sound (``check``)."""

import fcntl
import os

from .schema import TEXT_LANGUAGES, missing_fields, term_text
from .store import LOCK, IndexStore


def _live_ids(matcher):
    count = 0
    while matcher.is_active():
        count += 1
        matcher.next()
    return count


def _total_weight(matcher):
    total = 0.0
    while matcher.is_active():
        total += matcher.weight()
        matcher.next()
    return int(round(total))


def _terms(reader, fieldname):
    return [term_text(t) for t in reader.lexicon(fieldname)]


def _counts(reader, fieldname, measure):
    counts = {term: measure(reader.postings(fieldname, term)) for term in _terms(reader, fieldname)}
    return dict(sorted(((k, v) for k, v in counts.items() if v), key=lambda kv: (-kv[1], kv[0])))


def directory_size(path):
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def reader_stats(reader):
    """Article, paragraph and source counts of an open index (deleted
    documents skipped)."""
    return {
        "articles": reader.doc_count(),
        "languages": _counts(reader, "lang", _live_ids),
        "paragraph_languages": _counts(reader, "paragraph_lang_counts", _total_weight),
        "sources": _counts(reader, "source", _live_ids),
        "body_tokens": {lang: reader.field_length(f"body_{lang}") for lang in TEXT_LANGUAGES},
    }


def generation_facts(store, generation):
    return {
        "index_dir": str(store.root),
        "generation": generation.name,
        "built_at": store.build_info(generation).get("built_at"),
        "size_bytes": directory_size(generation),
    }


def stats(index_dir):
    """Counts of articles and paragraphs per language, and facts about the
    live generation."""
    store = IndexStore(index_dir)
    ix = store.open_live()
    generation = store.live_generation()
    try:
        with ix.reader() as reader:
            result = reader_stats(reader)
    finally:
        ix.close()
    result.update(generation_facts(store, generation))
    return result


def check(index_dir):
    """A list of ``(level, message)``; ``level`` is ``ok``, ``warning`` or
    ``error``.  The index is sound when there is no ``error``."""
    store = IndexStore(index_dir)
    findings = []
    if not store.root.is_dir():
        return [("error", f"{store.root} does not exist: build an index with `python -m index build PATH...`")]
    try:
        generation = store.live_generation()
    except Exception as exc:
        return [("error", str(exc))]
    if generation is None:
        return [("error", f"no live index in {store.root} (no CURRENT file): build one with `python -m index build PATH...`")]
    if not generation.is_dir():
        return [("error", f"CURRENT names {generation.name}, which does not exist")]
    findings.append(("ok", f"live generation {generation.name}"))
    try:
        ix = store.open_live()
    except Exception as exc:
        return findings + [("error", f"the live index cannot be opened: {type(exc).__name__}: {exc}")]
    missing = missing_fields(ix.schema)
    if missing:
        findings.append(
            ("warning", f"built by an older version, without the fields {', '.join(missing)}: rebuild it to use them")
        )
    try:
        with ix.searcher() as searcher:
            reader = searcher.reader()
            count = reader.doc_count()
            ids, problems = set(), 0
            for _docnum, stored in reader.iter_docs():
                article_id = stored.get("id")
                if not article_id or not stored.get("body") or not stored.get("lang"):
                    problems += 1
                    continue
                if article_id in ids:
                    findings.append(("error", f"id {article_id!r} is indexed more than once"))
                ids.add(article_id)
            if problems:
                findings.append(("error", f"{problems} documents lack an id, body or language"))
            if len(ids) + problems != count:
                findings.append(("error", f"{count} live documents counted, but {len(ids) + problems} readable"))
            else:
                findings.append(("ok", f"{count:,} articles readable, ids unique"))
            mismatches = _inverted_mismatches(reader, searcher, sorted(ids))
            if mismatches:
                findings.append(("error", f"stored text and inverted index disagree for {', '.join(mismatches)}"))
    except Exception as exc:
        findings.append(("error", f"reading the index failed: {type(exc).__name__}: {exc}"))
    finally:
        ix.close()
    info = store.build_info(generation)
    if not info:
        findings.append(("warning", f"{generation.name} has no build.json"))
    abandoned = [g.name for g in store.abandoned_generations()]
    if abandoned:
        findings.append(
            ("warning", f"{len(abandoned)} unfinished generation(s) ({', '.join(abandoned)}): a build in progress or "
             "left by a failed one; the next build removes them")
        )
    holder = _lock_holder(store)
    if holder:
        findings.append(("warning", f"a writer is running: {holder}"))
    dead = store.dead_writer()
    if dead:
        findings.append(
            ("warning", f"{LOCK} names {dead[0]}, which ended without releasing it (killed or crashed); "
             "the lock is free (the kernel released it) and the next writer clears what it left")
        )
    return findings


def _inverted_mismatches(reader, searcher, ids, sample=20):
    """Ids of sampled articles whose first indexed word does not lead back to them."""
    from .analysis import analyzer_for
    from .schema import body_field

    step = max(1, len(ids) // sample)
    mismatches = []
    for article_id in ids[::step][:sample]:
        docnum = searcher.document_number(id=article_id)
        if docnum is None:
            mismatches.append(article_id)
            continue
        stored = reader.stored_fields(docnum)
        first, lang = stored["body"].split("\n\n")[0], stored["paragraph_langs"][0]
        term = next((t.text for t in analyzer_for(lang)(first)), None)
        if term is not None and docnum not in set(reader.postings(body_field(lang), term).all_ids()):
            mismatches.append(article_id)
    return mismatches


def _lock_holder(store):
    path = store.root / LOCK
    if not path.exists():
        return None
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        return None
    except OSError:
        return path.read_text(encoding="utf-8", errors="replace").strip() or "unknown"
    finally:
        os.close(fd)

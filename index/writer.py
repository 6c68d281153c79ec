"""Write: build, update and prune the index, one writer at a time.

``build`` writes a complete new generation and publishes it atomically (see
:mod:`index.store`); ``add`` and ``remove`` change the live generation through
Whoosh's own commit, which writes new segment files and then atomically
replaces the table of contents, so readers see the index before or after the
change, never during it.
"""

import datetime as dt
import time
from collections import Counter
from dataclasses import dataclass, field

from whoosh import index as whoosh_index
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.writing import PostingPool

from .article import Skipped
from .codec import NewsCodec
from .ingest import default_workers, input_size, prepared_articles
from .postings import TermPool, read_chunks, write_chunks
from .progress import Progress
from .schema import build_schema, document
from .store import IndexStore

#: Memory for a writer's posting pool (shared by the workers of a build)
#: before it spills a run to disk.
WRITER_LIMIT_MB = 256


#: Postings per pickle in the posting pool's runs on disk.
RUN_CHUNK = 1024


class _ChunkedRunPool(PostingPool):
    """Whoosh's posting pool, writing its sorted runs to disk (and reading
    them back at commit) a chunk of postings per pickle instead of one: the
    same postings in the same order, at a fraction of the Python calls
    (one million postings: 5.6 s to dump and load one by one, 0.7 s in
    chunks of 1,024, and runs a fifth of the size)."""

    def _write_run(self, f, items):
        write_chunks(f, items, RUN_CHUNK)

    def _read_run(self, path):
        try:
            yield from read_chunks(self._open_run(path))
        finally:
            self._remove_run(path)


def _use_chunked_runs(writer):
    if type(writer.pool) is PostingPool and not writer.pool.runs and not writer.pool.current:
        writer.pool.__class__ = _ChunkedRunPool
    return writer


def _use_term_pool(writer):
    """``writer`` pooling its postings per term (:mod:`index.postings`):
    every writer that writes its own segment through our codec."""
    if type(writer.pool) is PostingPool and not writer.pool.runs and not writer.pool.current:
        writer.pool = TermPool.replacing(writer.pool)
    return writer


class _SubWriterTask(SubWriterTask):
    def _process_file(self, filename, doc_count):
        # A worker writing a segment of its own pools per term; one whose runs
        # the parent merges into its segment keeps Whoosh's runs of postings.
        if self.multisegment:
            _use_term_pool(self.writer)
        else:
            _use_chunked_runs(self.writer)
        super()._process_file(filename, doc_count)


class _MpWriter(MpWriter):
    """Whoosh's multiprocessing writer, whose workers pool their postings
    per term (:class:`~index.postings.TermPool`) when each writes a segment
    of its own (``multisegment``, the build's), in
    :class:`_ChunkedRunPool` otherwise, as does its own pool (which then
    reads their runs when it merges them into one segment)."""

    def __init__(self, ix, **options):
        super().__init__(ix, **options)
        if self.multisegment:
            _use_term_pool(self)
        else:
            _use_chunked_runs(self)

    def _new_task(self):
        task = _SubWriterTask(
            self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment
        )
        self.tasks.append(task)
        task.start()
        return task


def _writer(ix, procs=1, **options):
    """A Whoosh writer with our codec and posting pool, writing each segment as
    separate files.

    Whoosh's compound segment (all files in one ``.seg``) is read through a
    memory map, but each part a reader opens is wrapped in a ``BytesIO``,
    which copies it: every process that opened the index held a private copy
    of all its postings and stored fields (at 50,000 articles the main
    process computing the completion table went from 18 to 412 MB on
    opening the postings, and to 1,075 MB RSS in all, the build's peak).
    Separate files are read through the file system, whose page cache the
    processes share; assembling the compound file was also a full copy of
    each segment at commit."""
    options.update(codec=NewsCodec(), compound=False)
    if procs > 1:
        return _MpWriter(ix, procs=procs, **options)
    return _use_term_pool(ix.writer(**options))


class NothingIndexedError(Exception):
    def __init__(self, summary):
        super().__init__("nothing could be indexed")
        self.summary = summary


@dataclass
class Summary:
    command: str
    index_dir: str = ""
    generation: str = ""
    articles: int = 0
    replaced: int = 0
    removed: int = 0
    languages: Counter = field(default_factory=Counter)
    paragraph_languages: Counter = field(default_factory=Counter)
    skipped: list = field(default_factory=list)
    not_found: list = field(default_factory=list)
    seconds: float = 0.0
    workers: int = 1
    #: The writer killed before this one, whose lock trace (and leftovers) it cleared.
    killed_writer: str | None = None

    @property
    def articles_per_second(self):
        return self.articles / self.seconds if self.seconds else 0.0

    def to_json(self):
        return {
            "command": self.command,
            "index_dir": self.index_dir,
            "generation": self.generation,
            "articles": self.articles,
            "replaced": self.replaced,
            "removed": self.removed,
            "languages": dict(self.languages.most_common()),
            "paragraph_languages": dict(self.paragraph_languages.most_common()),
            "skipped": [{"path": origin, "reason": reason} for origin, reason in self.skipped],
            "not_found": self.not_found,
            "seconds": round(self.seconds, 3),
            "articles_per_second": round(self.articles_per_second, 1),
            "workers": self.workers,
            "killed_writer": self.killed_writer,
        }


def _index_articles(writer, paths, summary, workers, progress, update):
    seen = {}
    # An index built by an older version lacks some fields: its articles are
    # added without them (and searched as before) until it is rebuilt.
    fieldnames = set(writer.schema.names())
    for item in prepared_articles(paths, workers):
        if isinstance(item, Skipped):
            summary.skipped.append((item.origin, item.reason))
            progress.update(skipped=1, size=item.size)
            continue
        if item.id in seen:
            summary.skipped.append((item.origin, f"duplicate id {item.id!r} (first seen in {seen[item.id]})"))
            progress.update(skipped=1, size=item.size)
            continue
        seen[item.id] = item.origin
        fields = document(item)
        if not fieldnames.issuperset(fields):
            fields = {name: value for name, value in fields.items() if name in fieldnames}
        if update:
            writer.update_document(**fields)
        else:
            writer.add_document(**fields)
        summary.articles += 1
        summary.languages[item.lang] += 1
        summary.paragraph_languages.update(p.lang for p in item.paragraphs)
        progress.update(articles=1, size=item.size)
    return seen


def _fill(ix, paths, summary, workers, progress, update):
    """A writer on ``ix`` holding the articles of ``paths``, ready to commit;
    cancelled if anything fails or nothing could be indexed.

    With several workers, a full build analyzes and indexes in Whoosh's
    multiprocessing writer (one segment per worker) while this process loads,
    cleans and detects: analysis is most of the work, so it gets the cores
    (measured on 3,000 articles: 1.96x with 2 workers, against 1.22x when the
    workers cleaned and detected instead)."""
    if workers > 1 and not update:
        writer = _writer(ix, procs=workers, multisegment=True, limitmb=WRITER_LIMIT_MB // workers)
        workers = 1
    else:
        writer = _writer(ix, limitmb=WRITER_LIMIT_MB)
    try:
        ids = _index_articles(writer, paths, summary, workers, progress, update)
        if not summary.articles:
            raise NothingIndexedError(summary)
    except BaseException:
        writer.cancel()
        raise
    finally:
        progress.finish()
    progress.status(f"committing {summary.articles:,} articles…")
    return writer, ids


def _begin(command, paths, index_dir, workers, progress):
    size = input_size(paths)
    workers = workers or default_workers(size)
    progress = progress or Progress(enabled=False)
    progress.total = size
    return IndexStore(index_dir), progress, Summary(command, index_dir=str(index_dir), workers=workers)


def build(paths, index_dir, workers=None, wait=0.0, progress=None):
    """Index ``paths`` into a new generation and make it live when complete."""
    started = time.monotonic()
    store, progress, summary = _begin("build", paths, index_dir, workers, progress)
    with store.lock("build", wait=wait):
        summary.killed_writer = store.killed_writer
        store.prune_abandoned()
        generation = store.new_generation()
        try:
            ix = whoosh_index.create_in(str(generation), build_schema())
            writer, _ = _fill(ix, paths, summary, summary.workers, progress, update=False)
            writer.commit()
            ix.close()
            progress.status("computing the completions of common beginnings…")
            _write_completions(generation)
            summary.seconds = time.monotonic() - started
            summary.generation = generation.name
            store.publish(generation, _build_info(summary, paths))
        except BaseException:
            if store.live_generation() != generation:
                store.discard(generation)
            raise
    summary.seconds = time.monotonic() - started
    return summary


def add(paths, index_dir, workers=None, wait=0.0, progress=None):
    """Insert the articles in ``paths``, replacing those with the same id;
    creates the index if there is none."""
    started = time.monotonic()
    store, progress, summary = _begin("add", paths, index_dir, workers, progress)
    with store.lock("add", wait=wait):
        summary.killed_writer = store.killed_writer
        store.prune_abandoned()
        new = store.live_generation() is None
        if new:
            generation = store.new_generation()
            ix = whoosh_index.create_in(str(generation), build_schema())
        else:
            generation = store.live_generation()
            ix = store.open_live()
        try:
            writer, ids = _fill(ix, paths, summary, summary.workers, progress, update=True)
        except BaseException:
            if new:
                store.discard(generation)
            raise
        with ix.searcher() as searcher:
            summary.replaced = sum(1 for article_id in ids if searcher.document_number(id=article_id) is not None)
        writer.commit()
        ix.close()
        _write_completions(generation)
        summary.generation = generation.name
        summary.seconds = time.monotonic() - started
        if new:
            store.publish(generation, _build_info(summary, paths))
    return summary


def remove(ids, index_dir, wait=0.0):
    """Delete the articles with these ids; unknown ids are reported."""
    store = IndexStore(index_dir)
    summary = Summary("remove", index_dir=str(index_dir))
    started = time.monotonic()
    with store.lock("remove", wait=wait):
        summary.killed_writer = store.killed_writer
        store.prune_abandoned()
        ix = store.open_live()
        summary.generation = store.live_generation().name
        writer = _writer(ix)
        try:
            with ix.searcher() as searcher:
                for article_id in dict.fromkeys(ids):
                    if searcher.document_number(id=article_id) is None:
                        summary.not_found.append(article_id)
                    else:
                        writer.delete_by_term("id", article_id)
                        summary.removed += 1
        except BaseException:
            writer.cancel()
            raise
        if summary.removed:
            writer.commit()
            _write_completions(store.live_generation())
        else:
            writer.cancel()
        ix.close()
    summary.seconds = time.monotonic() - started
    return summary


def _write_completions(generation):
    """The search box's answers for common beginnings, for the index as just
    committed (see :mod:`search.completions`).  Until it is replaced, the
    previous table names the previous version and is not used."""
    from search import completions  # the query side's code: imported only by writers

    completions.write(generation)


def _build_info(summary, paths):
    return {
        "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "command": summary.command,
        "sources": [str(p) for p in paths],
        "articles": summary.articles,
        "skipped": len(summary.skipped),
        "seconds": round(summary.seconds, 3),
    }

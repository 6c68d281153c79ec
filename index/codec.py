"""The codec the index is written with: Whoosh's own (``W3Codec``), with the
postings of terms found in a single document stored inline in the term's
entry instead of a block of their own in the postings file, and a term's
postings handed to the postings writer a block at a time.

Whoosh means to inline (its ``inlinelimit``), but in whoosh3 3.54 the inline
branch calls a method that does not exist (``set_inline`` for
``set_inlined``) and the default limit makes it unreachable, so every term,
however rare, pays for a pickled block and its header.  Most terms of a news
index occur in one document only (names, numbers, rare inflections).  Whoosh
reads inlined postings back through its ``postings_reader`` as it always
has; the scores are the same.  Segments record their codec (pickled by
reference to this module), so indexes written before this codec still read
with Whoosh's.

Writing the sorted postings at commit was the largest cost of a build (half
of its CPU time at 1,000 articles), most of it four Python calls per posting
(Whoosh's ``FieldWriter.add_postings`` loop, its ``add``, the postings
writer's ``add_posting`` with its checks, the field length look-up).
:class:`_BlockFieldWriter` groups the postings by term and fills each block
in one step; the bytes written are the same as Whoosh's
(``tests/index/test_codec.py`` compares the files), but for the values of
positional fields, which a block keeps packed (:func:`_packed_values`).  A pool that hands its
postings over a term at a time, columns built (:mod:`index.postings`), skips
the grouping (``add_terms``).

Reading, a term's entry is looked up in the term table's hash once per
process while it is among the last :data:`CACHED_TERMS` looked up
(:class:`_TermsReader`): a query asks for the same terms' entries to expand
its words, build its matchers, and count the page's terms, a couple of
hundred look-ups in all.  The postings of a block are decoded once per process while they are
among the last :data:`DECODED_BLOCKS` of their file (:class:`_LeafMatcher`):
a query reads the same blocks several times (scoring every match, then the
page's term counts, a phrase's positions), and queries share their common
terms and translations.
"""

import mmap
import os
import weakref
import zlib
from array import array
from bisect import bisect_left
from hashlib import md5
from itertools import accumulate, groupby
from operator import itemgetter, sub
from pickle import dumps

from whoosh.codec.base import OutOfOrderError
from whoosh.codec.whoosh3 import (
    COMPRESSION_MIN_SIZE,
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3FieldWriter,
    W3LeafMatcher,
    W3PerDocReader,
    W3PostingsWriter,
    W3TermInfo,
    W3TermsReader,
)
from whoosh.filedb import filetables
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile, StructFile
from whoosh.matching import ListMatcher, ReadTooFar
from whoosh.reading import TermNotFound
from whoosh.system import pack_int, pack_ushort
from whoosh.util.numeric import length_to_byte

#: Terms with at most this many postings are stored inline.
INLINE_POSTINGS = 1

_TERM = itemgetter(0, 1)
_TERMINFO = W3TermInfo._struct
_LENGTHS = filetables._lengths
_POINTER = filetables._pointer


class _InliningPostingsWriter(W3PostingsWriter):
    def finish_postings(self):
        terminfo = self._terminfo
        # A term vector (byte ids) is found through its extent: never inlined.
        if not self._byteids and not self.written() and len(self) <= self._inlinelimit:
            terminfo.add_block(self)
            terminfo.set_inlined(self._ids, self._weights, self._values)
            self._terminfo = None
            return terminfo
        return super().finish_postings()

    def _write_block(self, last=False):
        """Whoosh's ``_write_block`` (the same bytes), with one write and
        the block's lists minified without generators."""
        self._terminfo.add_block(self)
        ids, weights = self._ids, self._weights
        first = weights[0]
        if first == 1.0 and weights.count(first) == len(weights):
            mini_weights = None
        elif weights.count(first) == len(weights):
            mini_weights = first
        else:
            mini_weights = tuple(weights)
        fixedsize = self._format.fixed_value_size()
        if fixedsize is None or fixedsize < 0:
            # (term vectors are read by Whoosh's own matcher: theirs stay as Whoosh writes them)
            mini_values = tuple(self._values) if self._byteids else _packed_values(self._values)
        elif fixedsize == 0:
            mini_values = None
        else:
            mini_values = b"".join(self._values)
        # Term vectors' postings are numbered by term (bytes), not delta-encoded.
        deltas = tuple(ids) if self._byteids else (ids[0], *map(sub, ids[1:], ids[:-1]))
        databytes = dumps((deltas, mini_weights, mini_values), 2)
        compression = self._compression if len(databytes) >= COMPRESSION_MIN_SIZE else 0
        if compression:
            databytes = zlib.compress(databytes, compression)
        infobytes = dumps(
            (
                len(ids),
                ids[-1],
                self._maxweight,
                compression,
                length_to_byte(self._minlength),
                length_to_byte(self._maxlength),
            ),
            2,
        )
        blocklength = len(infobytes) + len(databytes)
        header = b"" if self._blockcount else WHOOSH3_HEADER_MAGIC
        self._postfile.write(header + pack_int(-blocklength if last else blocklength) + infobytes + databytes)
        self._blockcount += 1
        self._new_block()

    def fill_block(self, ids, weights, values, lengths):
        """The buffered block as ``add_posting`` would leave it after adding
        these postings one by one (at most ``blocklimit`` of them)."""
        self._ids = array("I", ids)
        self._weights = array("f", weights)
        self._values = [v for v in values if v]
        heaviest = max(weights)
        self._maxweight = heaviest if heaviest > 0 else 0
        lengths = [n for n in lengths if n]
        if lengths:
            self._minlength = min(lengths)
            self._maxlength = max(lengths)


def _packed_values(values):
    """A block's values of varying sizes (positions) as ``[their lengths,
    their bytes joined]``.  Whoosh keeps the tuple of the values, which
    pickle's protocol 2 writes as a call of ``_codecs.encode`` per value:
    about ten bytes each, a Python call each to read back, and 45 % of a
    positional field's postings once compressed.  A list, where blocks
    written before (and by Whoosh) hold a tuple, so both are read."""
    lengths = [len(value) for value in values]
    return [bytes(lengths) if max(lengths, default=0) < 256 else array("I", lengths), b"".join(values)]


def _unpacked_values(packed):
    lengths, joined = packed
    ends = list(accumulate(lengths))
    return tuple(map(joined.__getitem__, map(slice, [0, *ends[:-1]], ends)))


class _TermTable(filetables.OrderedHashWriter):
    """Whoosh's term table writer, writing each entry in one call and
    counting its position instead of asking the file (the same bytes).

    Whoosh keeps every term's hash entry until the table is closed as a
    tuple of two ints in one of 256 lists, about 120 bytes a term (a
    segment of 100,000 articles has millions of terms); here each bucket is
    two arrays, 12 bytes a term."""

    @classmethod
    def adopt(cls, table):
        table.__class__ = cls
        table._position = table.dbfile.tell()
        table.buckets = [(array("I"), array("q")) for _ in range(256)]
        return table

    def add(self, key, value):
        if key <= self.lastkey:
            raise ValueError(f"Keys must increase: {self.lastkey!r}..{key!r}")
        position = self._position
        self.index.append(position)
        self.dbfile.write(_LENGTHS.pack(len(key), len(value)) + key + value)
        self._position = position + _LENGTHS.size + len(key) + len(value)
        # Whoosh's md5_hash: the low 32 bits of the key's MD5.
        h = int.from_bytes(md5(key, usedforsecurity=False).digest()[-4:], "big")
        hashes, positions = self.buckets[h & 255]
        hashes.append(h)
        positions.append(position)
        self.lastkey = key

    def _write_hashes(self):
        # Whoosh's tables (open addressing, twice as many slots as entries;
        # an empty slot is (0, 0): no entry starts at position 0), each
        # written in one call.
        dbfile = self.dbfile
        pack = _POINTER.pack
        for hashes, positions in self.buckets:
            numslots = 2 * len(hashes)
            self.directory.append((dbfile.tell(), numslots))
            slot_hashes = [0] * numslots
            slot_positions = [0] * numslots
            for h, position in zip(hashes, positions):
                slot = (h >> 8) % numslots
                while slot_positions[slot]:
                    slot = (slot + 1) % numslots
                slot_hashes[slot] = h
                slot_positions[slot] = position
            dbfile.write(b"".join(map(pack, slot_hashes, slot_positions)))

    def close(self):
        if self._position != self.dbfile.tell():
            raise RuntimeError("term table entries were written around its writer")
        super().close()


class _BlockFieldWriter(W3FieldWriter):
    def __init__(self, codec, storage, segment):
        super().__init__(codec, storage, segment)
        self._tindex = _TermTable.adopt(self._tindex)
        self._inline = codec._inlinelimit >= 1

    def add_postings(self, schema, lengths, items):
        """Whoosh's ``FieldWriter.add_postings`` (same checks, same result),
        one term at a time: the postings of a pool that hands them over per
        term (:class:`index.postings.TermPostings`) as they are, any others
        grouped by term here."""
        length_reader = getattr(lengths, "doc_field_length_reader", None) if lengths else None
        if lengths and length_reader is None:
            return super().add_postings(schema, lengths, items)
        by_term = getattr(items, "by_term", None)
        self.add_terms(schema, lengths, by_term() if by_term else _by_term(items))

    def add_terms(self, schema, lengths, terms):
        """Write ``terms``, ``(field, term bytes, docnums, weights, values)``
        sorted by field and term, each with its postings in document order
        (``lengths`` has ``doc_field_length_reader``, or is None)."""
        length_reader = lengths.doc_field_length_reader if lengths else None
        documents = lengths.doc_count_all() if length_reader else 0
        lastfn = lasttext = None
        for fieldname, btext, docnums, weights, values in terms:
            if lastfn is not None and fieldname < lastfn:
                raise OutOfOrderError(f"Field {lastfn!r} .. {fieldname!r}")
            if fieldname == lastfn and lasttext and btext < lasttext:
                raise OutOfOrderError(f"Term {lastfn}:{lasttext!r} .. {fieldname}:{btext!r}")
            if fieldname != lastfn:
                if lastfn is not None:
                    self.finish_field()
                self.start_field(fieldname, schema[fieldname])
                lastfn, lasttext = fieldname, None
                if length_reader:
                    field_length = length_reader(fieldname)
                    field_lengths = list(map(field_length, range(documents)))
            if -1 in docnums:
                # Postings numbered -1 are Whoosh's spelling words, not postings.
                kept = [i for i, docnum in enumerate(docnums) if docnum != -1]
                if not kept:
                    continue
                docnums, weights, values = ([column[i] for i in kept] for column in (docnums, weights, values))
            lasttext = btext
            if not length_reader:
                doc_lengths = ()
            else:
                try:
                    doc_lengths = list(map(field_lengths.__getitem__, docnums))
                except IndexError:  # documents numbered beyond this segment's (a merge)
                    doc_lengths = list(map(field_length, docnums))
            if len(docnums) == 1 and self._inline:
                key = pack_ushort(self._fieldid) + btext
                self._tindex.add(key, _inlined_terminfo(docnums[0], weights[0], values[0], doc_lengths[0] if doc_lengths else 0))
                continue
            self.start_term(btext)
            writer = self._postwriter
            limit = writer._blocklimit
            for start in range(0, len(docnums), limit):
                if start:
                    writer._write_block()
                end = start + limit
                writer.fill_block(docnums[start:end], weights[start:end], values[start:end], doc_lengths[start:end])
            self.finish_term()
        if lastfn is not None:
            self.finish_field()


def _by_term(postings):
    """Sorted 5-tuple postings as ``(field, term, docnums, weights, values)``."""
    for (fieldname, btext), term_postings in groupby(postings, _TERM):
        _, _, docnums, weights, values = zip(*term_postings)
        yield fieldname, btext, docnums, weights, values


def _inlined_terminfo(docnum, weight, value, length):
    """``W3TermInfo.to_bytes()`` of a term found in one document, as the
    postings writer would have inlined it."""
    weight32 = array("f", (weight,))[0]
    heaviest = weight if weight > 0 else 0
    return _TERMINFO.pack(
        True,
        weight32,
        1,
        length_to_byte(length) if length else 0,
        length_to_byte(length or 0),
        heaviest,
        docnum,
        docnum,
    ) + dumps(((docnum,), (weight32,), (value,) if value else ()), 2)


def _mapped(storage, name):
    """The segment file ``name`` of ``storage`` for reading, through a memory
    map when it is a file of its own: reads and seeks are then the map's own
    (no system call each, as through a file), and the pages are the page
    cache's, shared by every process, not copied into each (Whoosh's
    ``BufferFile`` of a compound segment copies the part it opens)."""
    if isinstance(storage, FileStorage) and storage.supports_mmap:
        with open(os.path.join(storage.folder, name), "rb") as f:
            if not os.fstat(f.fileno()).st_size:
                # Nothing to map (a postings file whose terms are all inline).
                return BufferFile(b"", name=name)
            return _MapFile(mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ), name=name)
    return storage.open_file(name)


class _MapFile(StructFile):
    def get(self, position, length):
        # A slice of the map, as Whoosh's BufferFile slices its buffer: one
        # call instead of a seek and a read (term look-ups are mostly gets).
        return self.file[position : position + length]


class _MappedPerDocReader(W3PerDocReader):
    def _get_column_file(self, fieldname):
        filename = W3Codec.column_filename(self._segment, fieldname)
        return _mapped(self._storage, filename), 0, self._storage.file_length(filename)


#: Decoded posting blocks kept per postings file (then it starts over).
DECODED_BLOCKS = 4096
#: postings file → {block position: (header attributes, data or None, ids or None)}
_DECODED = weakref.WeakKeyDictionary()
#: What reading a block's header sets on a matcher (Whoosh's ``_goto``).
_BLOCK_HEADER = (
    "_blocklength", "_maxid", "_maxweight", "_compression", "_minlength", "_maxlength",
    "_lastblock", "_nextoffset", "_dataoffset",
)  # fmt: skip


class _LeafMatcher(W3LeafMatcher):
    """Whoosh's matcher of a posting list, taking each block's header and
    decoded postings from the file's cache of recent blocks when they are
    there (the same tuples Whoosh decodes; its document numbers undone from
    their deltas by ``itertools.accumulate`` instead of a generator).  A
    cached block is a tuple of numbers, bytes and arrays, which the garbage
    collector stops walking once it has seen it; it is replaced, not
    changed, when its postings are decoded."""

    def _goto(self, position):
        blocks = _DECODED.get(self._postfile)
        if blocks is None:
            blocks = _DECODED.setdefault(self._postfile, {})
        block = blocks.get(position)
        if block is None:
            super()._goto(position)
            block = (tuple(getattr(self, name) for name in _BLOCK_HEADER), None, None)
            if len(blocks) >= DECODED_BLOCKS:
                blocks.clear()
            blocks[position] = block
        else:
            for name, value in zip(_BLOCK_HEADER, block[0]):
                setattr(self, name, value)
            self._data = self._ids = self._weights = self._values = None
            self._i = 0
        self._blocks, self._position, self._block = blocks, position, block

    def _read_data(self):
        header, data, _ = self._block
        if data is None:
            super()._read_data()
            ids = self._data[0] if self._byteids else tuple(accumulate(self._data[0]))
            self._block = self._blocks[self._position] = (header, self._data, ids)
        else:
            self._data = data

    def _read_ids(self):
        if self._data is None:
            self._read_data()
        self._ids = self._block[2]

    def _read_values(self):
        if self._data is None:
            self._read_data()
        if type(self._data[2]) is list:
            # packed (_packed_values): unpacked once, into the cached block
            ids, weights, packed = self._data
            self._data = (ids, weights, _unpacked_values(packed))
            header, _, decoded_ids = self._block
            self._block = self._blocks[self._position] = (header, self._data, decoded_ids)
        super()._read_values()

    def skip_to(self, targetid):
        """Whoosh's ``skip_to``, the target found in its block by bisection
        instead of a ``next()`` per posting before it: reading which terms
        each of ten results holds skipped through half a block per term and
        result (25 % of a query's term-count step)."""
        if not self.is_active():
            raise ReadTooFar
        if targetid <= self.id():
            return
        if targetid > self._maxid:
            self._skip_to_block(lambda: targetid > self._maxid)
            if not self.is_active():
                return
            if self._ids is None:
                self._read_ids()
        # the block's last id is its maximum, at least the target: the target's place is inside the block
        self._i = bisect_left(self._ids, targetid, self._i)


#: Term entries kept per segment's term table (then it starts over).
CACHED_TERMS = 50_000
#: A term looked up and not found.
_ABSENT = object()


class _TermsReader(W3TermsReader):
    """Whoosh's reader of a segment's term table, each term's entry (its
    :class:`W3TermInfo`, or its absence) looked up in the table once while
    among the last :data:`CACHED_TERMS`; the answers are Whoosh's."""

    def __init__(self, *args):
        super().__init__(*args)
        self._entries = {}

    def _entry(self, fieldname, tbytes):
        key = (fieldname, tbytes)
        entry = self._entries.get(key)
        if entry is None:
            try:
                entry = super().term_info(fieldname, tbytes)
            except TermNotFound:
                entry = _ABSENT
            if len(self._entries) >= CACHED_TERMS:
                self._entries.clear()
            self._entries[key] = entry
        return entry

    def __contains__(self, term):
        return self._entry(*term) is not _ABSENT

    def term_info(self, fieldname, tbytes):
        entry = self._entry(fieldname, tbytes)
        if entry is _ABSENT:
            raise TermNotFound(f"No term {fieldname}:{tbytes!r}")
        return entry

    def frequency(self, fieldname, tbytes):
        entry = self._entry(fieldname, tbytes)
        if entry is _ABSENT:
            raise KeyError(self._keycoder(fieldname, tbytes))
        return entry.weight()

    def doc_frequency(self, fieldname, tbytes):
        entry = self._entry(fieldname, tbytes)
        if entry is _ABSENT:
            raise KeyError(self._keycoder(fieldname, tbytes))
        return entry.doc_frequency()


#: The matchers of posting lists read from a postings file (ours, and Whoosh's in older indexes).
LEAF_MATCHERS = (_LeafMatcher, W3LeafMatcher)


class _InlinedMatcher(ListMatcher):
    """Whoosh's matcher of a term's postings inlined in its entry (the terms
    of one document: this codec inlines them, Whoosh's own never does),
    whose value is bytes also for a format that stores none: Whoosh's gives
    the text ``''`` there, which the posting pool of a merge refuses
    (``index add`` merged small segments, and failed, on its sixth run)."""

    def value(self):
        return super().value() if self._values else b""


class NewsCodec(W3Codec):
    def __init__(self, blocklimit=128, compression=3, inlinelimit=INLINE_POSTINGS):
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)

    def field_writer(self, storage, segment):
        return _BlockFieldWriter(self, storage, segment)

    def per_document_reader(self, storage, segment):
        return _MappedPerDocReader(storage, segment)

    def terms_reader(self, storage, segment):
        terms = segment.make_filename(self.TERMS_EXT)
        postings = segment.make_filename(self.POSTS_EXT)
        return _TermsReader(self, _mapped(storage, terms), storage.file_length(terms), _mapped(storage, postings))

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        if terminfo.is_inlined():
            ids, weights, values = terminfo.inlined_postings()
            return _InlinedMatcher(ids, weights, values, format_, scorer=scorer, term=term, terminfo=terminfo)
        offset, length = terminfo.extent()
        return _LeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)

    def postings_writer(self, dbfile, byteids=False):
        return _InliningPostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )

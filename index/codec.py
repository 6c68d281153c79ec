"""The codec the index is written with: Whoosh's own (``W3Codec``), with the
postings of terms found in a single document stored inline in the term's
entry instead of a block of their own in the postings file.

Whoosh means to do this (its ``inlinelimit``), but in whoosh3 3.54 the inline
branch calls a method that does not exist (``set_inline`` for
``set_inlined``) and the default limit makes it unreachable, so every term,
however rare, pays for a pickled block and its header.  Most terms of a news
index occur in one document only (names, numbers, rare inflections).  Whoosh
reads inlined postings back through its ``postings_reader`` as it always
has; the scores are the same.  Segments record their codec (pickled by
reference to this module), so indexes written before this codec still read
with Whoosh's.
"""

from whoosh.codec.whoosh3 import W3Codec, W3PostingsWriter

#: Terms with at most this many postings are stored inline.
INLINE_POSTINGS = 1


class _InliningPostingsWriter(W3PostingsWriter):
    def finish_postings(self):
        terminfo = self._terminfo
        if not self.written() and len(self) <= self._inlinelimit:
            terminfo.add_block(self)
            terminfo.set_inlined(self._ids, self._weights, self._values)
            self._terminfo = None
            return terminfo
        return super().finish_postings()


class NewsCodec(W3Codec):
    def __init__(self, blocklimit=128, compression=3, inlinelimit=INLINE_POSTINGS):
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)

    def postings_writer(self, dbfile, byteids=False):
        return _InliningPostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )

"""Posting formats of our own fields.

The names field holds a tenth of a news index's postings and was stored with
Whoosh's ``Frequency`` format: four bytes per posting, and no positions.  The
passages of a result are found from the positions of its terms
(:mod:`search.highlight`), so the names field needs them too; Whoosh's
``Positions`` encodes them as a count and a pickled list of deltas (about
fourteen bytes for one position), which would have grown the index by a
fifteenth.  :class:`VarintPositions` writes the deltas alone, seven bits a
byte: one or two bytes for most postings, fewer than ``Frequency`` took.
"""

from whoosh.formats import Positions


class VarintPositions(Positions):
    """Whoosh's ``Positions`` (frequency, weight, positions), each posting's
    value the deltas between its positions as unsigned LEB128 numbers: a byte
    with its top bit clear ends each number, so their count is the frequency."""

    def encode(self, poslist):
        encoded = bytearray()
        base = 0
        for pos in poslist:
            delta, base = pos - base, pos
            while delta >= 0x80:
                encoded.append(delta & 0x7F | 0x80)
                delta >>= 7
            encoded.append(delta)
        return bytes(encoded)

    def decode_positions(self, valuestring):
        positions = []
        position = delta = shift = 0
        for byte in valuestring:
            delta |= (byte & 0x7F) << shift
            if byte & 0x80:
                shift += 7
            else:
                position += delta
                positions.append(position)
                delta = shift = 0
        return positions

    def decode_frequency(self, valuestring):
        return sum(1 for byte in valuestring if byte < 0x80)

"""The names field's positions, seven bits a byte, read back as Whoosh's ``Positions`` reads its own."""

import pytest
from whoosh.formats import Positions
from whoosh.system import pack_uint

from index.formats import VarintPositions

ROWS = [
    # positions → encoded bytes
    ([0], b"\x00"),
    ([5], b"\x05"),
    ([127], b"\x7f"),
    ([128], b"\x80\x01"),
    ([0, 1, 2], b"\x00\x01\x01"),
    ([3, 200, 20_000], b"\x03\xc5\x01\xd8\x9a\x01"),
    ([16_383, 16_384, 3_000_000], b"\xff\x7f\x01\xc0\x8d\xb6\x01"),
    ([], b""),
]


@pytest.mark.parametrize("positions,encoded", ROWS)
def test_positions_round_trip(positions, encoded):
    fmt = VarintPositions(field_boost=2.0)
    assert fmt.encode(positions) == encoded
    assert fmt.decode_positions(encoded) == positions
    assert fmt.decode_frequency(encoded) == len(positions)
    assert fmt.decode_weight(encoded) == 2.0 * len(positions)
    assert fmt.decode_position_boosts(encoded) == [(position, 1) for position in positions]


def test_it_is_whooshs_positions_in_fewer_bytes_than_its_frequencies():
    fmt = VarintPositions()
    assert fmt.supports("positions") and fmt.supports("frequency")
    for positions in ([7], [1, 90], [300]):
        # (Whoosh's frequency: four bytes, whatever the count)
        assert len(fmt.encode(positions)) < len(pack_uint(len(positions))) < len(Positions().encode(positions))
    # merging segments combines a document's values as Whoosh does
    assert fmt.decode_positions(fmt.combine([fmt.encode([1, 9]), fmt.encode([4])])) == [1, 4, 9]

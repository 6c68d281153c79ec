"""Whether two indexes of the same corpus hold the same index: every term of
every field with its document frequency, every posting (each document by its
``id``, with its weight and its encoded value: positions or frequency), each
document's field lengths, and every stored field.

    .venv/bin/python bench/compare_indexes.py INDEX_DIR_A INDEX_DIR_B

Prints the counts compared and the first differences; exits 1 if there are any.
Indexes built with different numbers of workers have other segments, so their
postings are compared by document id, not by document number.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from index.store import IndexStore  # noqa: E402

SHOWN = 10


def _contents(reader):
    """``(stored, lengths, terms)``: stored fields and field lengths by document id, and
    ``{(field, term): (doc frequency, {document id: (weight, value)})}``."""
    ids = {}
    stored = {}
    lengths = {}
    scorable = [name for name, field in reader.schema.items() if field.scorable]
    for docnum, fields in reader.iter_docs():
        ids[docnum] = fields["id"]
        stored[fields["id"]] = fields
        lengths[fields["id"]] = {name: reader.doc_field_length(docnum, name, 0) for name in scorable}
    terms = {}
    for fieldname, text in reader.all_terms():
        postings = {}
        matcher = reader.postings(fieldname, text)
        while matcher.is_active():
            postings[ids[matcher.id()]] = (matcher.weight(), matcher.value())
            matcher.next()
        terms[(fieldname, text)] = (reader.doc_frequency(fieldname, text), postings)
    return stored, lengths, terms


def compare(dir_a, dir_b):
    """``(counts, differences)`` between the live indexes in ``dir_a`` and ``dir_b``."""
    contents = []
    for directory in (dir_a, dir_b):
        ix = IndexStore(directory).open_live()
        with ix.reader() as reader:
            contents.append(_contents(reader))
            field_names = sorted(reader.schema.names())
        ix.close()
    (stored_a, lengths_a, terms_a), (stored_b, lengths_b, terms_b) = contents
    differences = []
    for what, a, b in (("stored fields", stored_a, stored_b), ("field lengths", lengths_a, lengths_b), ("terms", terms_a, terms_b)):
        for key in sorted(a.keys() | b.keys(), key=repr):
            if a.get(key) != b.get(key):
                differences.append(f"{what} {key!r}: {str(a.get(key))[:200]} / {str(b.get(key))[:200]}")
    counts = {
        "fields": len(field_names),
        "documents": len(stored_a),
        "terms": len(terms_a),
        "postings": sum(len(postings) for _, postings in terms_a.values()),
    }
    return counts, differences


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index_a")
    parser.add_argument("index_b")
    args = parser.parse_args(argv)
    counts, differences = compare(args.index_a, args.index_b)
    print(", ".join(f"{n:,} {what}" for what, n in counts.items()), "compared")
    for line in differences[:SHOWN]:
        print(line)
    print(f"{len(differences):,} differences")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())

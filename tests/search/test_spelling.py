"""The filters of spelling candidates (the letter masks, the bit-parallel edit distance) never rule out a word Whoosh would find."""

import random

import pytest
from whoosh.support.levenshtein import damerau_levenshtein

from search.spelling import bit_parallel_distance, letter_mask, pattern_bits


def optimal_string_alignment(a, b):
    """The textbook dynamic programme: Levenshtein with adjacent transpositions as one edit."""
    d = [[i + j if not i * j else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1]


def edited(rng, word, letters):
    """``word`` after up to three random substitutions, insertions, deletions and swaps."""
    chars = list(word)
    for _ in range(rng.randint(0, 3)):
        edit = rng.randrange(4)
        if edit == 0 and chars:
            chars[rng.randrange(len(chars))] = rng.choice(letters)
        elif edit == 1:
            chars.insert(rng.randint(0, len(chars)), rng.choice(letters))
        elif edit == 2 and chars:
            del chars[rng.randrange(len(chars))]
        elif edit == 3 and len(chars) > 1:
            i = rng.randrange(len(chars) - 1)
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
    return "".join(chars)


@pytest.mark.parametrize("letters", ["ab", "abcd", "aáeéköő", "αάβγδεέ", "абвгдеё"])
def test_bit_parallel_distance_is_the_optimal_string_alignment(letters):
    rng = random.Random(6)
    for _ in range(3000):
        a = "".join(rng.choice(letters) for _ in range(rng.randint(0, 12)))
        b = edited(rng, a, letters)
        distance = bit_parallel_distance(pattern_bits(a), len(a), b)
        assert distance == optimal_string_alignment(a, b), (a, b)
        for limit in (1, 2):
            # what Whoosh accepts, the filter lets through
            assert damerau_levenshtein(b, a, limit=limit) > limit or distance <= limit, (a, b)


def test_known_distances():
    for a, b, expected in [("kasse", "kasse", 0), ("kasse", "kassa", 1), ("kasse", "aksse", 1), ("kurks", "kursk", 1),
                           ("", "abc", 3), ("abc", "", 3), ("pjöngjanb", "pjöngjang", 1), ("ca", "abc", 3)]:  # fmt: skip
        assert bit_parallel_distance(pattern_bits(a), len(a), b) == expected, (a, b)


@pytest.mark.parametrize("letters", ["abcd", "aáeéköő", "αάβγδεέςή", "абвгдеёжзий", "aαа"])
def test_letter_masks_of_words_within_n_edits_differ_in_at_most_2n_bits(letters):
    rng = random.Random(7)
    ruled_out = 0
    for _ in range(3000):
        a = "".join(rng.choice(letters) for _ in range(rng.randint(0, 12)))
        b = edited(rng, a, letters)
        bits = (letter_mask(a) ^ letter_mask(b)).bit_count()
        distance = optimal_string_alignment(a, b)
        assert bits <= 2 * distance, (a, b)
        ruled_out += bits > 2 and distance > 1
    assert ruled_out  # the bound is not vacuous: some words two or more edits away are ruled out


def test_letter_masks_rule_out_unrelated_words():
    # what the filter is for: most words of the same length and first letter are ruled out at once
    assert (letter_mask("verteidigung") ^ letter_mask("vorsitzender")).bit_count() > 4
    assert (letter_mask("belousov") ^ letter_mask("belousow")).bit_count() == 2


@pytest.fixture(scope="module")
def segmented_reader(tmp_path_factory):
    """Three segments of Greek, German and Cyrillic words, as an index built with workers has."""
    from whoosh import fields, index

    words = ["korea", "koreas", "kursk", "kurszk", "käse", "kasse", "κορέα", "κουρσκ", "курск", "корея", "ё", "z"]
    ix = index.create_in(str(tmp_path_factory.mktemp("vocabulary")), fields.Schema(a=fields.TEXT(phrase=False), b=fields.TEXT(phrase=False)))
    rng = random.Random(8)
    for _ in range(3):
        writer = ix.writer()
        for _ in range(10):
            writer.add_document(a=" ".join(rng.sample(words, 4)), b=" ".join(rng.sample(words[:6], 2)))
        writer.commit(merge=False)
    with ix.searcher() as searcher:
        yield searcher.reader()


def test_warm_up_reads_every_letter_as_a_query_would(segmented_reader):
    from search.spelling import Vocabulary

    warmed, cold = Vocabulary(segmented_reader), Vocabulary(segmented_reader)
    letters = {(name, text[:1]) for name in ("a", "b") for text in map(bytes.decode, segmented_reader.lexicon(name))}
    assert warmed.warm_up(["a", "b", "not a field"]) == len(letters)
    assert set(warmed._lists) == letters
    for name, first in sorted(letters):
        assert warmed.by_length(name, first) == cold.by_length(name, first), (name, first)
    assert warmed.within("a", "kurks", 1) == cold.within("a", "kurks", 1) == ["kursk"]


def test_warm_up_keeps_the_largest_letters_when_they_do_not_all_fit(segmented_reader, monkeypatch):
    from search import spelling

    monkeypatch.setattr(spelling, "CACHED_LETTERS", 2)
    vocabulary = spelling.Vocabulary(segmented_reader)
    assert vocabulary.warm_up(["a"]) == 2
    # "a" has six words with k, then two each with κ and к: the second list kept may be either
    assert ("a", "k") in vocabulary._lists and len(vocabulary._lists) == 2


def test_warm_up_stops_after_the_field_that_reaches_its_budget(segmented_reader, monkeypatch):
    from search import spelling

    monkeypatch.setattr(spelling, "WARM_UP_WORDS", 1)
    vocabulary = spelling.Vocabulary(segmented_reader)
    vocabulary.warm_up(["a", "b"])
    # the whole of the first field, none of the second: no letter is read in part
    assert {name for name, _ in vocabulary._lists} == {"a"}
    assert vocabulary.by_length("b", "k") == spelling.Vocabulary(segmented_reader).by_length("b", "k")

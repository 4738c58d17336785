"""The same-quote rule (annotations.curation), edge cases included."""

import pytest

from annotations.curation import best_match, content_overlap, is_same_quote, match_share


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ([(10, 60)], [(10, 60)], True),  # identical
        ([(10, 60)], [(10, 58)], True),  # trimmed by a comma
        ([(10, 60)], [(12, 40)], True),  # 28 of 50 characters: more than half of the longer
        ([(10, 60)], [(12, 30)], False),  # a short quote nested in a long one is another quote
        ([(10, 30), (40, 60)], [(10, 60)], True),  # the same words split by the attribution, or taken whole
        ([(10, 60)], [(60, 90)], False),  # touching is not overlapping
        ([(10, 60)], [(35, 85)], True),  # exactly half: same
        ([(10, 60)], [(36, 86)], False),  # just under half
    ],
)
def test_same_quote(a, b, same):
    assert is_same_quote(a, b) is same
    assert is_same_quote(b, a) is same  # symmetric


def test_overlap_counts_characters_over_every_span():
    assert content_overlap([(0, 10), (20, 30)], [(5, 25)]) == 10
    assert match_share([], [(0, 5)]) == 0.0


def test_best_match_takes_the_largest_share_then_the_lowest_key():
    assert best_match([(10, 60)], [(7, [(12, 40)]), (3, [(10, 59)]), (5, [(10, 59)])]) == 3
    assert best_match([(10, 60)], [(1, [(100, 200)])]) is None

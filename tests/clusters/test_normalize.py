import pytest

from clusters import grouping, sketch
from tests.clusters.texts import BRIDGE, STOCK, USES_A, USES_B
from text.fingerprint import (
    SAME_QUOTE_THRESHOLD,
    belongs_to,
    is_short,
    normalize_quote,
    part_of,
    resemblance,
    same_quote,
    shingles,
)

BASE = (
    "The committee will meet again next week to decide whether the new rules on border crossings "
    "should apply to every state in the country"
)


def s(text: str) -> frozenset[int]:
    return shingles(normalize_quote(text))


@pytest.mark.parametrize(
    "variant",
    [
        "“The committee will meet again next week to decide whether the new rules on border crossings "
        "should apply to every state in the country.”",
        "THE COMMITTEE — will meet again, next week; to decide whether the new rules on border-crossings "
        "should apply to every state in the country!",
        "The committee will meet again next week … to decide whether the new rules on border crossings "
        "should apply to every state in the country",
        "‘The committee will   meet again\nnext week to decide whether the new rules on border crossings "
        "should apply to every state in the country...’",
    ],
)
def test_exact_after_normalization(variant):
    assert normalize_quote(variant) == normalize_quote(BASE)


def test_normalization_rules():
    assert normalize_quote("“Don’t” «stop» „now“ ... OK…") == "dont stop now ok"
    assert normalize_quote("  ") == ""
    assert normalize_quote("L’école d’été") == "lécole dété"


def test_trimmed_quote_joins():
    words = BASE.split()
    assert resemblance(s(" ".join(words[4:-3])), s(BASE)) == 1.0


def test_one_word_changed_joins():
    assert same_quote(s(BASE.replace("decide", "consider")), s(BASE))


def test_words_inserted_joins():
    assert same_quote(s(BASE.replace("new rules", "new and tougher rules")), s(BASE))


def test_split_parts_join_the_whole():
    words = BASE.split()
    first, second = " ".join(words[:11]), " ".join(words[11:])
    assert same_quote(s(first), s(BASE)) and same_quote(s(second), s(BASE))


def test_common_phrase_does_not_join_different_quotes():
    a = "We will not back down, and we will keep the plant open until the owners come back to the table."
    b = "The mayor insisted that we will not back down on the housing plan, whatever the council decides next spring."
    assert resemblance(s(a), s(b)) < SAME_QUOTE_THRESHOLD
    # nor does the phrase alone pull either in
    assert not same_quote(s("We will not back down."), s(a))
    assert not same_quote(s("We will not back down."), s(b))


def test_a_short_quote_that_is_mostly_a_stock_phrase_is_no_hub():
    # 1M benchmark: "x we will not back down y" (5 shingles, 3 of them the phrase) scored 0.6 by containment
    # against every quote using the phrase, and chained hundreds of different quotes into one cluster.
    hub = s("Anzuorti we will not back down annole")
    for other in (
        "Ancisi we will not back down peza antupe anbemado anbasepo anpoku gila begeanga bakadoga",
        "Dime ancapoki anbu anbuge an anbi ananno anbito angelu zodohabu ananno we will not back down",
    ):
        assert not same_quote(hub, s(other))


def test_short_quotes_compare_by_jaccard():
    assert same_quote(s("Yes."), s("yes!"))
    assert not same_quote(s("Yes we can"), s("Yes we can do it, said the leader again today"))


def test_vectorized_signatures_equal_datasketch():
    sets = [s(BASE), s("a b"), s("one two three four"), s(BASE.upper())]
    sigs = sketch.signatures(sets)
    for row, shingle_set in zip(sigs, sets, strict=True):
        assert (sketch.minhash(shingle_set).hashvalues == row).all()
    assert sketch.band_keys(sigs).shape == (4, sketch.BANDS)


def test_group_texts_components():
    words = BASE.split()
    texts = [
        BASE,
        "We will not back down, and we will keep the plant open until the owners come back to the table.",
        " ".join(words[:11]),
        BASE.replace("decide", "consider"),
        "The mayor insisted that we will not back down on the housing plan, whatever the council decides.",
        " ".join(words[11:]),
        "",
    ]
    labels = grouping.group_texts([normalize_quote(t) for t in texts]).labels
    assert labels == [0, 1, 0, 0, 4, 0, 6]


def n(text: str) -> str:
    return normalize_quote(text)


def labels(*texts: str) -> list[int]:
    return grouping.group_texts([n(t) for t in texts]).labels


def test_a_short_part_is_a_run_of_at_least_six_consecutive_words():
    words = BASE.split()
    assert part_of(n(" ".join(words[:6]) + ","), n(BASE))
    assert part_of(n(" ".join(words[9:15]) + "!"), n(BASE))
    assert not part_of(n(" ".join(words[:5])), n(BASE))  # five words: too short to tell from a phrase
    assert not part_of(n(" ".join(words[:3] + words[4:8])), n(BASE))  # a word left out: not a run
    assert not part_of("committee will meet again next week", "the committee will meet again next weekend")
    assert is_short(s(STOCK)) and is_short(s(" ".join(words[:7]))) and not is_short(s(" ".join(words[:8])))
    assert belongs_to(n(STOCK), s(STOCK), n(USES_A), s(USES_A))
    assert belongs_to(n(STOCK), s(STOCK), n(USES_B), s(USES_B))
    assert not same_quote(s(STOCK), s(USES_A))  # by the score alone it would not join


def test_a_short_part_of_a_split_quote_joins_its_whole():
    words = BASE.split()
    # split after six words: the first part (4 shingles) is too short for the score, but is a run of the whole
    assert labels(BASE, " ".join(words[:6]) + ",", " ".join(words[6:]) + ".") == [0, 0, 0]
    assert labels(" ".join(words[-6:]), BASE) == [0, 0]  # trimmed to its last six words
    assert labels(BASE, " ".join(words[:5])) == [0, 1]


def test_a_short_text_in_quotes_of_two_clusters_joins_neither_and_links_neither():
    assert labels(STOCK, USES_A) == [0, 0]  # a part of one quote only: it joins it
    assert labels(USES_A, STOCK, USES_B) == [0, 1, 2]  # a phrase of two different quotes: alone
    # once a quote repeats the rest of both (they are one cluster), the short text joins that cluster
    assert labels(USES_A, STOCK, USES_B, BRIDGE) == [0, 0, 0, 0]
    assert labels(BRIDGE, STOCK) == [0, 1]  # the bridge does not hold the phrase


def test_short_texts_are_not_compared_with_each_other():
    # "X we will not back down" and "we will not back down Y" share 3 of 5 shingles (Jaccard 0.6): alike by
    # the score, but two short texts only join through a longer quote they both belong to
    x, y = "Ansela we will not back down", "We will not back down, dobanu"
    assert same_quote(s(x), s(y))
    assert labels(x, y) == [0, 1]
    assert labels(x, y, x.upper()) == [0, 1, 0]  # exact copies are one text

import pytest

from clusters import grouping, sketch
from text.fingerprint import SAME_QUOTE_THRESHOLD, normalize_quote, resemblance, same_quote, shingles

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

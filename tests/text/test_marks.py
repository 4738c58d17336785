import pytest

from text.marks import CLOSING_MARKS, EDGE_MARKS, OPENING_MARKS, find_runs, includes_own_marks, trim


@pytest.mark.parametrize("mark", ["’", "”", "»", "›", '"', "'", "」", "』"])
def test_every_closing_mark_at_the_end_breaks_the_content_rule(mark):
    assert includes_own_marks("We will act" + mark, "direct")


@pytest.mark.parametrize("mark", ["‘", "“", "„", "«", "‹", "‚", '"', "'", "「", "『"])
def test_every_opening_mark_at_the_start_breaks_the_content_rule(mark):
    assert includes_own_marks(mark + "We will act", "indirect")


def test_words_with_inner_marks_and_apostrophes_keep_the_rule():
    assert not includes_own_marks("We shouldn’t “wait” for Trump’s plan", "direct")
    assert not includes_own_marks("", "direct")


def test_a_mixed_quote_may_end_with_its_paired_fragment():
    assert not includes_own_marks("he wanted a “tougher direction.”", "mixed")
    assert includes_own_marks("he wanted a tougher direction.”", "mixed")  # unpaired: the quote's own mark
    assert includes_own_marks("he wanted a “tougher direction.”", "direct")


def test_one_set_what_the_extractor_trims_is_what_the_rule_refuses():
    assert set(EDGE_MARKS) == set(OPENING_MARKS) | set(CLOSING_MARKS)
    for mark in EDGE_MARKS:
        assert trim(f"{mark}words{mark}", 0, 7) == (1, 6)


def test_single_curly_marks_pair_and_apostrophes_do_not_close():
    text = "She said ‘we shouldn’t wait’ and left."
    (run,) = find_runs(text)
    assert text[run.start : run.end] == "we shouldn’t wait"
    assert not includes_own_marks(text[run.start : run.end], "direct")

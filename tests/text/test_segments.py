from text.segments import Highlight, segments


def test_crossing_highlights_are_cut_so_marks_nest():
    text = "abcdefghij"
    out = segments(text, [Highlight(2, 6, "a"), Highlight(4, 8, "b")])
    assert [(s.text, [m.css for m in s.marks]) for s in out] == [
        ("ab", []),
        ("cd", ["a"]),
        ("ef", ["a", "b"]),
        ("gh", ["b"]),
        ("ij", []),
    ]
    assert "".join(s.text for s in out) == text


def test_a_window_clips_highlights_and_inner_mark_gives_the_kind():
    text = "0123456789"
    out = segments(text, [Highlight(0, 9, "quote", rank=1), Highlight(3, 5, "cue", rank=2)], start=2, end=7)
    assert [(s.text, s.kind, s.start) for s in out] == [("2", "quote", 2), ("34", "cue", 3), ("56", "quote", 5)]


def test_anchor_goes_to_the_first_segment_only_and_bad_spans_are_dropped():
    text = "😀 שלום world"
    out = segments(text, [Highlight(0, 6, "q", anchor="q-1"), Highlight(2, 4, "e"), Highlight(5, 99, "x")])
    anchors = [m.anchor for s in out for m in s.marks if m.css == "q"]
    assert anchors == ["q-1", "", ""] and "".join(s.text for s in out) == text

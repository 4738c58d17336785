from text.sentences import paragraphs, sentence_bounds, sentences


def test_an_honorific_does_not_end_a_sentence():
    body = "Mr. Trump said the plan would work. Dr. Lee disagreed."
    assert [body[s:e] for s, e in sentences(body)] == ["Mr. Trump said the plan would work.", "Dr. Lee disagreed."]


def test_sentence_bounds_keep_mr_trump_with_his_sentence():
    body = "The vote came late.\nMr. Trump said the plan would work. Dr. Lee disagreed."
    start = body.index("plan")
    left, right = sentence_bounds(body, start, start + 4)
    assert body[left:right] == "Mr. Trump said the plan would work."


def test_sentence_bounds_cover_every_sentence_the_span_touches_and_stay_in_the_paragraph():
    body = "First one. Second “quoted.” Third one.\nNext paragraph."
    start, end = body.index("Second"), body.index("Third") + 3
    assert body[slice(*sentence_bounds(body, start, end))] == "Second “quoted.” Third one."
    assert body[slice(*sentence_bounds(body, len(body) - 3, len(body)))] == "Next paragraph."


def test_sentences_never_cross_paragraphs_and_skip_blank_lines():
    body = "One line without a stop\n\n  \nTwo. Three"
    assert paragraphs(body) == [(0, 23), (28, 38)]
    assert [body[s:e] for s, e in sentences(body)] == ["One line without a stop", "Two.", "Three"]

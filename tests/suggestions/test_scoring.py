from suggestions.scoring import Item, score, speakers_agree


def test_overlap_is_shared_characters_over_gold_characters():
    gold = [Item([(0, 10)], "A")]
    assert score([Item([(0, 3)], "A")], gold).matched == {0.3: 1, 0.8: 0}
    assert score([Item([(0, 8)], "A")], gold).matched == {0.3: 1, 0.8: 1}
    assert score([Item([(0, 2)], "A")], gold).matched == {0.3: 0, 0.8: 0}
    # a longer suggestion covering the gold quote matches fully (overlap measured on gold)
    assert score([Item([(0, 100)], "A")], gold).matched == {0.3: 1, 0.8: 1}


def test_one_to_one_matching_and_figures():
    gold = [Item([(0, 10)], "A"), Item([(20, 30)], "B"), Item([(40, 50)], "C")]
    predicted = [Item([(0, 10)], "A"), Item([(1, 9)], "A"), Item([(20, 30)], "X")]
    figures = score(predicted, gold).figures()
    assert figures["0.3"] == {"precision": 66.7, "recall": 66.7, "f1": 66.7, "matched": 2}
    assert figures["speaker_accuracy"] == 50.0


def test_split_spans_count_their_characters_only():
    gold = [Item([(0, 5), (10, 15)], "A")]
    assert score([Item([(0, 5)], "A")], gold).matched[0.3] == 1
    assert score([Item([(5, 10)], "A")], gold).matched[0.3] == 0


def test_speakers_agree_on_normalized_names_and_aliases():
    assert speakers_agree("Mr. Trump", Item([], "mr trump"))
    assert speakers_agree("Trump", Item([], "Donald Trump", ("Trump",)))
    assert not speakers_agree("Jane Doe", Item([], "John Roe"))
    assert not speakers_agree(None, Item([], "John Roe"))
    assert speakers_agree(None, Item([], None))


def test_figures_by_kind_count_each_side_with_its_own_kind():
    gold = [Item([(0, 10)], "A", kind="direct"), Item([(20, 30)], "B", kind="mixed"), Item([(40, 50)], kind="mixed")]
    predicted = [Item([(0, 10)], "A", kind="direct"), Item([(20, 30)], "B", kind="indirect")]
    by_kind = score(predicted, gold).figures()["by_kind"]
    assert by_kind["direct"] == {
        "gold": 1,
        "suggestions": 1,
        "0.3": {"precision": 100.0, "recall": 100.0},
        "0.8": {"precision": 100.0, "recall": 100.0},
    }
    assert by_kind["mixed"]["gold"] == 2 and by_kind["mixed"]["0.3"] == {"precision": None, "recall": 50.0}
    assert by_kind["indirect"]["suggestions"] == 1 and by_kind["indirect"]["0.3"] == {
        "precision": 100.0,
        "recall": None,
    }


def test_boundary_precision_is_predicted_characters_inside_the_gold_span():
    gold = [Item([(0, 10)], "A"), Item([(20, 30)], "B")]
    # 10 of 15 predicted characters inside the first gold quote, 5 of 5 inside the second
    predicted = [Item([(0, 15)], "A"), Item([(22, 27)], "B"), Item([(60, 70)], "C")]
    figures = score(predicted, gold).figures()
    assert figures["boundary_precision"] == 75.0
    total = score(predicted[:1], gold[:1])
    total.add(score(predicted[1:], gold[1:]))
    assert total.figures()["boundary_precision"] == 75.0
    assert score([], gold).figures()["boundary_precision"] is None

"""Issue 13: cue groups, noun "state", page furniture, wire datelines. Exact offsets and speakers."""

import pytest

from suggestions.extractor import extract
from suggestions.extractor.cues import CUE_GROUPS, CUE_VERBS


def one(text):
    found = extract(text)
    assert len(found) == 1, [s.as_dict() for s in found]
    return found[0].as_dict()


def test_every_cue_lemma_is_in_exactly_one_group():
    grouped = [lemma for lemmas in CUE_GROUPS.values() for lemma in lemmas]
    assert sorted(grouped) == sorted(CUE_VERBS) and len(grouped) == len(set(grouped))


@pytest.mark.parametrize("group", sorted(CUE_GROUPS))
def test_each_group_cues_reported_speech(group):
    for lemma in CUE_GROUPS[group]:
        forms = CUE_VERBS[lemma]
        past = forms[2] if len(forms) > 2 else forms[-1]
        text = f"Anna Lee {past} that the plant would close."
        s = one(text)
        assert (s["kind"], s["speaker"]) == ("indirect", "Anna Lee"), lemma
        assert text[slice(*s["spans"][0])] == "the plant would close", lemma


def test_joked_and_alerted():
    assert one("He joked that his staff charged him rent.")["spans"] == [[14, 40]]
    s = one("Officials alerted parents on Tuesday that a child had measles.")
    assert s == {
        "kind": "indirect",
        "spans": [[42, 61]],
        "cue": [10, 17],
        "speaker": "Officials",
        "speaker_mention": [0, 9],
    }


def test_page_furniture_after_a_colon_is_not_a_quote():
    text = "Credit: Parliament TV\n\nPublished: 14 March 2024\n\nAnna Lee: We will act."
    s = one(text)
    assert (s["spans"], s["speaker"]) == ([[text.index("We will"), len(text)]], "Anna Lee")


def test_wire_dateline_before_the_clause():
    text = "GENEVA, July 18 (Alpine News Service) - Heat killed 40 people, the agency said on Thursday."
    s = one(text)
    assert s["spans"] == [[40, 61]] and s["cue"] == [74, 78] and s["speaker_mention"] == [63, 73]


def test_the_noun_state_is_not_a_cue():
    text = "Voters across the state want lower taxes, Anna Lee said."
    s = one(text)
    cue = text.index("said")
    assert s["cue"] == [cue, cue + 4] and s["speaker"] == "Anna Lee" and s["spans"] == [[0, text.index(",")]]

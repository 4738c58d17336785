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


# -- Second round (issue 13): each construction of the tables, exact offsets and speaker ------


def at(text, piece, start=0):
    i = text.index(piece, start)
    return [i, i + len(piece)]


def found(text):
    return [s.as_dict() for s in extract(text)]


def test_reporting_clause_inside_another_clause():
    text = "As the mayor said on Tuesday, the bridge will reopen in May."
    assert found(text) == [
        {
            "kind": "indirect",
            "spans": [at(text, "the bridge will reopen in May")],
            "cue": at(text, "said"),
            "speaker": "the mayor",
            "speaker_mention": at(text, "the mayor"),
        }
    ]
    text = "Gov. Ana Ortiz proposed a tax plan that she said would cut bills for every family."
    (s,) = found(text)
    assert s["spans"] == [at(text, "would cut bills for every family")] and s["speaker"] == "Ana Ortiz"
    assert s["speaker_mention"] == at(text, "she")


def test_allegations_that_has_no_named_speaker():
    text = "The hearing was told of allegations that inspectors ignored three warnings about the dam."
    (s,) = found(text)
    assert s["kind"] == "indirect" and s["speaker"] is None
    assert s["spans"] == [at(text, "inspectors ignored three warnings about the dam")]
    assert extract(text)[0].rule == "claim_noun"


def test_quoted_fragment_with_no_reporting_verb():
    text = 'Rep. Mia Clark called the deal a "giveaway" that would cost taxpayers billions.'
    (s,) = found(text)
    assert s == {
        "kind": "mixed",
        "spans": [at(text, 'the deal a "giveaway" that would cost taxpayers billions')],
        "cue": at(text, "called"),
        "speaker": "Mia Clark",
        "speaker_mention": at(text, "Rep. Mia Clark"),
    }
    # a place after the name is not the speaker
    text = 'Sen. Ruth Cole of Ohio dismissed the offer as "a rounding error" on Monday.'
    (s,) = found(text)
    assert s["speaker"] == "Ruth Cole" and s["spans"] == [at(text, 'the offer as "a rounding error" on Monday')]


def test_subject_separated_from_its_cue():
    text = "The airline offered few details but said it would refund every passenger."
    (s,) = found(text)
    assert s["spans"] == [at(text, "it would refund every passenger")] and s["cue"] == at(text, "said")
    assert s["speaker"] == "airline" and s["speaker_mention"] == at(text, "The airline")


def test_nested_attribution_is_one_quote_of_the_outer_speaker():
    text = 'The witness testified that the mayor told him the permit would go to "a friend of the family" instead.'
    (s,) = found(text)
    assert s["kind"] == "mixed" and s["speaker"] == "witness" and s["cue"] == at(text, "testified")
    assert s["spans"] == [at(text, 'the mayor told him the permit would go to "a friend of the family" instead')]


def test_second_quote_in_the_same_sentence():
    text = "The coach confirmed that the captain was fit but said the striker would miss the match."
    first, second = found(text)
    assert first["spans"] == [at(text, "the captain was fit")] and first["speaker"] == "The coach"
    assert second["spans"] == [at(text, "the striker would miss the match")] and second["speaker"] == "The coach"
    assert second["cue"] == at(text, "said")
    # a "that" complement before "but denied": the second cue is part of the reported content
    text = "Ms Hale said her client accepted that money was missing but denied that she took it."
    (s,) = found(text)
    assert s["spans"] == [at(text, "her client accepted that money was missing but denied that she took it")]


def test_continuation_paragraph_of_a_multi_paragraph_quote():
    text = '"We will not stop," Kim Reyes said. "Not this year.\n\n"Not next year either."'
    first, second = found(text)
    assert first["spans"] == [at(text, "We will not stop,")] and first["speaker"] == "Kim Reyes"
    assert second["spans"] == [at(text, "Not this year."), at(text, "Not next year either.")]
    assert second["speaker"] == "Kim Reyes" and second["cue"] is None


def test_time_word_after_a_clause_final_cue():
    text = "At least nine people were hurt in the crash, police officials said Sunday."
    (s,) = found(text)
    assert s["spans"] == [at(text, "At least nine people were hurt in the crash")]
    assert s["speaker"] == "police officials" and s["cue"] == at(text, "said")


def test_speaker_noun_phrases():
    text = "Officials with the agency said the vaccine supply would last until June."
    (s,) = found(text)
    assert s["speaker"] == "Officials with the agency" and s["speaker_mention"] == at(text, "Officials with the agency")
    text = "Farmers have been told to expect a dry summer. Most said they would plant less wheat."
    (s,) = found(text)
    assert s["speaker"] == "Farmers" and s["speaker_mention"] == at(text, "Most")
    assert s["spans"] == [at(text, "they would plant less wheat")]
    text = "The nurses' union said its members would strike on Friday."
    (s,) = found(text)
    assert s["speaker"] == "nurses' union" and s["spans"] == [at(text, "its members would strike on Friday")]
    text = "Public health officials in Ohio said the outbreak was over."
    (s,) = found(text)
    assert s["speaker"] == "Public health officials" and s["spans"] == [at(text, "the outbreak was over")]


def test_other_cues_after_the_clause():
    text = "The ruling violates the First Amendment, a federal appeals court ruled Wednesday."
    (s,) = found(text)
    assert s["spans"] == [at(text, "The ruling violates the First Amendment")] and s["cue"] == at(text, "ruled")
    assert s["speaker"] == "federal appeals court"
    text = "Ministers have promised to build 300,000 homes a year."
    (s,) = found(text)
    assert s["spans"] == [at(text, "to build 300,000 homes a year")] and s["speaker"] == "Ministers"


def test_pronoun_agrees_in_gender():
    text = (
        "Lisa Moran told the inquest that the road was unlit. Her brother, Mr Moran, had complained twice. "
        '"They ignored us," she said.'
    )
    first, second = found(text)
    assert second["spans"] == [at(text, "They ignored us,")] and second["speaker"] == "Lisa Moran"
    assert second["speaker_mention"] == at(text, "she", text.index("ignored"))
    # the nearest name is a man's: "she" skips it
    text = (
        'Karen Bell told the court that the van was stolen. The driver, Mark Stone, was not there. "He lied," she said.'
    )
    first, second = found(text)
    assert second["spans"] == [at(text, "He lied,")] and second["speaker"] == "Karen Bell"


def test_pronoun_never_resolves_to_a_place_nor_a_name_inside_a_quote():
    text = 'Senator Paul Reed spoke to reporters on Capitol Hill. "The vote is on Friday," he said.'
    (s,) = found(text)
    assert s["speaker"] == "Paul Reed" and s["speaker_mention"] == at(text, "he", text.index(" he said"))
    text = 'Jo Eklund said defender Marcus Lee would start. "We are ready," he said.'
    first, second = found(text)
    assert first["speaker"] == second["speaker"] == "Jo Eklund"


def test_description_resolves_to_the_named_person():
    text = "Rovers boss Ian Platt named his squad on Friday. The Rovers manager said the goalkeeper had a knee injury."
    (s,) = found(text)
    assert s["speaker"] == "Ian Platt" and s["speaker_mention"] == at(text, "The Rovers manager")
    assert s["spans"] == [at(text, "the goalkeeper had a knee injury")]


def test_follow_on_quote_takes_the_speaker_of_the_reported_quote_before_it():
    text = 'The bill will pass the Senate next week, the White House said in a statement. "The president will sign it."'
    first, second = extract(text)
    assert second.as_dict()["spans"] == [at(text, "The president will sign it.")]
    assert (second.speaker, second.rule, second.cue) == ("the White House", "direct_context", None)


def test_the_byline_is_never_a_speaker():
    text = 'By Tom Hughes\n\nThe council said the library would close. "It is a sad day," he said.'
    first, second = found(text)
    assert first["speaker"] == "council"
    assert second["spans"] == [at(text, "It is a sad day,")] and second["speaker"] is None
    text = "By Mark Ellery\n\nHartwell's, the store chain, said it would close 12 stores."
    (s,) = found(text)
    assert "Ellery" not in (s["speaker"] or "")


def test_titles_and_postnominals_are_not_part_of_the_displayed_name():
    text = "Senate Majority Leader Mark Delaney said the vote would be on Friday."
    assert found(text)[0]["speaker"] == "Mark Delaney"
    text = "Opening the case, Judith Okafor KC told the jury that the charity had been robbed."
    (s,) = found(text)
    assert s["speaker"] == "Judith Okafor" and s["spans"] == [at(text, "the charity had been robbed")]

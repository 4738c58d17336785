"""The pure-Python extractor: each pattern with its exact code-point offsets and speaker. No database."""

import ast
import pathlib

import pytest

from suggestions.extractor import CUE_VERBS, extract
from text.marks import find_runs


def at(text: str, needle: str, occurrence: int = 0) -> list[int]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    return [start, start + len(needle)]


def only(text: str, **aliases):
    found = [s.as_dict() for s in extract(text, aliases or None)]
    assert len(found) == 1, found
    return found[0]


def test_direct_quote_with_attribution_after():
    text = "“We will act,” Jane Doe said."
    assert only(text) == {
        "kind": "direct",
        "spans": [[1, 13]],
        "cue": [24, 28],
        "speaker": "Jane Doe",
        "speaker_mention": [15, 23],
    }


def test_straight_double_marks():
    text = '"We will act," Jane Doe said.'
    assert only(text)["spans"] == [[1, 13]]


def test_inverted_attribution_said_name():
    text = "Officials met on Monday. “We will act,” said Jane Doe."
    found = only(text)
    assert found["spans"] == [at(text, "We will act,")]
    assert found["cue"] == at(text, "said")
    assert found["speaker"] == "Jane Doe" and found["speaker_mention"] == at(text, "Jane Doe")


def test_apostrophes_are_not_quote_marks():
    text = "Jane Doe said: “We shouldn’t wait for Trump’s approval, and the officials’ plan won’t work.”"
    found = only(text)
    assert found["spans"] == [at(text, "We shouldn’t wait for Trump’s approval, and the officials’ plan won’t work.")]
    assert found["cue"] == at(text, "said") and found["speaker"] == "Jane Doe"


def test_single_curly_marks_pair_with_each_other_only():
    text = "‘We will act,’ Jane Doe said. Members of the ‘old guard’ shouldn’t object."
    found = only(text)
    assert found["spans"] == [[1, 13]] and found["speaker"] == "Jane Doe"
    runs = find_runs(text)
    assert [text[r.start : r.end] for r in runs] == ["We will act,", "old guard"]


def test_emoji_before_the_quote_counts_code_points():
    text = "😀🎉 “We will act,” Jane Doe said."
    found = only(text)
    # two non-BMP emoji are two code points (four UTF-16 units): the span starts at 4, not 6
    assert found["spans"] == [[4, 16]]
    assert text[4:16] == "We will act,"
    assert found["cue"] == [27, 31] and found["speaker_mention"] == [18, 26]


def test_quote_split_by_its_attribution_is_one_suggestion_with_two_spans():
    text = "“We will act,” Jane Doe said, “because we must.”"
    found = only(text)
    assert found["spans"] == [at(text, "We will act,"), at(text, "because we must.")]
    assert found["speaker"] == "Jane Doe" and found["cue"] == at(text, "said")


def test_quote_continued_after_attribution_sentence():
    text = "“They know. They know,” Mr. Smith said as he left. “They’re going to start next week.”"
    found = only(text)
    assert found["spans"] == [at(text, "They know. They know,"), at(text, "They’re going to start next week.")]
    assert found["speaker"] == "Mr. Smith" or found["speaker"] == "Smith"


def test_multi_paragraph_quote_reopens_without_closing():
    text = (
        "Mayor Jane Doe spoke on Monday.\n\n“The first part of the plan is ready.\n\n"
        "“The second part is coming soon,” she said."
    )
    found = only(text)
    assert found["spans"] == [
        at(text, "The first part of the plan is ready."),
        at(text, "The second part is coming soon,"),
    ]
    assert found["cue"] == at(text, "said") and found["speaker_mention"] == at(text, "she")
    assert found["speaker"] == "Jane Doe"


def test_unclosed_quote_that_is_not_reopened_is_dropped():
    text = "“This never closes.\n\nA new paragraph without marks, the mayor said."
    assert all("This never closes" not in text[s[0] : s[1]] for d in extract(text) for s in d.spans)


def test_mixed_quote_fragment_inside_reported_speech():
    text = "Jane Doe said the bridge would be a “total disaster” for the town."
    found = only(text)
    assert found["kind"] == "mixed"
    assert found["spans"] == [at(text, "the bridge would be a “total disaster” for the town")]
    assert found["cue"] == at(text, "said") and found["speaker"] == "Jane Doe"


def test_mixed_quote_ending_in_its_fragment_keeps_the_fragments_marks():
    text = "Mr. Smith pulled the nomination in April, saying he wanted the agency to go in a “tougher direction.”"
    found = only(text)
    assert found["kind"] == "mixed" and found["cue"] == at(text, "saying")
    assert found["spans"] == [at(text, "he wanted the agency to go in a “tougher direction.”")]


def test_scare_quotes_without_a_cue_are_not_quotes():
    text = "Critics nicknamed him the “deporter in chief” years ago."
    assert extract(text) == []


@pytest.mark.parametrize(
    "text, content, cue, mention",
    [
        ("Jane Doe said that the bridge would reopen in May.", "the bridge would reopen in May", "said", "Jane Doe"),
        ("Jane Doe said the bridge would reopen in May.", "the bridge would reopen in May", "said", "Jane Doe"),
        (
            "Jane Doe told reporters that the bridge would reopen in May.",
            "the bridge would reopen in May",
            "told",
            "Jane Doe",
        ),
        (
            "Jane Doe told reporters the bridge would reopen in May.",
            "the bridge would reopen in May",
            "told",
            "Jane Doe",
        ),
        (
            "Jane Doe said on Tuesday that the bridge would reopen in May.",
            "the bridge would reopen in May",
            "said",
            "Jane Doe",
        ),
        ("The bridge would reopen in May, Jane Doe said.", "The bridge would reopen in May", "said", "Jane Doe"),
        ("The bridge would reopen in May, said Jane Doe.", "The bridge would reopen in May", "said", "Jane Doe"),
        (
            "The bridge would reopen in May, according to Jane Doe.",
            "The bridge would reopen in May",
            "according to",
            "Jane Doe",
        ),
        (
            "According to Jane Doe, the bridge would reopen in May.",
            "the bridge would reopen in May",
            "According to",
            "Jane Doe",
        ),
        ("Jane Doe warned lawmakers that the bridge was unsafe.", "the bridge was unsafe", "warned", "Jane Doe"),
        ("Jane Doe has argued that the bridge was unsafe.", "the bridge was unsafe", "argued", "Jane Doe"),
    ],
)
def test_indirect_speech(text, content, cue, mention):
    found = only(text)
    assert found["kind"] == "indirect"
    assert found["spans"] == [at(text, content)]
    assert found["cue"] == at(text, cue)
    assert found["speaker_mention"] == at(text, mention)
    assert found["speaker"] == "Jane Doe"


def test_participle_takes_the_subject_of_the_main_clause():
    text = "Mayor Jane Doe closed the bridge in April, saying she wanted the engineers to check it again."
    found = only(text)
    assert found["spans"] == [at(text, "she wanted the engineers to check it again")]
    assert found["cue"] == at(text, "saying") and found["speaker"] == "Jane Doe"


def test_adding_continues_the_speaker_of_said():
    text = "The bridge is closed, two city officials said on Tuesday, adding that it could reopen in May."
    first, second = [s.as_dict() for s in extract(text)]
    assert first["spans"] == [at(text, "The bridge is closed")] and first["speaker"] == "two city officials"
    assert second["spans"] == [at(text, "it could reopen in May")] and second["cue"] == at(text, "adding")
    assert second["speaker"] == "two city officials" and second["speaker_mention"] is None


def test_dash_attribution():
    text = "“The bridge is safe” — Jane Doe, city engineer."
    found = only(text)
    assert found["spans"] == [[1, 19]] and found["cue"] is None
    assert found["speaker"] == "Jane Doe" and found["speaker_mention"] == at(text, "Jane Doe")


def test_colon_attribution_quoted_and_transcript():
    quoted = "Jane Doe: “We will rebuild the bridge.”"
    found = only(quoted)
    assert found["spans"] == [at(quoted, "We will rebuild the bridge.")] and found["speaker"] == "Jane Doe"
    transcript = "Opening statements followed.\nJane Doe: We will rebuild the bridge this year."
    found = only(transcript)
    assert found["spans"] == [at(transcript, "We will rebuild the bridge this year.")]
    assert found["speaker_mention"] == at(transcript, "Jane Doe")


def test_speaker_resolution_titles_surnames_and_pronouns():
    text = (
        "President Trump spoke on Monday. “They know,” Mr. Trump said. "
        "Trump added that the raids would start soon. He said that families would be included."
    )
    found = [s.as_dict() for s in extract(text)]
    assert [f["speaker"] for f in found] == ["President Trump"] * 3
    assert [f["speaker_mention"] for f in found] == [at(text, "Mr. Trump"), at(text, "Trump", 2), at(text, "He")]


def test_name_with_role_appositive():
    text = "Mark Morgan, ICE’s acting director, told reporters that the agency would increase arrests."
    found = only(text)
    assert found["speaker"] == "Mark Morgan" and found["speaker_mention"] == at(text, "Mark Morgan")
    assert found["spans"] == [at(text, "the agency would increase arrests")]
    assert found["cue"] == at(text, "told")


def test_groups_of_unnamed_sources_and_they():
    text = (
        "The raids will start soon, two homeland security officials said. "
        "They said the operation was rare. "
        "The agency would wait, according to one of the homeland security officials."
    )
    found = [s.as_dict() for s in extract(text)]
    assert [f["speaker"] for f in found] == ["two homeland security officials"] * 3
    assert found[1]["speaker_mention"] == at(text, "They")


def test_existing_speaker_aliases_from_the_caller():
    text = "“We will act,” Mr. Trump said."
    found = only(text, **{"Mr. Trump": "Donald J. Trump"})
    assert found["speaker"] == "Donald J. Trump"


def test_spans_never_include_marks_or_edge_white_space():
    text = "“  We will act.  ” Jane Doe said. She said that the bridge was “safe” and “sound.”"
    found = extract(text)
    assert [s.kind for s in found] == ["direct", "mixed"]
    for suggestion in found:
        for start, end in suggestion.spans:
            piece = text[start:end]
            assert piece == piece.strip()
            if suggestion.kind == "direct":
                assert piece[0] not in '“”"' and piece[-1] not in '“”"'
            else:  # a mixed quote keeps its fragments' marks, paired
                assert piece.count("“") == piece.count("”")


def test_cue_list_is_documented():
    doc = pathlib.Path(__file__).resolve().parents[2] / "docs" / "suggestions.md"
    words = doc.read_text(encoding="utf-8")
    for lemma in CUE_VERBS:
        assert lemma in words, lemma


def test_extractor_imports_no_django():
    root = pathlib.Path(__file__).resolve().parents[2] / "suggestions" / "extractor"
    for path in root.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else ([node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            )
            assert not any(n.startswith(("django", "corpus", "annotations")) for n in names), path


def test_empty_text():
    assert extract("") == [] and extract("  \n ") == []


def test_role_before_name_appositive():
    text = "The agency’s chief financial officer, Daniel Kim, warned that service cuts would follow in June."
    found = only(text)
    assert found["speaker"] == "Daniel Kim" and found["speaker_mention"] == at(text, "Daniel Kim")
    assert found["spans"] == [at(text, "service cuts would follow in June")]


def test_name_with_several_appositives():
    text = "Robert Feld, 71, who spent a week at the hospital in October, said the nurses were kind but tired."
    found = only(text)
    assert found["speaker"] == "Robert Feld" and found["spans"] == [at(text, "the nurses were kind but tired")]


def test_according_to_a_document_by_a_source():
    text = "Route cuts could affect 9,000 riders, according to an analysis by the transit authority."
    found = only(text)
    assert found["spans"] == [at(text, "Route cuts could affect 9,000 riders")]
    assert found["speaker_mention"] == at(text, "the transit authority")


def test_definite_organization_resolves_to_the_named_one():
    text = (
        "The Environment Agency said in a statement that river levels had peaked overnight. "
        "Flood warnings remain in place for 14 areas, according to the agency."
    )
    found = [s.as_dict() for s in extract(text)]
    assert [f["speaker"] for f in found] == ["The Environment Agency", "The Environment Agency"]
    assert found[0]["spans"] == [at(text, "river levels had peaked overnight")]


def test_representative_of_an_organization_and_one_of_them():
    text = (
        "A spokeswoman for the Welsh government said funding for the scheme had been approved. "
        "Three former employees said the cuts came without warning. "
        "One of them said managers had been told only an hour before."
    )
    found = [s.as_dict() for s in extract(text)]
    assert [f["speaker"] for f in found] == [
        "A spokeswoman for the Welsh government",
        "Three former employees",
        "Three former employees",
    ]
    assert found[2]["speaker_mention"] == at(text, "One of them")


def test_attribution_followed_by_a_subordinate_clause():
    text = "Kinetica Labs laid off 120 employees on Thursday, the company confirmed, as investors pulled back."
    found = only(text)
    assert found["spans"] == [at(text, "Kinetica Labs laid off 120 employees on Thursday")]
    assert found["speaker"] == "Kinetica Labs" and found["speaker_mention"] == at(text, "the company")


def test_leading_adverbial_with_abbreviation():
    text = "At St. Anne's Medical Center, nurses said they routinely care for eight patients at a time."
    found = only(text)
    assert found["spans"] == [at(text, "they routinely care for eight patients at a time")]
    assert found["speaker"] == "nurses"


def test_organization_name_with_of_after_the():
    text = "The Texas Department of Agriculture said in a statement that it was speeding up assistance."
    found = only(text)
    assert found["speaker"] == "Texas Department of Agriculture"
    assert found["speaker_mention"] == at(text, "Texas Department of Agriculture")
    assert found["spans"] == [at(text, "it was speeding up assistance")]


def test_according_to_a_role_then_a_name():
    text = "More than 6,000 head changed hands, according to the auction's manager, Sarah Benton."
    found = only(text)
    assert found["speaker"] == "Sarah Benton" and found["speaker_mention"] == at(text, "Sarah Benton")
    assert found["spans"] == [at(text, "More than 6,000 head changed hands")]


def test_colon_after_a_reporting_sentence_names_the_speaker():
    text = "Another student, Ethan Cole, said he would welcome the break: “Honestly, it is a relief.”"
    found = [s.as_dict() for s in extract(text)]
    direct = [f for f in found if f["kind"] == "direct"]
    assert direct[0]["spans"] == [at(text, "Honestly, it is a relief.")] and direct[0]["speaker"] == "Ethan Cole"

"""Agreement figures against hand-worked values, a published example and the ``krippendorff`` package."""

import math
from pathlib import Path

import krippendorff
import numpy as np
import pytest

from review import agreement
from review.agreement import cohen_kappa, compare_article, item, krippendorff_alpha_nominal, match, overlap_ratio


def q(key, start, end, kind="direct", speaker=None, **stances):
    return item(key, [(start, end)], label=kind, speaker=speaker, stances=stances)


def test_overlap_ratio_is_intersection_over_union_of_characters():
    assert overlap_ratio(q(1, 0, 10), q(2, 0, 10)) == 1.0
    assert overlap_ratio(q(1, 0, 10), q(2, 5, 15)) == pytest.approx(5 / 15)
    assert overlap_ratio(q(1, 0, 10), q(2, 0, 5)) == 0.5
    assert overlap_ratio(q(1, 0, 10), q(2, 10, 20)) == 0.0
    # Multi-span quotes: the characters of all spans count.
    split = item(3, [(0, 4), (8, 12)])
    assert overlap_ratio(split, q(4, 0, 12)) == pytest.approx(8 / 12)


def test_match_is_one_to_one_and_prefers_best_overlap():
    a = [q("a1", 0, 10)]
    b = [q("b1", 0, 9), q("b2", 0, 10)]
    assert [(x.key, y.key) for x, y in match(a, b, exact=False)] == [("a1", "b2")]
    assert match(a, [q("b", 0, 4)], exact=False) == []  # 0.4 < 0.5
    assert match(a, [q("b", 0, 9)], exact=True) == []


def test_hand_worked_article():
    # A marks three quotes, B marks two: one identical, one shifted (overlap 8/12), and A's third is
    # missing from B.
    ann_a = [q("a1", 0, 10, speaker=1, T="favor"), q("a2", 20, 30, speaker=2), q("a3", 50, 60, kind="indirect")]
    ann_b = [q("b1", 0, 10, speaker=1, T="against"), q("b2", 22, 32, kind="indirect", speaker=3)]
    report = compare_article({"A": ann_a, "B": ann_b}, {"A": [], "B": []})
    stats = report.pairs[("A", "B")]
    # exact: 1 matched of 3 + 2 → 2·1/5
    assert (stats.quotes_exact.matched, stats.quotes_exact.f1) == (1, pytest.approx(0.4))
    # overlap: a2/b2 share 8 of 12 characters → matched; 2·2/5
    assert (stats.quotes_overlap.matched, stats.quotes_overlap.f1) == (2, pytest.approx(0.8))
    # speaker: 1 of 2 matched pairs agree
    assert (stats.speaker_agree, stats.speaker_n, stats.speaker_agreement) == (1, 2, 0.5)
    # kind pairs: (direct, direct), (direct, indirect): po = .5, pA(direct)=1, pB(direct)=.5 → pe=.5 → κ=0
    assert stats.kind_pairs == [("direct", "direct"), ("direct", "indirect")]
    assert stats.kind_kappa == pytest.approx(0.0)
    # stance: one unit (target T on the first pair): favor vs against
    assert stats.stance_pairs == [("favor", "against")]
    # entities: nothing to count → undefined, not perfect
    assert stats.entities_exact.f1 is None
    # alpha units: the unmatched a3 is a single-value unit, not pairable
    assert report.pairable_kind_units == 2
    assert sorted(map(sorted, report.kind_units)) == [["direct", "direct"], ["direct", "indirect"], ["indirect"]]


def test_item_left_out_does_not_look_perfect():
    ann_a = [q("a1", 0, 10), q("a2", 20, 30), q("a3", 40, 50)]
    ann_b = [q("b1", 0, 10)]
    stats = compare_article({"A": ann_a, "B": ann_b}, {}).pairs[("A", "B")]
    assert stats.quotes_exact.f1 == pytest.approx(0.5)  # 2·1/(3+1)
    # An annotator who took part but marked nothing gets F1 0, not "undefined".
    stats = compare_article({"A": ann_a, "B": []}, {}).pairs[("A", "B")]
    assert stats.quotes_overlap.f1 == 0.0


def test_entities_need_the_same_label():
    e = lambda key, s, e_, label: item(key, [(s, e_)], label=label)  # noqa: E731
    report = compare_article(
        {"A": [], "B": []},
        {"A": [e(1, 0, 5, "PERSON"), e(2, 10, 15, "ORG")], "B": [e(3, 0, 5, "PERSON"), e(4, 10, 15, "GPE")]},
    )
    assert report.pairs[("A", "B")].entities_exact.f1 == pytest.approx(0.5)


def test_stance_missing_label_is_its_own_category():
    x, y = q(1, 0, 10, T="favor", U="neutral"), q(2, 0, 10, T="favor")
    assert agreement.stance_pairs(x, y) == [("favor", "favor"), ("neutral", "(none)")]


def test_cohen_kappa_published_example():
    # Wikipedia, "Cohen's kappa", worked example: 50 proposals; yes/yes 20, yes/no 5, no/yes 10,
    # no/no 15 → p_o = 0.7, p_e = 0.5, κ = 0.4.
    pairs = [("y", "y")] * 20 + [("y", "n")] * 5 + [("n", "y")] * 10 + [("n", "n")] * 15
    assert cohen_kappa(pairs) == pytest.approx(0.4)


def test_cohen_kappa_edges():
    assert cohen_kappa([]) is None
    assert cohen_kappa([("a", "a")] * 5) is None  # no variation: undefined, not 1
    assert cohen_kappa([("a", "b"), ("b", "a")]) == pytest.approx(-1.0)


# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", nominal example with missing
# data: 4 observers, 12 units; α (nominal) = 0.743.
K2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def units_of(matrix):
    return [[row[i] for row in matrix if row[i] is not None] for i in range(len(matrix[0]))]


def test_krippendorff_alpha_published_example():
    assert round(krippendorff_alpha_nominal(units_of(K2011)), 3) == 0.743


def as_array(matrix):
    return np.array([[np.nan if v is None else v for v in row] for row in matrix], dtype=float)


@pytest.mark.parametrize("seed", range(5))
def test_krippendorff_alpha_matches_the_krippendorff_package(seed):
    rng = np.random.default_rng(seed)
    matrix = rng.integers(1, 4, size=(3, 30)).astype(object)
    matrix[rng.random(matrix.shape) < 0.2] = None
    matrix = matrix.tolist()
    ours = krippendorff_alpha_nominal(units_of(matrix))
    theirs = krippendorff.alpha(reliability_data=as_array(matrix), level_of_measurement="nominal")
    assert ours == pytest.approx(theirs)
    assert krippendorff_alpha_nominal(units_of(K2011)) == pytest.approx(
        krippendorff.alpha(reliability_data=as_array(K2011), level_of_measurement="nominal")
    )


def test_alpha_with_two_coders_matches_package_on_string_labels():
    kinds = {"direct": 1, "indirect": 2, "mixed": 3}
    a = ["direct", "direct", "indirect", "mixed", "direct", "indirect"]
    b = ["direct", "indirect", "indirect", "mixed", "direct", "direct"]
    ours = krippendorff_alpha_nominal([[x, y] for x, y in zip(a, b)])
    theirs = krippendorff.alpha(
        reliability_data=[[kinds[x] for x in a], [kinds[y] for y in b]], level_of_measurement="nominal"
    )
    assert ours == pytest.approx(theirs)


def test_alpha_undefined_without_pairable_units_or_variation():
    assert krippendorff_alpha_nominal([["a"], ["b"]]) is None
    assert krippendorff_alpha_nominal([["a", "a"], ["a", "a"]]) is None


def test_cluster_puts_at_most_one_item_per_annotator():
    clusters = agreement.cluster({"A": [q(1, 0, 10), q(2, 2, 10)], "B": [q(3, 0, 10)], "C": [q(4, 30, 40)]})
    assert [sorted(c) for c in clusters] == [["A", "B"], ["A"], ["C"]]
    assert clusters[0]["A"].key == 1


def test_reports_pool_over_articles():
    first = compare_article({"A": [q(1, 0, 10)], "B": [q(2, 0, 10)]}, {})
    second = compare_article({"A": [q(3, 0, 10)], "B": []}, {})
    total = agreement.Report()
    total.add(first)
    total.add(second)
    stats = total.pairs[("A", "B")]
    assert (stats.articles, stats.quotes_exact.matched, stats.quotes_exact.n_a, stats.quotes_exact.n_b) == (2, 1, 2, 1)
    assert stats.quotes_exact.f1 == pytest.approx(2 / 3)
    assert not math.isnan(total.pooled().quotes_exact.f1)


def test_module_imports_no_django():
    import ast

    tree = ast.parse(Path(agreement.__file__).read_text())
    modules = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    modules |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert modules and not any(m.split(".")[0] == "django" for m in modules)


def test_annotator_ids_are_paired_in_numeric_order():
    # User ids 9 and 10: as text "10" sorts first, which made pair order depend on how many users existed.
    report = compare_article({10: [], 9: []}, {})
    assert list(report.pairs) == [(9, 10)]

"""Scoring suggestions against gold quotes. Pure Python (no Django), shared by the command and tests.

Overlap of a suggestion with a gold quote = characters they share / characters of the gold quote
(the Gender Gap Tracker's measure). At a threshold t, suggestions and gold quotes are matched one to
one, best overlaps first, when the overlap is at least t. Precision = matched suggestions / all
suggestions; recall = matched gold quotes / all gold quotes; F1 their harmonic mean. Speaker accuracy
= matched pairs (at the lowest threshold) whose speaker names agree / matched pairs; names agree when
their normalized forms are equal or the suggested name is one of the gold speaker's aliases.

By kind (direct, indirect, mixed): recall counts gold quotes of that kind, precision counts suggestions
of that kind (each side keeps its own kind, so a mixed quote suggested as indirect is an indirect
suggestion and a mixed gold quote). Boundary precision = predicted characters inside the gold span /
predicted characters, over the pairs matched at the lowest threshold (a span that runs into the next
sentence lowers it; recall-style overlap does not see that).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from text.names import normalize_name as normalize

THRESHOLDS = (0.3, 0.8)


@dataclass
class Item:
    spans: Sequence[Sequence[int]]
    speaker: str | None = None
    aliases: Sequence[str] = ()
    kind: str | None = None

    def chars(self) -> set[int]:
        return {i for s, e in self.spans for i in range(s, e)}


@dataclass
class Scores:
    thresholds: tuple[float, ...] = THRESHOLDS
    predicted: int = 0
    gold: int = 0
    matched: dict[float, int] = field(default_factory=dict)
    speaker_checked: int = 0
    speaker_correct: int = 0
    # kind -> counts: "gold", "predicted", and per threshold "gold@t" / "predicted@t" matched
    by_kind: dict[str, dict[str, int]] = field(default_factory=dict)
    boundary_inside: int = 0
    boundary_predicted: int = 0

    def _count(self, kind: str | None, key: str, n: int = 1) -> None:
        row = self.by_kind.setdefault(kind or "unknown", {})
        row[key] = row.get(key, 0) + n

    def add(self, other: "Scores") -> None:
        for kind, row in other.by_kind.items():
            for key, n in row.items():
                self._count(kind, key, n)
        self.boundary_inside += other.boundary_inside
        self.boundary_predicted += other.boundary_predicted
        self.predicted += other.predicted
        self.gold += other.gold
        for t, n in other.matched.items():
            self.matched[t] = self.matched.get(t, 0) + n
        self.speaker_checked += other.speaker_checked
        self.speaker_correct += other.speaker_correct

    def figures(self) -> dict:
        out: dict = {"suggestions": self.predicted, "gold": self.gold}
        for t in self.thresholds:
            m = self.matched.get(t, 0)
            p = m / self.predicted if self.predicted else 0.0
            r = m / self.gold if self.gold else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            out[str(t)] = {
                "precision": round(100 * p, 1),
                "recall": round(100 * r, 1),
                "f1": round(100 * f, 1),
                "matched": m,
            }
        out["speaker_accuracy"] = (
            round(100 * self.speaker_correct / self.speaker_checked, 1) if self.speaker_checked else None
        )
        out["speaker_matched"] = self.speaker_checked
        out["boundary_precision"] = (
            round(100 * self.boundary_inside / self.boundary_predicted, 1) if self.boundary_predicted else None
        )
        kinds: dict = {}
        for kind in sorted(self.by_kind):
            row = self.by_kind[kind]
            kinds[kind] = {"gold": row.get("gold", 0), "suggestions": row.get("predicted", 0)}
            for t in self.thresholds:
                p_n, g_n = row.get(f"predicted@{t}", 0), row.get(f"gold@{t}", 0)
                kp = p_n / row["predicted"] if row.get("predicted") else None
                kr = g_n / row["gold"] if row.get("gold") else None
                kinds[kind][str(t)] = {
                    "precision": round(100 * kp, 1) if kp is not None else None,
                    "recall": round(100 * kr, 1) if kr is not None else None,
                }
        out["by_kind"] = kinds
        return out


def speakers_agree(predicted: str | None, gold: Item) -> bool:
    if not predicted or not gold.speaker:
        return not predicted and not gold.speaker
    names = {normalize(gold.speaker), *(normalize(a) for a in gold.aliases)}
    return normalize(predicted) in names


def _match(predicted: list[Item], gold: list[Item], threshold: float) -> list[tuple[Item, Item]]:
    pairs = []
    gold_chars = [g.chars() for g in gold]
    for i, p in enumerate(predicted):
        pc = p.chars()
        for j, gc in enumerate(gold_chars):
            if gc:
                overlap = len(pc & gc) / len(gc)
                if overlap >= threshold:
                    pairs.append((overlap, i, j))
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_p, used_g, matched = set(), set(), []
    for _, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            matched.append((predicted[i], gold[j]))
    return matched


def score(predicted: Iterable[Item], gold: Iterable[Item], thresholds: tuple[float, ...] = THRESHOLDS) -> Scores:
    predicted, gold = list(predicted), list(gold)
    result = Scores(thresholds=thresholds, predicted=len(predicted), gold=len(gold))
    for p in predicted:
        result._count(p.kind, "predicted")
    for g in gold:
        result._count(g.kind, "gold")
    for t in thresholds:
        pairs = _match(predicted, gold, t)
        result.matched[t] = len(pairs)
        for p, g in pairs:
            result._count(p.kind, f"predicted@{t}")
            result._count(g.kind, f"gold@{t}")
        if t == min(thresholds):
            result.speaker_checked = len(pairs)
            result.speaker_correct = sum(1 for p, g in pairs if speakers_agree(p.speaker, g))
            for p, g in pairs:
                pc = p.chars()
                result.boundary_inside += len(pc & g.chars())
                result.boundary_predicted += len(pc)
    return result

"""Clusters of many texts at once, in memory (the rebuild, and a cluster split after a removal).

Exact duplicates (the same normalized text) are one node; the nodes are MinHash-sketched and banded
(``sketch``); nodes sharing a band key are compared exactly. Two longer texts found the same
(``text.fingerprint.same_quote``) are linked, and the connected components of those links are the
clusters' cores. A short text (``text.fingerprint.is_short``) is never linked: it joins the one core of
the longer texts it belongs to (``belongs_to``), and stays alone when it belongs to none or to texts of
several cores (a common phrase, not a part of one quote); two short texts are not compared. Within one
band bucket each node is compared with at most ``BUCKET_COMPARISONS`` earlier nodes that are not yet in
its component, so that a very common bucket costs linear, not quadratic, work.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from text.fingerprint import belongs_to, is_short, same_quote, shingles

from .sketch import band_keys, signatures

BUCKET_COMPARISONS = 32


class _Components:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        parent = self.parent
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:
            parent[i], i = root, parent[i]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass
class Grouping:
    labels: list[int]  # per text: the index of the first text of its cluster
    nodes: list[int]  # per text: its distinct normalized text
    keys: dict[int, list[int]]  # per distinct text with shingles: its band keys


def group_texts(normalized: Sequence[str]) -> Grouping:
    """Texts with the same label are one cluster. A label is the index of the cluster's first text, so the
    result depends on the texts and their order only, not on an order of work."""
    node_of: dict[str, int] = {}
    nodes = [node_of.setdefault(text, len(node_of)) for text in normalized]
    texts = list(node_of)
    sets = [shingles(text) for text in texts]
    sketched = [i for i, s in enumerate(sets) if s]
    short = [is_short(s) for s in sets]
    components = _Components(len(texts))
    belongs: dict[int, set[int]] = {}  # short node -> the longer nodes it belongs to
    node_keys: dict[int, list[int]] = {}
    if sketched:
        keys = band_keys(signatures([sets[i] for i in sketched]))
        node_keys = dict(zip(sketched, keys.tolist(), strict=True))
        index = np.asarray(sketched, dtype=np.int64)
        for band in range(keys.shape[1]):
            column = keys[:, band]
            order = np.argsort(column, kind="stable")
            ordered = column[order]
            starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
            ends = np.concatenate((starts[1:], [len(ordered)]))
            for start, end in zip(starts[ends - starts > 1].tolist(), ends[ends - starts > 1].tolist(), strict=True):
                bucket = index[order[start:end]].tolist()
                for pos, node in enumerate(bucket):
                    compared = 0
                    for other in reversed(bucket[:pos]):
                        if compared >= BUCKET_COMPARISONS:
                            break
                        if short[node] or short[other]:
                            if short[node] and short[other]:
                                continue
                            part, whole = (node, other) if short[node] else (other, node)
                            if whole in belongs.get(part, ()):
                                continue
                            compared += 1
                            if belongs_to(texts[part], sets[part], texts[whole], sets[whole]):
                                belongs.setdefault(part, set()).add(whole)
                            continue
                        if components.find(node) == components.find(other):
                            continue
                        compared += 1
                        if same_quote(sets[node], sets[other]):
                            components.union(node, other)
    root = [components.find(node) for node in range(len(texts))]
    for part, wholes in belongs.items():
        cores = {root[whole] for whole in wholes}
        if len(cores) == 1:
            root[part] = cores.pop()
    first_text: dict[int, int] = {}
    labels = [first_text.setdefault(root[node], i) for i, node in enumerate(nodes)]
    return Grouping(labels=labels, nodes=nodes, keys=node_keys)

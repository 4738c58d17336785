"""Texts shared by the clusters tests (made up for them)."""

# A six-word stock phrase, two different quotes that use it, and a quote that repeats the rest of both.
STOCK = "There is no place for this."
USES_A = "There is no place for this, the river will flood the lower town again this spring unless the old dam holds."
USES_B = (
    "So there is no place for this: the council chose the new bridge over the harbour because the ferry was too slow."
)
BRIDGE = (
    "The river will flood the lower town again this spring unless the old dam holds, and the council chose the new "
    "bridge over the harbour because the ferry was too slow."
)

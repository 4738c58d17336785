"""Signals the annotations services send inside the writing transaction.

Read models above this app (summary tables, stored agreement, quote clusters) connect receivers in
their ``AppConfig.ready()``; a receiver's writes commit or roll back with the change itself.
"""

from django.dispatch import Signal

# The curated layer of these articles changed: a curated quote, mention or stance was created,
# changed or deleted. Keywords: ``article_ids`` (frozenset[int]); ``quotes`` (bool), False when only
# stances or entity mentions changed (the quotes themselves, their text, speaker and place, did not).
curated_changed = Signal()

# An annotator's layer of these articles changed: created, edited, submitted, reviewed or deleted.
# Keyword: ``article_ids`` (frozenset[int]).
annotations_changed = Signal()

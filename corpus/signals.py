"""Signals the corpus writers send inside the writing transaction (read models above connect to them)."""

from django.dispatch import Signal

# Articles were created in bulk (``bulk_create`` sends no ``post_save``). Keyword: ``article_ids``
# (frozenset[int]).
articles_created = Signal()

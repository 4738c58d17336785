"""Django-free helpers on text, shared by ``corpus`` and the suggestion extractor.

Offsets everywhere are Python code points (``str`` indices), half-open: ``text[start:end]``.

- ``text.sentences``: paragraphs and abbreviation-aware sentence boundaries ("Mr. Trump said" is one
  sentence), and the sentence around a span.
- ``text.marks``: the one set of quotation marks, the content-span rule ("content excludes the marks
  that open and close the quote") and the pairing of marks into quoted runs.
- ``text.names``: the lookup key of a person's or organization's name (``SpeakerAlias.normalized``).
- ``text.segments``: a text cut into segments, each with the (nested) highlights covering it.

Nothing in this package imports Django or any app of the project.
"""

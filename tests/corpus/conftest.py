# corpus.search is tested on the research pages' corpus: one set of texts for both.
from tests.research.conftest import corpus  # noqa: F401

"""Start-up stays light: the heavy libraries load only in the work that needs them."""

import json
import os
import subprocess
import sys

from django.conf import settings

# Each is imported by the code that uses it, on first use: datasketch (and SciPy) by clusters.sketch,
# pyarrow by the releases' Parquet writer. At start-up they cost every web worker about 110 MB.
HEAVY = ("datasketch", "scipy", "pyarrow")


def test_django_setup_imports_no_heavy_library():
    code = (
        "import json, sys, django; django.setup(); from django.urls import get_resolver; get_resolver().url_patterns; "
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def test_the_heavy_libraries_still_load_where_they_are_used():
    from clusters.sketch import signatures
    from releases.formats import arrow_types

    assert signatures([frozenset({1, 2, 3})]).shape == (1, 40)
    assert arrow_types() and "pyarrow" in sys.modules

import pytest

from jobs import registry


def _run(context, params):
    return None


def test_register_and_get():
    kind = registry.JobKind(name="probe_kind", label="Probe", run=_run, role="editor")
    registry.register(kind)
    try:
        assert registry.get("probe_kind") is kind
        registry.register(kind)  # the same kind again (a ready() run twice) is harmless
        assert kind in registry.kinds()
        with pytest.raises(ValueError, match="registered already"):
            registry.register(registry.JobKind(name="probe_kind", label="Other", run=_run, role="editor"))
    finally:
        registry.unregister("probe_kind")
    with pytest.raises(KeyError, match="No job kind 'probe_kind'"):
        registry.get("probe_kind")


def test_the_apps_register_their_kinds():
    names = {k.name for k in registry.kinds()}
    assert {"agreement_refresh", "article_import", "suggest_articles"} <= names
    assert all(k.role == "editor" for k in registry.kinds())

"""Production static files: every ES module import names a hashed file that exists."""

import re
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

STATIC = Path(settings.BASE_DIR) / "static"
IMPORT = re.compile(
    r"""(?:^|;|\n)\s*(?:import|export)\b[^'"]*?from\s*["']([./][^"']+)["']|import\s*["']([./][^"']+)["']"""
)
HASHED = re.compile(r"\.[0-9a-f]{12}\.js$")


def imports(source: str) -> list[str]:
    return [a or b for a, b in IMPORT.findall(source)]


def module_graph() -> dict[str, list[str]]:
    graph = {}
    for path in STATIC.rglob("*.js"):
        if "vendor" in path.parts:
            continue
        name = path.relative_to(STATIC).as_posix()
        graph[name] = [(path.parent / i).resolve().relative_to(STATIC).as_posix() for i in imports(path.read_text())]
    return graph


def test_the_import_finder_sees_every_form():
    source = (
        'import { a, b } from "./a.js";\nimport * as c from "../c.js";\nexport { d } from "./d.js";\nimport "./e.js";'
    )
    assert imports(source) == ["./a.js", "../c.js", "./d.js", "./e.js"]


def test_no_module_imports_itself_through_others():
    # A cycle makes each module's hashed name depend on itself: collectstatic cannot name them.
    graph = module_graph()
    assert graph.get("annotations/workspace.js")
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for dep in graph.get(node, []):
            if state.get(dep) == 1:
                cycles.append(path[path.index(dep) :] + [dep] if dep in path else path + [dep])
            elif not state.get(dep):
                visit(dep, [*path, dep])
        state[node] = 2

    for node in graph:
        if not state.get(node):
            visit(node, [node])
    assert cycles == []


def test_collected_modules_import_their_neighbours_by_hashed_name(tmp_path):
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": "config.storage.StaticFilesStorage"}}
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
    hashed = [p for p in tmp_path.rglob("*.js") if HASHED.search(p.name)]
    workspace = [p for p in hashed if p.parent.name == "annotations" and p.name.startswith("workspace.")]
    assert len(workspace) == 1
    assert "./state." in workspace[0].read_text()
    checked = 0
    for path in hashed:
        if "ninja" in path.parts or "admin" in path.parts:
            continue
        for name in imports(path.read_text()):
            assert HASHED.search(name), f"{path.name} imports {name} by its plain name"
            assert (path.parent / name).resolve().is_file(), f"{path.name} imports {name}, which is missing"
            checked += 1
    assert checked > 30

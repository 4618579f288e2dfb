"""The structure, drawn from the imports: data flows one way and stages meet at their doors.

Layers, bottom to top: textkit → rules → schemas → load → normalize → extract → checks →
tthc.wording → consolidate → render → tthc → corpus. A module may import its own
stage and anything below it, never above. Across stages it imports only a stage's package
(its `__init__` names the stage's API), never one of its modules, and never a name starting
with an underscore; textkit, rules and schemas are shared and may be imported module by module.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = [
    "textkit",
    "rules",
    "schemas",
    "tthc.load",
    "tthc.normalize",
    "tthc.extract",
    "checks",
    "tthc.wording",
    "tthc.consolidate",
    "tthc.render",
    "tthc",
    "corpus",
]
SHARED = {"textkit", "rules", "schemas"}
# The corpus tools (benchmarks, fuzzer) time and probe single modules: they may reach any.
TOOLS = {"corpus"}


def _layer(module: str) -> str | None:
    found = [layer for layer in LAYERS if module == layer or module.startswith(layer + ".")]
    return max(found, key=len) if found else None


def _modules() -> list[tuple[str, Path]]:
    out = []
    for top in {layer.split(".")[0] for layer in LAYERS}:
        for path in (ROOT / top).rglob("*.py"):
            if "fixtures" in path.parts:
                continue
            out.append((".".join(path.relative_to(ROOT).with_suffix("").parts), path))
    return sorted(out)


def _imports(path: Path) -> list[tuple[str, str, int]]:
    """(module, imported name, line) for every absolute import of a project module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [(node.module, a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.Import):
            found += [(a.name, "", node.lineno) for a in node.names]
    return [(m, n, line) for m, n, line in found if _layer(m) is not None]


def _problems(module: str, path: Path) -> list[str]:
    mine = _layer(module)
    out = []
    if mine is None:  # the umbrella packages (extractors, consolidation) import nothing
        return [f"{path.name} imports {t}" for t, _, _ in _imports(path)]
    for target, name, line in _imports(path):
        theirs = _layer(target)
        where = f"{path.name}:{line} imports {target}"
        if LAYERS.index(theirs) > LAYERS.index(mine):
            out.append(f"{where}: {theirs} is above {mine}")
        elif theirs != mine and theirs not in SHARED and mine not in TOOLS:
            if target != theirs:
                out.append(f"{where}: import it from the stage's package {theirs}")
            if name.startswith("_"):
                out.append(f"{where}.{name}: a private name of another stage")
    return out


MODULES = _modules()


def test_the_layers_cover_every_package_module() -> None:
    assert len(MODULES) > 60
    umbrellas = {"extractors.__init__", "consolidation.__init__"}
    assert [m for m, _ in MODULES if _layer(m) is None and m not in umbrellas] == []


@pytest.mark.parametrize("module,path", MODULES, ids=[m for m, _ in MODULES])
def test_no_arrow_runs_upward_and_stages_meet_at_their_doors(module: str, path: Path) -> None:
    assert _problems(module, path) == []


def test_the_check_finds_an_upward_arrow(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from tthc.render import write_workbook\n"
        "from tthc.extract.figures import read_figures\n"
        "from tthc.extract import _private\n"
    )
    problems = _problems("checks.bad", bad)
    assert any("above checks" in p for p in problems)
    assert any("from the stage's package tthc.extract" in p for p in problems)
    assert any("private name" in p for p in problems)


@pytest.mark.parametrize("package", [layer for layer in LAYERS if layer not in ("tthc.wording",)])
def test_every_stage_folder_says_what_it_takes_and_returns(package: str) -> None:
    init = ROOT.joinpath(*package.split(".")) / "__init__.py"
    doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
    assert doc and len(doc) > 80, f"{init.relative_to(ROOT)} needs its opening docstring"


# ---------------------------------------------------------------- inside the extract stage
EXTRACT = ROOT / "extractors" / "extract"
# Below the readers: what every reader may share. The readers (each registers a component)
# import only these, never one another; the pipeline and the assembly sit on top.
EXTRACT_BELOW = {
    "settings",
    "models",
    "lexicon",
    "dates",
    "structure",
    "statements",
    "breakdowns",
    "table_rows",
    "series",
}
EXTRACT_TOP = {"pipeline", "assemble", "__init__"}


def _extract_imports() -> dict[str, list[tuple[str, int, bool]]]:
    """Module → (extract module it imports, line, at module level?) for every module."""
    out = {}
    for path in sorted(EXTRACT.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = {id(n) for n in tree.body}
        found = []
        for node in ast.walk(tree):
            if not (isinstance(node, ast.ImportFrom) and node.module and node.level == 0):
                continue
            if node.module == "tthc.extract":
                targets = [a.name for a in node.names]
            elif node.module.startswith("tthc.extract."):
                targets = [node.module.split(".")[2]]
            else:
                targets = []
            found += [
                (t, node.lineno, id(node) in top)
                for t in targets
                if (EXTRACT / f"{t}.py").is_file()
            ]
        out[path.stem] = found
    return out


def test_extract_imports_only_at_module_level():
    """No import hidden in a function: a late import is how an import circle hides."""
    late = [
        f"{m}:{line} imports {t}"
        for m, imports in _extract_imports().items()
        for t, line, at_top in imports
        if not at_top
    ]
    assert late == []


def test_extract_has_no_import_circle_and_readers_import_no_reader():
    graph = {m: {t for t, _, _ in imports if t != m} for m, imports in _extract_imports().items()}
    readers = set(graph) - EXTRACT_BELOW - EXTRACT_TOP
    for module, targets in graph.items():
        if module in readers:
            assert targets <= EXTRACT_BELOW, (module, targets - EXTRACT_BELOW)
        if module in EXTRACT_BELOW:
            assert targets <= EXTRACT_BELOW, (module, targets - EXTRACT_BELOW)
    seen: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        if seen.get(node) == 1:
            raise AssertionError(f"import circle: {' → '.join([*path, node])}")
        if seen.get(node) == 2:
            return
        seen[node] = 1
        for nxt in graph.get(node, ()):
            visit(nxt, [*path, node])
        seen[node] = 2

    for module in graph:
        visit(module, [])

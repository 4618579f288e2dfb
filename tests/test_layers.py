"""The structure, drawn from the imports: data flows one way and stages meet at their doors.

Layers, bottom to top (README "How it works"): the shared toolkit, rules, records and the
outputs' words (textkit → rules → schemas → wording), then the stages load → normalize →
extract → check, the per-file pipeline (process), consolidate, the officer's corrections,
render, the evaluator, the run job (runjob: a folder → records, district, outputs), the
review workspace (serve) and the command line (cli) that both run that job, and the corpus
tools on top of everything. A module may import its own
stage and anything below it, never above. Across stages it imports only a stage's package
(its `__init__` names the stage's API), never one of its modules, and never a name starting
with an underscore; the shared layers may be imported module by module. The imports made
when a module is loaded form no circle. Every stage is one folder directly under tthc/,
and no two modules of the package share a file name.
"""

import ast
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "tthc"
LAYERS = [
    "tthc.textkit",
    "tthc.rules",
    "tthc.schemas",
    "tthc.wording",
    "tthc.load",
    "tthc.normalize",
    "tthc.extract",
    "tthc.check",
    "tthc.process",
    "tthc.consolidate",
    "tthc.corrections",
    "tthc.render",
    "tthc.evaluate",
    "tthc.runjob",
    "tthc.serve",
    "tthc.cli",
    "tthc.__main__",
    "corpus",
]
SHARED = {"tthc.textkit", "tthc.rules", "tthc.schemas", "tthc.wording"}
# The corpus tools (benchmarks, fuzzer) time and probe single modules: they may reach any.
TOOLS = {"corpus"}
# Folders under tthc/ that are not stages: data, and a stage's own sub-folder.
NOT_STAGES = {"sample", "__pycache__"}


def _layer(module: str) -> str | None:
    found = [layer for layer in LAYERS if module == layer or module.startswith(layer + ".")]
    return max(found, key=len) if found else None


def _modules() -> list[tuple[str, Path]]:
    out = []
    for top in ("tthc", "corpus"):
        for path in (ROOT / top).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out.append((".".join(parts), path))
    return sorted(out)


def _imports(path: Path, top_level_only: bool = False) -> list[tuple[str, str, int]]:
    """(module, imported name, line) for every absolute import of a project module; with
    `top_level_only`, only those run when the module is loaded (not in a function, not
    under `if TYPE_CHECKING`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = _loaded(tree.body) if top_level_only else ast.walk(tree)
    found = []
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [(node.module, a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.Import):
            found += [(a.name, "", node.lineno) for a in node.names]
    return [(m, n, line) for m, n, line in found if m == "tthc" or _layer(m) is not None]


def _loaded(body: list[ast.stmt]) -> list[ast.stmt]:
    out: list[ast.stmt] = []
    for node in body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        if isinstance(node, ast.If | ast.Try | ast.With):
            for block in ("body", "orelse", "finalbody", "handlers"):
                for child in getattr(node, block, []):
                    out += _loaded(child.body if isinstance(child, ast.ExceptHandler) else [child])
        else:
            out.append(node)
    return out


def _problems(module: str, path: Path) -> list[str]:
    mine = _layer(module)
    out = []
    if mine is None:  # the umbrella package (tthc/__init__.py) imports nothing
        return [f"{path.name} imports {t}" for t, _, _ in _imports(path)]
    for target, name, line in _imports(path):
        theirs = _layer(target)
        where = f"{path.name}:{line} imports {target}"
        if theirs is None:
            out.append(f"{where}: the umbrella package tthc holds no API; import a stage")
            continue
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
    assert [m for m, _ in MODULES if _layer(m) is None and m != "tthc"] == []


@pytest.mark.parametrize("module,path", MODULES, ids=[m for m, _ in MODULES])
def test_no_arrow_runs_upward_and_stages_meet_at_their_doors(module: str, path: Path) -> None:
    assert _problems(module, path) == []


def test_the_workspace_runs_the_job_without_the_command_line() -> None:
    """`tthc serve` and `tthc run` share the run job (tthc.runjob), which sits below both:
    no serve module imports tthc.cli, at load time or late."""
    serve = [(m, p) for m, p in MODULES if _layer(m) == "tthc.serve"]
    assert len(serve) >= 5
    reaching = [
        f"{p.name}:{line} imports {target}"
        for _, p in serve
        for target, _, line in _imports(p)
        if _layer(target) == "tthc.cli"
    ]
    assert reaching == []


def test_the_check_finds_an_upward_arrow(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from tthc.render import write_workbook\n"
        "from tthc.extract.figures import read_figures\n"
        "from tthc.extract import _private\n"
        "from tthc import check\n"
    )
    problems = _problems("tthc.check.bad", bad)
    assert any("above tthc.check" in p for p in problems)
    assert any("from the stage's package tthc.extract" in p for p in problems)
    assert any("private name" in p for p in problems)
    assert any("umbrella package" in p for p in problems)


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), or a module that
    imports itself."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph.get(node, ()):
                out.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return out


def _import_graph() -> dict[str, set[str]]:
    """Module → the project modules it loads when it is loaded (an import of a package
    loads the package; `from package import module` loads the module)."""
    known = {m for m, _ in MODULES}
    graph: dict[str, set[str]] = {}
    for module, path in MODULES:
        targets = set()
        for target, name, _ in _imports(path, top_level_only=True):
            sub = f"{target}.{name}"
            targets.add(sub if sub in known else target)
        graph[module] = {t for t in targets if t in known and t != module}
    return graph


def test_no_import_circle() -> None:
    assert _circles(_import_graph()) == []


def test_the_circle_check_finds_a_circle() -> None:
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _circles({"a": {"b"}, "b": set()}) == []


def test_every_stage_is_one_folder_directly_under_tthc() -> None:
    """A folder under tthc/ is a layer; a layer's folder holds no stage of its own."""
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir()} - NOT_STAGES
    assert {f"tthc.{name}" for name in folders} <= set(LAYERS)
    modules = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__", "__main__"}
    assert {f"tthc.{name}" for name in modules} <= set(LAYERS)


def test_no_two_modules_share_a_file_name() -> None:
    names = Counter(
        p.name for p in PACKAGE.rglob("*.py") if p.name not in ("__init__.py", "__main__.py")
    )
    assert [name for name, n in names.items() if n > 1] == []


@pytest.mark.parametrize("layer", [layer for layer in LAYERS if layer != "tthc.__main__"])
def test_every_layer_says_what_it_takes_and_returns(layer: str) -> None:
    folder = ROOT.joinpath(*layer.split("."))
    opening = folder / "__init__.py" if folder.is_dir() else folder.with_suffix(".py")
    doc = ast.get_docstring(ast.parse(opening.read_text(encoding="utf-8")))
    assert doc and len(doc) > 80, f"{opening.relative_to(ROOT)} needs its opening docstring"


# ---------------------------------------------------------------- inside the extract stage
EXTRACT = PACKAGE / "extract"
# Below the readers: what every reader may share. The readers (each registers a component)
# import only these, never one another; the pipeline and the assembly sit on top.
EXTRACT_BELOW = {
    "settings",
    "readings",
    "lexicon",
    "dates",
    "structure",
    "statements",
    "breakdowns",
    "table_rows",
    "series",
}
# The two roads in: a text (assemble) and a spreadsheet form (spreadsheet_form, which reads
# its title block as a text).
EXTRACT_TOP = {"pipeline", "assemble", "spreadsheet_form", "__init__"}


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

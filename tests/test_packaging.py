"""An installed tthc (``pip install .``, not editable) must carry every data file it reads,
and install one import name, `tthc`.

A rules table missing from the wheel made every report fail with FileNotFoundError on a fresh
machine while the editable install used by the tests worked; this test checks the declared
package data against the files the packages hold.
"""

import fnmatch
import shutil
import subprocess
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOT_DATA = {".py", ".pyc", ".md"}


def _declared() -> tuple[list[str], list[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = config["tool"]["setuptools"]
    packages = setuptools["packages"]["find"]["include"]
    patterns = setuptools["package-data"]["*"]
    return [p.rstrip("*") for p in packages], patterns


def _data_files(package_roots: list[str]) -> list[Path]:
    found = []
    for name in package_roots:
        for path in (ROOT / name).rglob("*"):
            if path.is_file() and path.suffix not in NOT_DATA and "__pycache__" not in path.parts:
                found.append(path)
    return found


def test_every_data_file_is_declared_as_package_data() -> None:
    roots, patterns = _declared()
    files = _data_files(roots)
    assert files, "the packages hold data files (rules, templates, sample reports)"
    missing = [
        str(f.relative_to(ROOT))
        for f in files
        if not any(fnmatch.fnmatch(f.name, p) for p in patterns)
    ]
    assert not missing, f"not shipped by pip install .: {missing}"


def test_the_readme_commands_leave_the_checkout_clean() -> None:
    """`tthc run --out ket_qua` (the README's) and a bare `tthc run` (its default --out) write
    into the checkout: git must ignore both."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    for name in ("ket_qua/tong_hop.xlsx", "tthc-ket-qua/tong_hop.xlsx"):
        done = subprocess.run(
            ["git", "check-ignore", "-q", name], cwd=ROOT, capture_output=True, timeout=60
        )
        assert done.returncode == 0, f"{name} is not git-ignored"


@pytest.mark.slow
def test_the_wheel_installs_one_top_level_name(tthc_wheel: Path) -> None:
    """One import name, `tthc`: the stages, their rules and the sample inside it; the tools
    (corpus/) and the tests outside. Eight names used to be installed (`rules`, `schemas` …),
    several of them names of other distributions on PyPI, so installing tthc beside one made
    two distributions write the same package."""
    with zipfile.ZipFile(tthc_wheel) as whl:
        names = whl.namelist()
        top_level = [whl.read(n).decode().split() for n in names if n.endswith("top_level.txt")]
    tops = {n.split("/")[0] for n in names}
    assert {t for t in tops if not t.endswith((".dist-info", ".data"))} == {"tthc"}
    assert top_level in ([], [["tthc"]])
    assert {"tthc/process.py", "tthc/rules/field_names.toml", "tthc/cli/commands.py"} <= set(names)
    assert not any(n.startswith(("corpus/", "tests/")) for n in names)

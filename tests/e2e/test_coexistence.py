"""tthc installed beside the PyPI distributions `rules` and `schemas`: the run works and both
names stay theirs.

tthc once installed eight top-level import names, `rules` and `schemas` among them, so pip
installing one of those distributions beside it wrote into the same package folder.

How the proof is kept cheap (about 15 s instead of about 80 s):
- A fresh venv made with `--without-pip` (no ensurepip) and never `--system-site-packages`:
  the test's own pip fills it through `pip --python`.
- Into it go the built wheel of tthc (`--no-deps`, the wheel the packaging test checks) and
  `rules` and `schemas` with their own dependencies, from the package index.
- tthc's third-party dependencies (spaCy, pandas, OpenCV … 700 MB) are not installed again: a
  `.pth` file, read after the venv's own site-packages, adds the folders where the running
  interpreter finds them. A folder named in a `.pth` file is put on the path as it is: the
  `.pth` files inside it (the editable install of tthc among them) are not run. So tthc can
  only come from the wheel, and `rules`/`schemas` from the venv, which comes first; the test
  asserts both places, and that no file belongs to two distributions.

PyPI's `schemas` (0.7.1, the latest, of 2014) is Python 2 source: `import schemas` is a
SyntaxError on any Python 3, with or without tthc. For it the test asserts where the name
resolves (its spec) and that the file is the one its distribution installed; `rules` is
imported for real.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PIP_OFFLINE, ROOT

SAMPLE_REPORT = ROOT / "tthc" / "sample" / "03_xa_ngoc_giang.txt"

# Run inside the new venv: where each name resolves, and which of the distributions installed
# in the venv itself own each top-level folder.
PROBE = """
import importlib.metadata as md, importlib.util, json, sys, sysconfig
import rules, tthc
owners = {}
for dist in md.distributions(path=[sysconfig.get_paths()["purelib"]]):
    for f in dist.files or ():
        top = f.parts[0]
        if len(f.parts) > 1 and top != ".." and not top.endswith((".dist-info", "__pycache__")):
            owners.setdefault(top, set()).add(dist.metadata["Name"])
print(json.dumps({
    "rules": rules.__file__,
    "schemas": importlib.util.find_spec("schemas").origin,
    "tthc": tthc.__file__,
    "schemas_dist": [str(f.locate()) for f in md.files("schemas") if f.name == "__init__.py"],
    "shared": {t: sorted(o) for t, o in owners.items() if len(o) > 1},
    "prefix": sys.prefix,
}))
"""


def _pip(venv_python: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "pip", "--python", str(venv_python), "install", "-q", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600)


def _site_packages(python: Path) -> Path:
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    done = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=True)
    return Path(done.stdout.strip())


def test_tthc_runs_beside_rules_and_schemas_from_pypi(tmp_path: Path, tthc_wheel: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = _site_packages(python)

    done = _pip(python, "rules", "schemas")
    if done.returncode != 0 and any(s in done.stdout + done.stderr for s in PIP_OFFLINE):
        pytest.skip("PyPI is not reachable here: rules and schemas cannot be installed")
    assert done.returncode == 0, done.stderr
    done = _pip(python, "--no-deps", str(tthc_wheel))
    assert done.returncode == 0, done.stderr
    ours = [p for p in sys.path if p.endswith(("site-packages", "dist-packages"))]
    (site / "zz_tthc_dependencies.pth").write_text("\n".join(ours) + "\n", encoding="utf-8")

    probe = subprocess.run(
        [str(python), "-c", PROBE], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert probe.returncode == 0, probe.stderr
    found = json.loads(probe.stdout)
    assert Path(found["tthc"]).is_relative_to(site / "tthc")  # the wheel, not the checkout
    for name in ("rules", "schemas"):
        assert Path(found[name]) == site / name / "__init__.py", found
    assert found["schemas_dist"] == [str(site / "schemas" / "__init__.py")]
    assert found["shared"] == {}  # no folder written by two distributions

    reports = tmp_path / "bao_cao"
    reports.mkdir()
    shutil.copy2(SAMPLE_REPORT, reports)
    out = tmp_path / "ket_qua"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run = subprocess.run(
        [str(venv / "bin" / "tthc"), "run", str(reports), "--out", str(out)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
        cwd=tmp_path,
        env=env,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    records = json.loads((out / "ban_ghi.json").read_text(encoding="utf-8"))["records"]
    assert [r["unit"]["name"] for r in records] == ["Ngọc Giang"]
    assert (out / "tong_hop.xlsx").stat().st_size > 0

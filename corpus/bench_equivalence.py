"""Output-equivalence harness for speed work: run `tthc run` on fixed input sets, dump every
output in a comparable form, and compare against a saved baseline.

    python3 -m corpus.bench_equivalence record /tmp/base      # save the baseline dumps
    python3 -m corpus.bench_equivalence compare /tmp/base     # run again, diff against it

The sets: the bundled sample district, ../shared/seeds, the .txt texts of ../shared/realdev
and a generated 60-commune district (written once under the dumps' folder and reused, so both
sides read the same bytes). Each output is dumped as text: ban_ghi.json parsed (so its
indentation does not matter), the two CSVs as they are, every cell value of every sheet of
tong_hop.xlsx, and the paragraph and table text of du_thao_thong_bao.docx; run ids are blanked
everywhere. A speed change must leave every dump identical; the script prints each difference
and exits 1.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

_CLI = "import sys; from tthc.cli.commands import main; sys.argv[0] = 'tthc'; main()"
SHARED = Path(__file__).resolve().parents[2] / "shared"
DATE = "15/4/2025"
RUN_ID = re.compile(r"\b\d{8}-\d{6}-[0-9a-f]{6}\b")  # a run's id: differs on every run


def input_sets(root: Path) -> dict[str, Path | None]:
    """Set name → reports folder (None: the bundled sample). Generated inputs live in root."""
    sets: dict[str, Path | None] = {"sample": None}
    inputs = root / "inputs"
    seeds = SHARED / "seeds"
    if seeds.is_dir():
        sets["seeds"] = seeds
    realdev = SHARED / "realdev"
    if realdev.is_dir():
        texts = inputs / "realdev"
        if not texts.is_dir():
            texts.mkdir(parents=True)
            for path in sorted(realdev.glob("*.txt")):
                shutil.copyfile(path, texts / path.name)
        sets["realdev"] = texts
    district = inputs / "district60"
    if not district.is_dir():
        from corpus.generate import generate_district

        generate_district(district, n_communes=60, seed=7, truth_path=inputs / "truth60.json")
    sets["district60"] = district
    return sets


def run_set(folder: Path | None, out: Path) -> float:
    """`tthc run` as a process into a fresh out folder; seconds of wall time."""
    if out.exists():
        shutil.rmtree(out)
    args = [sys.executable, "-c", _CLI, "run", "--out", str(out), "--ngay", DATE]
    if folder is not None:
        args.insert(4, str(folder))
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    spent = time.perf_counter() - started
    (out.parent / f"{out.name}.stdout").write_text(done.stdout + "\n--stderr--\n" + done.stderr)
    return spent


def dump_json(path: Path) -> str:
    data = json.loads(path.read_text(encoding="utf-8"))
    data.get("tthc", {}).pop("run_id", None)
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)


def dump_xlsx(path: Path) -> str:
    import openpyxl

    book = openpyxl.load_workbook(path, data_only=False)
    lines = []
    for sheet in book.worksheets:
        lines.append(f"## {sheet.title}")
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    lines.append(f"{cell.coordinate}\t{cell.value!r}")
    return "\n".join(lines)


def dump_docx(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def dumps(out: Path) -> dict[str, str]:
    """Output name → its comparable text ('' for an absent output)."""
    readers = {
        "ban_ghi.json": dump_json,
        "canh_bao.csv": lambda p: p.read_text(encoding="utf-8-sig"),
        "ket_qua_doc_tep.csv": lambda p: p.read_text(encoding="utf-8-sig"),
        "tong_hop.xlsx": dump_xlsx,
        "du_thao_thong_bao.docx": dump_docx,
    }
    return {
        name: read(out / name) if (out / name).exists() else "" for name, read in readers.items()
    }


def produce(root: Path, target: Path) -> dict[str, float]:
    """Run every set, write its dumps under target/<set>/; set → seconds."""
    times = {}
    for name, folder in input_sets(root).items():
        out = Path("/tmp") / f"w22_eq_out_{name}"
        times[name] = run_set(folder, out)
        (target / name).mkdir(parents=True, exist_ok=True)
        for output, text in dumps(out).items():
            (target / name / f"{output}.txt").write_text(text, encoding="utf-8")
        print(f"  {name:12} {times[name]:7.2f} s", flush=True)
    return times


def compare(base: Path, new: Path) -> int:
    differences = 0
    for old in sorted(base.glob("*/*.txt")):
        fresh = new / old.parent.name / old.name
        a = RUN_ID.sub("<run>", old.read_text(encoding="utf-8"))
        b = RUN_ID.sub("<run>", fresh.read_text(encoding="utf-8")) if fresh.exists() else "-"
        if a != b:
            differences += 1
            print(f"KHÁC: {old.parent.name}/{old.name}")
            diff = difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=1)
            for line in list(diff)[:40]:
                print("   ", line)
    print(f"{differences} khác biệt trên {len(list(base.glob('*/*.txt')))} bản kết xuất")
    return 1 if differences else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m corpus.bench_equivalence")
    parser.add_argument("mode", choices=["record", "compare"])
    parser.add_argument("root", type=Path, help="the baseline folder (inputs and dumps)")
    args = parser.parse_args(argv)
    root = args.root
    if args.mode == "record":
        produce(root, root / "dumps")
        return 0
    new = root.parent / f"{root.name}_new"
    if new.exists():
        shutil.rmtree(new)
    produce(root, new)
    return compare(root / "dumps", new)


if __name__ == "__main__":
    raise SystemExit(main())

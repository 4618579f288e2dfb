"""Score the toolkit's records of a round against its gold.

A round folder holds the texts and `gold/*.json`; each gold's "file" is relative to the
round folder's parent ("r1/r1_03_xa.docx", "realdev/22_x.txt"). Per file and in total:
- dossier fields P/R/F1: every exact gold figure (and the unit's name and level, the report's
  number) is a hit when the record states the same value in the matching period, a miss
  otherwise, and a wrong value is also a false reading. Periods match by scope and year: the
  unit's own (`all`), `lien_thong` and a field's scope by name (a field's scope may be written
  "hộ tịch" or "part:hộ tịch"); a gold `part:` period takes the record's part or field period
  of its year with the most equal values (each record part serves one gold part), whatever
  the record names it; a field's figure may also be an item of the same period's breakdown
  named after the field (the lead's scoring note in WRITER_BRIEF.md). `optional` figures cost
  only a wrong value;
  `either` scores its best alternative (as ../shared/realdev/score.py does). `extra` counts
  the record's values in matched periods for fields the gold does not state (strict P).
- stated ratios linked: a gold ratio (num, den, pct) the record gives with the same three
  numbers, wrong ones included;
- planted slips flagged: gold `flags_required` groups with a flag of one of their codes;
- false error flags: error flags whose code no required group names and that the gold's own
  stated figures do not truly raise (the lead's note: a flag on an identity that really fails
  is never false); false warnings the same for warnings (`unread` apart);
- unread coverage: of the gold figures the record leaves null, how many an `unread` flag shows
  with that value; `unread` flags on a distractor's number are counted apart.
The scores are plain data (`FileScore`, `RoundScore`); `format_round` prints them.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tthc.textkit.forms import match_form

Record = dict  # a record as `tthc extract --json` prints it


def nfc(s: object) -> str:
    return unicodedata.normalize("NFC", str(s or "")).casefold().strip()


def period_year(p: dict) -> int | None:
    """The year of a record's period: from its dates, else the last year in its label."""
    for k in ("end", "start"):
        v = p.get(k)
        if v and re.match(r"\d{4}", str(v)):
            return int(str(v)[:4])
    years = re.findall(r"(20\d\d)", p.get("label") or "")
    return int(years[-1]) if years else None


@dataclass
class FileScore:
    name: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    extra: int = 0  # values in matched periods for fields the gold does not state
    wrong: int = 0  # gold figures read with another value
    ratios: int = 0
    ratios_n: int = 0
    slips: int = 0
    slips_n: int = 0
    false_errors: list[str] = field(default_factory=list)
    false_warnings: list[str] = field(default_factory=list)
    forbidden: int = 0  # realdev's count: flags of forbidden codes (a wrong ratio's tolerated)
    unread: int = 0  # gold figures left null that an `unread` flag shows
    unread_n: int = 0  # gold figures left null (quantifier facts apart: no number to show)
    unread_flags: int = 0
    unread_on_distractors: int = 0
    quantifier: int = 0
    quantifier_n: int = 0
    citations: int = 0
    citations_n: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass
class RoundScore:
    files: list[FileScore]

    def total(self) -> FileScore:
        out = FileScore("TOTAL")
        for f in self.files:
            for k, v in asdict(f).items():
                if k in ("name", "notes"):
                    continue
                if isinstance(v, list):
                    getattr(out, k).extend(v)
                else:
                    setattr(out, k, getattr(out, k) + v)
        return out


def prf(s: FileScore, strict: bool = False) -> tuple[float, float, float]:
    fp = s.fp + (s.extra if strict else 0)
    p = s.tp / max(1, s.tp + fp)
    r = s.tp / max(1, s.tp + s.fn)
    f1 = 2 * p * r / max(1e-9, p + r)
    return p, r, f1


# ---------------------------------------------------------------- fields
def _matches(p: dict | None, want: dict) -> int:
    d = (p or {}).get("dossiers") or {}
    return sum(d.get(k) == v for k, v in want.items())


def _label_like(p: dict, gp: dict) -> bool:
    return nfc(p.get("label")) == nfc(gp.get("label"))


def _field_key(scope: str) -> str:
    """A field's scope by its usual name ("Kinh doanh" and "hộ kinh doanh" alike: the
    project's field vocabulary, tthc/rules/vocabulary.toml), "part:" kept."""
    from tthc.extract.lexicon import field_name

    prefix, _, name = scope.rpartition(":")
    return nfc(prefix + (":" if prefix else "") + (field_name(name) or name))


def _is_apart(scope: str) -> bool:
    """A part or a field's figures: not the whole unit, not liên thông."""
    return scope not in ("all", "lien_thong")


def _candidates(periods: list[dict], gp: dict) -> list[dict]:
    """Record periods a gold period may be: the same scope; for a part, any part or field
    scope (the part's name is the writer's); for a field, that field as a field's scope or
    as a part ("hộ tịch" or "part:hộ tịch": the same figures, named two ways)."""
    scope = gp.get("scope", "all")
    year = gp.get("year")
    if scope.startswith("part:"):
        same = [p for p in periods if _is_apart(p.get("scope") or "all")]
    elif _is_apart(scope):
        names = {_field_key(scope), _field_key(f"part:{scope}")}
        same = [p for p in periods if _field_key(p.get("scope") or "all") in names]
    else:
        same = [p for p in periods if (p.get("scope") or "all") == scope]
    return [p for p in same if period_year(p) in (year, None)]


_RUNNING = re.compile(r"lũy\s+kế|luỹ\s+kế|từ\s+đầu\s+năm", re.I)


def _not_the_report_period(periods: list[dict], golds: list[dict]) -> Callable[[dict], list]:
    """Candidates of a gold period; a gold running total ("Lũy kế từ đầu năm", no days) is
    never the record's period that another gold period names (the report's own month): its
    figures, left unread, must count as misses shown, not as wrong values of that month."""
    own = {
        nfc(g.get("label")).casefold() for g in golds if not _RUNNING.search(g.get("label") or "")
    }

    def candidates(gp: dict) -> list:
        found = _candidates(periods, gp)
        if not _RUNNING.search(gp.get("label") or ""):
            return found
        return [p for p in found if nfc(p.get("label")).casefold() not in own]

    return candidates


def match_periods(record: Record, gold: dict) -> list[dict | None]:
    """The record period each gold period is compared with (None: no candidate). A record's
    part serves one gold part; the unit's own periods may serve several (realdev's rule)."""
    golds = gold.get("periods", [])
    _candidates_of = _not_the_report_period(record.get("periods") or [], golds)
    chosen: list[dict | None] = [None] * len(golds)
    used: set[int] = set()
    order = sorted(
        range(len(golds)),
        key=lambda i: (
            -max(
                (_matches(p, golds[i].get("dossiers", {})) for p in _candidates_of(golds[i])),
                default=0,
            )
        ),
    )
    for i in order:
        gp = golds[i]
        part = _is_apart(gp.get("scope", "all"))
        cands = [p for p in _candidates_of(gp) if not (part and id(p) in used)]
        if not cands:
            continue
        best = max(cands, key=lambda p: (_matches(p, gp.get("dossiers", {})), _label_like(p, gp)))
        chosen[i] = best
        if part:
            used.add(id(best))
    return chosen


def _bare_name(name: str) -> str:
    """A field's name compared without case, accents or spaces ("Giáo dục" ~ "giao duc")."""
    decomposed = unicodedata.normalize("NFD", nfc(name).replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c) and not c.isspace())


def _listed(record: Record, gp: dict, value: object) -> bool:
    """The lead's rule for a field's scope: the record may give the field's count as an item
    of a breakdown of the same period instead ("lĩnh vực như giáo dục (10.408 hồ sơ)")."""
    want = _bare_name(_field_key(gp.get("scope", "")))
    for p in record.get("periods") or []:
        if period_year(p) not in (gp.get("year"), None):
            continue
        for b in p.get("breakdowns") or []:
            for name, v in (b.get("items") or {}).items():
                if v == value and _bare_name(_field_key(name)) == want:
                    return True
    return False


def _score_value(s: FileScore, where: str, want: object, got: object) -> None:
    if got == want:
        s.tp += 1
        return
    s.fn += 1
    if got is not None:
        s.fp += 1
        s.wrong += 1
    s.notes.append(f"{where}: want {want} got {got}")


def score_fields(s: FileScore, record: Record, gold: dict) -> list[tuple[str, int]]:
    """Unit, report number and dossier figures; returns the gold figures left null
    (where, value), quantifier facts apart."""
    unit = record.get("unit") or {}
    for k, v in (gold.get("unit") or {}).items():
        got = unit.get(k)
        # one name in either tone-mark style ("Thượng Hoà" is "Thượng Hòa")
        if nfc(got) == nfc(v) or (got and v and match_form(nfc(got)) == match_form(nfc(v))):
            s.tp += 1
        else:
            s.fn += 1
            s.fp += got is not None
            s.notes.append(f"unit.{k}: want {v!r} got {got!r}")
    number = (gold.get("report") or {}).get("number")
    if number:
        got = (record.get("report") or {}).get("number")
        if nfc(got).replace(" ", "") == nfc(number).replace(" ", ""):
            s.tp += 1
        else:
            s.fn += 1
            s.fp += got is not None
            s.notes.append(f"report.number: want {number!r} got {got!r}")
    missed: list[tuple[str, int]] = []
    for gp, best in zip(gold.get("periods", []), match_periods(record, gold), strict=True):
        scope = gp.get("scope", "all")
        d = (best or {}).get("dossiers") or {}
        tag = f"{gp.get('label') or gp.get('year')}/{scope}"
        quantified = set(gp.get("by_quantifier") or [])
        field_scope = _is_apart(scope) and not scope.startswith("part:")
        for k, v in gp.get("dossiers", {}).items():
            got = d.get(k)
            if got != v and field_scope and _listed(record, gp, v):
                got = v  # the lead's rule: a breakdown item of that field
                d = {**d, k: v}
            _score_value(s, f"{tag}.{k}", v, got)
            if k in quantified:
                s.quantifier_n += 1
                s.quantifier += d.get(k) == v
            elif d.get(k) is None:
                missed.append((f"{tag}.{k}", v))
        optional = gp.get("optional") or {}
        for k, v in optional.items():
            if k in gp.get("dossiers", {}):
                continue  # stated exactly too (the brief's rule): the exact value is scored
            got = d.get(k)
            if got is not None and got != v:
                s.fp += 1
                s.notes.append(f"{tag}.{k}: want {v} or null got {got}")
        stated = set(gp.get("dossiers", {})) | set(optional)
        if gp.get("either"):
            alt = max(gp["either"], key=lambda a: sum(d.get(k) == v for k, v in a.items()))
            for k, v in alt.items():
                _score_value(s, f"{tag}.{k}", v, d.get(k))
            stated |= {k for a in gp["either"] for k in a}
        extras = {k: v for k, v in d.items() if v is not None and k not in stated}
        if best is not None and extras:
            s.extra += len(extras)
            s.notes.append(f"{tag}: extra {extras}")
    return missed


# ---------------------------------------------------------------- ratios, flags
def score_ratios(s: FileScore, record: Record, gold: dict) -> None:
    pcts = record.get("percentages") or []
    for gr in gold.get("ratios", []):
        s.ratios_n += 1
        hit = any(
            p.get("numerator") == gr["num"]
            and p.get("denominator") == gr["den"]
            and p.get("value") is not None
            and abs(float(p["value"]) - gr["pct"]) < 1e-6
            for p in pcts
        )
        s.ratios += hit
        if not hit:
            s.notes.append(f"ratio {gr['num']}/{gr['den']}={gr['pct']} not linked")


def true_codes(gold: dict) -> set[str]:
    """The codes the text's own stated figures (the gold's, slips included) truly raise: a
    flag on an identity that really fails is never a false flag (the lead's scoring note),
    e.g. a resolved total inflated past the received total also makes `impossible` true."""
    from tthc.check.arithmetic import check_identities
    from tthc.schemas import Dossiers, Period

    out: set[str] = set()
    for gp in gold.get("periods", []):
        period = Period(label=gp.get("label") or "?", dossiers=Dossiers(**gp.get("dossiers", {})))
        out |= {f.code for f in check_identities(period)}
    return out


def _numbers_in(text: str) -> set[int]:
    out = set()
    for n in re.findall(r"\d+(?:[.,]\d{3})*", text):
        out.add(int(re.sub(r"[.,]", "", n)))
    return out


def score_flags(s: FileScore, record: Record, gold: dict, missed: list[tuple[str, int]]) -> None:
    flags = record.get("flags") or []
    serious = [f for f in flags if f.get("severity") in ("error", "warning")]
    codes = [f.get("code") for f in serious]
    required = {c for group in gold.get("flags_required", []) for c in group}
    for group in gold.get("flags_required", []):
        s.slips_n += 1
        if any(c in codes for c in group):
            s.slips += 1
        else:
            s.notes.append(f"slip not flagged: {'|'.join(group)}")
    true = true_codes(gold)
    for f in serious:
        code = f.get("code")
        if code in required or code == "unread" or code in true:
            continue
        line = f"{code}: {(f.get('message') or '')[:110]}"
        if f["severity"] == "error":
            s.false_errors.append(line)
            s.notes.append(f"false error {line}")
        else:
            s.false_warnings.append(line)
    wrong_ratios = sum(1 for r in gold.get("ratios", []) if not r.get("ok", True))
    for code in gold.get("flags_forbidden", []):
        n = codes.count(code)
        if code == "ratio":
            n = max(0, n - wrong_ratios)
        s.forbidden += n
    unread = [f for f in flags if f.get("code") == "unread"]
    s.unread_flags += len(unread)
    shown = [f.get("actual") for f in unread]
    for where, value in missed:
        s.unread_n += 1
        if value in shown:
            s.unread += 1
            shown.remove(value)
        else:
            s.notes.append(f"silent miss {where} = {value}")
    golden = {v for gp in gold.get("periods", []) for v in gp.get("dossiers", {}).values()}
    noise = set().union(*(_numbers_in(d) for d in gold.get("distractors", []))) - golden
    for f in unread:
        if f.get("actual") in noise:
            s.unread_on_distractors += 1
            s.notes.append(f"unread on a distractor: {f.get('actual')}")


def _sym(sym: str) -> str:
    return nfc(sym).replace(" ", "").replace("đ", "d").replace("-", "")


def score_citations(s: FileScore, record: Record, gold: dict) -> None:
    got = {(_sym(c.get("symbol") or ""), c.get("date")) for c in record.get("citations") or []}
    for gc in gold.get("citations", []):
        s.citations_n += 1
        symbols = gc["symbol"] if isinstance(gc["symbol"], list) else [gc["symbol"]]
        ok = any(
            _sym(sym) == g and (not gc.get("date") or gc["date"] == d)
            for sym in symbols
            for g, d in got
        )
        s.citations += ok
        if not ok:
            s.notes.append(f"citation {symbols[0]} not found")


def score_file(name: str, record: Record | None, gold: dict) -> FileScore:
    s = FileScore(name)
    if record is None or record.get("status") == "failed":
        s.notes.append("no record: " + "; ".join((record or {}).get("errors") or []))
        record = {"periods": [], "flags": []}
    missed = score_fields(s, record, gold)
    score_ratios(s, record, gold)
    score_flags(s, record, gold, missed)
    score_citations(s, record, gold)
    return s


# ---------------------------------------------------------------- running
def load_golds(folder: Path) -> list[tuple[Path, dict]]:
    """(text path, gold) of a round folder; "file" is relative to the folder's parent."""
    out = []
    for path in sorted((folder / "gold").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        out.append((folder.parent / gold["file"], gold))
    return out


def _process(path: Path) -> Record:
    from tthc.process import process_file

    return process_file(path).to_json()


def score_round(
    folder: Path, process: Callable[[Path], Record] = _process, verbose: bool = False
) -> RoundScore:
    files = []
    for path, gold in load_golds(folder):
        record = process(path) if path.is_file() else None
        files.append(score_file(path.name, record, gold))
    return RoundScore(files)


def _line(s: FileScore) -> str:
    p, r, f1 = prf(s)
    sp, _, sf1 = prf(s, strict=True)
    return (
        f"F1={f1:.3f} (P={p:.3f} R={r:.3f}; strict P={sp:.3f} F1={sf1:.3f}, extra {s.extra})"
        f" ratios {s.ratios}/{s.ratios_n} slips {s.slips}/{s.slips_n}"
        f" false-errors {len(s.false_errors)} false-warnings {len(s.false_warnings)}"
        f" unread {s.unread}/{s.unread_n} (flags {s.unread_flags},"
        f" on distractors {s.unread_on_distractors})"
        f" quantifier {s.quantifier}/{s.quantifier_n}"
        + (f" citations {s.citations}/{s.citations_n}" if s.citations_n else "")
        + f" forbidden {s.forbidden}"
    )


def format_round(score: RoundScore, verbose: bool = False) -> Iterable[str]:
    for s in score.files:
        yield f"{s.name}: tp={s.tp} fp={s.fp} fn={s.fn} " + _line(s)
        if verbose:
            for n in s.notes:
                yield f"    {n}"
    yield "TOTAL: " + _line(score.total())


def summary(score: RoundScore) -> dict:
    """The figures a ledger line and a regression test hold."""
    t = score.total()
    p, r, f1 = prf(t)
    return {
        "files": len(score.files),
        "f1": round(f1, 3),
        "precision": round(p, 3),
        "recall": round(r, 3),
        "strict_f1": round(prf(t, strict=True)[2], 3),
        "ratios": [t.ratios, t.ratios_n],
        "slips": [t.slips, t.slips_n],
        "false_errors": len(t.false_errors),
        "false_warnings": len(t.false_warnings),
        "unread": [t.unread, t.unread_n],
        "unread_on_distractors": t.unread_on_distractors,
        "quantifier": [t.quantifier, t.quantifier_n],
    }


def passes(summary_: dict) -> bool:
    """The issue's bar for a round on first contact."""
    ratios, slips, unread = summary_["ratios"], summary_["slips"], summary_["unread"]
    return (
        summary_["f1"] >= 0.95
        and ratios[0] >= 0.9 * ratios[1]
        and slips[0] == slips[1]
        and summary_["false_errors"] == 0
        and unread[0] == unread[1]
    )

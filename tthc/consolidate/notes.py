"""A commune's flags as slips, each said once in an officer's words.

One wrong figure often breaks two identities (a "new dossiers" typo breaks received total =
new + carried over and new = online + offline): the checks then raise two flags with the
same suggested repair. For the officer that is one slip, so it is one flag (one "Lỗi" row
on the flags sheet) and one note. A note says what the report writes, what its parts add
up to and what to do (rules/flags.toml [notice]); the notice prints it and the
workbook's "Ghi chú" column prints the same sentence, so every figure the notice names
stands beside the cell it is about.
"""

from __future__ import annotations

from tthc.rules.flags import SEVERITY_RANK, flag_words, registry_hint
from tthc.schemas import DOSSIER_FIELDS, Flag
from tthc.schemas.names import field_label
from tthc.schemas.summary import CommuneRow, RowNote
from tthc.textkit.numbers import format_count
from tthc.wording import fmt_count


def _is_sum(flag: Flag) -> bool:
    return (flag.code.startswith("sum.") and flag.code != "sum.breakdown") or flag.code == "balance"


def _slip_key(flag: Flag) -> tuple | None:
    """Flags with one key are one slip: identities repaired by the same single change."""
    if not _is_sum(flag) or not flag.suggestion:
        return None
    return (flag.period_key, flag.scope or "all", flag.suggestion)


def slips(flags: list[Flag]) -> list[list[Flag]]:
    """The flags grouped by slip, in the order of their first flag."""
    groups: dict[tuple, list[Flag]] = {}
    out: list[list[Flag]] = []
    for f in flags:
        key = _slip_key(f)
        if key is not None and key in groups:
            groups[key].append(f)
            continue
        group = [f]
        out.append(group)
        if key is not None:
            groups[key] = group
    return out


def merged(group: list[Flag]) -> Flag:
    """One flag for a slip: the worst severity, every message, field and quote once."""
    if len(group) == 1:
        return group[0]
    first = max(group, key=lambda f: SEVERITY_RANK[f.severity])
    evidence, seen = [], set()
    for f in group:
        for e in f.evidence:
            if (e.line, e.start, e.quote) not in seen:
                seen.add((e.line, e.start, e.quote))
                evidence.append(e)
    return first.model_copy(
        update={
            "message": " ".join(dict.fromkeys(_sentence(f.message) for f in group)),
            "fields": list(dict.fromkeys(x for f in group for x in f.fields)),
            "evidence": evidence,
        }
    )


def row_notes(row: CommuneRow, groups: list[list[Flag]]) -> list[RowNote]:
    """Each slip of the row as one note, worst first."""
    notes = [_note(group, row) for group in groups]
    return sorted(notes, key=lambda n: -SEVERITY_RANK[n.severity])


def _note(group: list[Flag], row: CommuneRow) -> RowNote:
    said = [_plain(f, row) for f in group]
    sentences = [text for text, _ in said] + [advice for _, advice in said if advice]
    flag = merged(group)
    return RowNote(
        code=flag.code,
        severity=flag.severity,
        fields=list(flag.fields),
        text=" ".join(dict.fromkeys(sentences)),
    )


def _plain(flag: Flag, row: CommuneRow) -> tuple[str, str | None]:
    """A flag as an officer writes it: what the report says and what it should add up to,
    then what to do."""
    words = flag_words().notice
    values = row.dossiers.model_dump()
    fields = [f for f in flag.fields if f in values]
    if (
        _is_sum(flag)
        and fields
        and isinstance(flag.actual, int | float)
        and isinstance(flag.expected, int | float)
        and all(values[p] is not None for p in fields[1:])
    ):
        whole, parts = fields[0], fields[1:]
        text = words["sum"].format(
            whole=field_label(whole),
            stated=fmt_count(flag.actual),
            parts=", ".join(f"{field_label(p).lower()} {fmt_count(values[p])}" for p in parts),
            total=fmt_count(flag.expected),
            diff=fmt_count(abs(flag.actual - flag.expected)),
        )
        return text, _repair(flag, words)
    if flag.code == "conflict.value" and fields and isinstance(flag.actual, list):
        seen = [flag.expected, *flag.actual]
        text = words["conflict"].format(
            label=field_label(fields[0]),
            values=" và ".join(fmt_count(v) for v in dict.fromkeys(seen) if v is not None),
        )
        return text, None
    message = _in_notice_words(_sentence(flag.message), flag, words)
    follow = words.get(flag.code) or words.get(flag.code.split(".")[0]) or words["check"]
    return message, follow


def _in_notice_words(message: str, flag: Flag, words: dict[str, str]) -> str:
    """A citation's message with what the registry knows said as the notice says it ("Văn
    bản đúng là …" for the flag's "Theo cơ sở dữ liệu văn bản: …"), from the repair's
    document, not from the message's text."""
    doc = flag.repair.document if flag.repair else None
    if doc is None:
        return message
    lead = flag_words().citations.messages["registry_lead"]
    hint = registry_hint(doc.kind, doc.symbol, doc.date, doc.issuer, lead)
    return message.replace(
        hint.strip(),
        registry_hint(doc.kind, doc.symbol, doc.date, doc.issuer, words["registry"]).strip(),
    )


def _repair(flag: Flag, words: dict[str, str]) -> str:
    """ "Nếu số kỳ trước chuyển qua đúng là 13 (không phải 16) …", or what to check."""
    repair = flag.repair
    if repair is None or repair.field not in DOSSIER_FIELDS:
        return words["check"]
    return words["repair"].format(
        label=field_label(repair.field).lower(),
        old=format_count(repair.stated),
        new=format_count(repair.suggested),
    )


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."

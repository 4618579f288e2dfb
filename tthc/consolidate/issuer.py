"""Who issues the notice, on what grounds, and who receives it: by the roster and the date.

Until 30/6/2025 a district (UBND huyện) issued it; since two-tier local government the
province or centrally-run city does, as its People's Committee (TM./KT. Chủ tịch) or as its
office (Văn phòng UBND, TB-VP, Chánh Văn phòng): roster.toml [notice] says which. The grounds
are the documents tthc/rules/notice.toml lists that the registry has in force on the date (the
notice's, or the period's end), each with the amendments then in force; the central body in
charge of TTHC control (Văn phòng Chính phủ until 31/12/2025, Bộ Tư pháp from 10/1/2026)
receives the notice unless the roster leaves it out.
"""

from __future__ import annotations

import datetime as dt

from tthc.rules.legal_registry import LegalDocument, registry_rows
from tthc.rules.notice_issuers import NoticeRules, notice_rules
from tthc.schemas.summary import DistrictSummary, NoticeMeta, NoticeSettings
from tthc.wording import communes_word

MISSING_CENTRAL = "[cơ quan trung ương phụ trách kiểm soát TTHC]"


def reference_day(summary: DistrictSummary) -> dt.date | None:
    """The day the notice speaks from: its date when known, else the period's end."""
    return summary.notice.date or summary.period_end


def fill_issuer(summary: DistrictSummary, settings: NoticeSettings | None = None) -> NoticeMeta:
    """The notice's issuer, header, number code, signature, recipients and grounds."""
    settings = settings or NoticeSettings()
    rules = notice_rules()
    meta = summary.notice
    kind = "district" if summary.parent.is_district else settings.issuer
    spec = rules.issuers[kind]
    day = reference_day(summary)
    central = rules.central_on(day) if day and kind != "district" else None
    parent = summary.parent
    values = {
        "level": parent.level,
        "name": parent.name,
        "LEVEL": parent.level.upper(),
        "NAME": parent.name.upper(),
        "province": parent.province or "[……]",
        "communes": communes_word(r.level for r in summary.communes),
    }
    values["focal_office"] = spec.focal_office.format(**values)
    meta.issuer = spec.issuer.format(**values)
    meta.agency_lines = [line.format(**values) for line in spec.agency]
    meta.number_code = spec.code
    meta.asks = spec.asks
    meta.focal_office = values["focal_office"]
    meta.signature = list(spec.sign[settings.signing])
    meta.central = central
    recipients = []
    for line in spec.recipients:
        if "{central}" in line:
            if not settings.central_recipient:
                continue
            line = line.replace("{central}", central or MISSING_CENTRAL)
        recipients.append(line.format(**values))
    meta.recipients = recipients
    meta.grounds = grounds(day, rules)
    return meta


def _in_force(doc: LegalDocument, day: dt.date) -> bool:
    start = doc.effective or doc.date
    return (start is None or start <= day) and (doc.replaced_on is None or day < doc.replaced_on)


def _cited(doc: LegalDocument) -> str:
    when = f" ngày {doc.date.day:02d}/{doc.date.month}/{doc.date.year}" if doc.date else ""
    return f"{doc.kind} số {doc.symbol}{when} của {doc.issuer}"


def grounds(day: dt.date | None, rules: NoticeRules | None = None) -> list[str]:
    """ "Căn cứ Nghị định số 118/2025/NĐ-CP ngày 09/6/2025 của Chính phủ về …" for each
    ground in force on the day, with its amendments then in force."""
    if day is None:
        return []
    rules = rules or notice_rules()
    docs = {d.symbol: d for d in registry_rows()}
    out = []
    for ground in rules.grounds:
        doc = docs.get(ground.symbol)
        if doc is None or not _in_force(doc, day):
            continue
        text = f"Căn cứ {_cited(doc)} {ground.subject}"
        amendments = [docs[s] for s in ground.amended_by if s in docs and _in_force(docs[s], day)]
        if amendments:
            text += (
                " (được sửa đổi, bổ sung bởi "
                + " và ".join(f"{a.kind} số {a.symbol}" for a in amendments)
                + ")"
            )
        out.append(text + ";")
    return out

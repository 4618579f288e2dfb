"""Citation codes: kinds, code letters and issuers of documents (tthc/rules/citation_codes.toml).

The reader of citations (tthc.extract.citations) finds symbols with these tables; the
check stage (tthc.check.citation_checks, tthc.check.registry) judges them with the same tables and
the same comparison keys (`symbol_key`, `issuers_compatible`), so both read them here, below both.
The file is validated when loaded (unknown names, wrong kinds, a pattern that does not
compile are a RulesError naming the file and the line), then compiled to patterns once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

import regex
from pydantic import Field, field_validator, model_validator

from tthc.rules.phrasing import Strict, load_rules
from tthc.textkit.forms import compile_vi, match_form

# Problems a symbol can have, as written in Citation.problems.
NO_YEAR, GLUED, SPACED, UNKNOWN_CODE = "no_year", "glued", "spaced", "unknown_code"

_WS = regex.compile(r"\s+")


# --------------------------------------------------------------------------- the file's schema
class IssuerEntry(Strict):
    name: str
    central: bool = False
    kind: str | None = None  # the kind of a code that starts with this token (no kind letters)


class IssuerPattern(IssuerEntry):
    pattern: str

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, pattern: str) -> str:
        try:
            regex.compile(pattern)
        except regex.error as exc:
            raise ValueError(f"bad pattern ({exc})") from exc
        return pattern


class KindEntry(Strict):
    words: list[str] = Field(default_factory=list)
    issuer: str | None = None
    code: str | None = None
    requires_year: bool = False
    no_letters: bool = False
    also_letters: list[str] = Field(default_factory=list)


class NoLetters(Strict):
    kind: str


class Words(Strict):
    words: list[str]


class Local(Strict):
    levels: list[str]
    heads: list[str]
    place_stops: list[str]


class Organizations(Strict):
    heads: list[str]
    max_words: int = Field(gt=0)


class Subject(Strict):
    leads: list[str]
    verbs: list[str]
    max_chars: int = Field(gt=0)


class IssuerBefore(Strict):
    verbs: list[str]
    preverbs: list[str]


class CitationCodes(Strict):
    """tthc/rules/citation_codes.toml."""

    letters: dict[str, str]  # kind letters → kind
    issuers: dict[str, IssuerEntry]
    issuer_patterns: list[IssuerPattern] = Field(default_factory=list)
    no_letters: NoLetters
    kinds: dict[str, KindEntry]
    generic: Words
    issuer_names: dict[str, str]
    local_bodies: dict[str, str]
    local: Local
    organizations: Organizations
    subject: Subject
    issuer_before: IssuerBefore

    @model_validator(mode="after")
    def _known_kinds(self) -> CitationCodes:
        named = [("no_letters", self.no_letters.kind)]
        named += [(f"issuers.{t}", i.kind) for t, i in self.issuers.items() if i.kind]
        named += [(f"issuer_patterns {p.pattern}", p.kind) for p in self.issuer_patterns if p.kind]
        for where, kind in named:
            if kind not in self.kinds:
                raise ValueError(f"{where}: unknown kind {kind!r} (not in [kinds])")
        return self


# --------------------------------------------------------------------------- compiled rules


@dataclass(frozen=True, slots=True)
class KindRule:
    """What the rules file says about one kind of document."""

    name: str
    words: tuple[str, ...]
    issuer: str | None = None
    code: str | None = None
    requires_year: bool = False
    no_letters: bool = False
    also_letters: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class IssuerToken:
    """An issuer token of a code ("CP", "TTg", "UBND", "QH15") and the body it names."""

    token: str
    name: str
    central: bool = False
    kind: str | None = None  # kind of a code that starts with this token (no kind letters)


@dataclass(frozen=True, slots=True)
class CodeParts:
    """A code split into kind letters ("" when none), issuer token and the rest (units)."""

    letters: str
    issuer: IssuerToken | None
    units: tuple[str, ...]


@dataclass(frozen=True)
class CodeRules:
    """The rules file, loaded once, with its phrases compiled to patterns."""

    letters: dict[str, str]  # UPPER → canonical kind letters
    letter_kind: dict[str, str]  # canonical kind letters → kind
    issuers: dict[str, IssuerToken]  # UPPER → issuer token
    issuer_patterns: tuple[tuple[Any, IssuerToken], ...]
    no_letters_kind: str
    kinds: dict[str, KindRule]
    kind_words: dict[str, str | None]  # match-form word → kind (None: generic "văn bản")
    issuer_names: dict[str, str]  # match-form phrase → canonical issuer
    local_bodies: dict[str, str]
    local_heads: tuple[str, ...]
    org_max_words: int
    subject_max: int
    kind_before: Any = field(repr=False)
    issuer_name_re: Any = field(repr=False)
    local_re: Any = field(repr=False)
    org_re: Any = field(repr=False)
    subject_re: Any = field(repr=False)
    stop_re: Any = field(repr=False)
    place_stop_re: Any = field(repr=False)
    issuer_start_re: Any = field(repr=False)
    issuer_tail_re: Any = field(repr=False)

    def canonical_token(self, raw: str) -> str | None:
        """A code token as the kind uses it ("ttg" → "TTg"); None when it is no code token.

        Known tokens take their spelling from the data; an unknown token counts only when it
        is written in capitals ("TTPVHCC"), so "đồng/người" or "93/Tổng" never do.
        """
        key = raw.upper()
        if key in self.letters:
            return self.letters[key]
        if key in self.issuers:
            return self.issuers[key].token
        if any(p.fullmatch(key) for p, _ in self.issuer_patterns):
            return key
        mended = self.mend(key)
        if mended is not None:
            return self.canonical_token(mended)
        if len(raw) >= 2 and raw.isupper():
            return raw
        return None

    def mend(self, key: str) -> str | None:
        """A scan's doubled letter ("QĐĐ" from "QĐÐ") undone when that gives a known token;
        the written symbol is kept in `raw`, and no flag comes from the confusion."""
        for i in range(len(key) - 1):
            if key[i] == key[i + 1]:
                candidate = key[:i] + key[i + 1 :]
                if self.is_known_token(candidate):
                    return candidate
        return None

    def is_known_token(self, token: str) -> bool:
        key = token.upper()
        return (
            key in self.letters
            or key in self.issuers
            or any(p.fullmatch(key) for p, _ in self.issuer_patterns)
        )

    def issuer_token(self, token: str) -> IssuerToken | None:
        key = token.upper()
        if key in self.issuers:
            return self.issuers[key]
        for pattern, info in self.issuer_patterns:
            if pattern.fullmatch(key):
                return IssuerToken(key, info.name, info.central, info.kind)
        return None

    def split_code(self, code: str) -> CodeParts:
        """Kind letters, issuer token and units of a normalized code ("QĐ-TTg")."""
        tokens = code.split("-")
        if tokens[0].upper() in self.letters:
            letters, rest = self.letters[tokens[0].upper()], tokens[1:]
        else:
            letters, rest = "", tokens
        issuer = self.issuer_token(rest[0]) if rest else None
        return CodeParts(letters, issuer, tuple(rest[1:] if rest else ()))

    def kind_of_code(self, code: str) -> str | None:
        """The kind a code names: its kind letters, or the issuer's default with none."""
        parts = self.split_code(code)
        if parts.letters:
            return self.letter_kind.get(parts.letters)
        if parts.issuer is None:
            return None
        return parts.issuer.kind or self.no_letters_kind

    def kind_accepts(self, kind: str, letters: str) -> bool:
        """Whether a document of `kind` may carry these kind letters ("" = none)."""
        rule = self.kinds.get(kind)
        if rule is None:
            return True
        if not letters:
            return rule.no_letters
        return self.letter_kind.get(letters) == kind or letters in rule.also_letters

    def primary_letters(self, kind: str) -> str | None:
        return next((le for le, k in self.letter_kind.items() if k == kind), None)


def _alternation(phrases: list[str] | tuple[str, ...]) -> str:
    """A regex alternation of phrases, longest first, spaces matching any blank run."""
    ordered = sorted({match_form(p) for p in phrases}, key=len, reverse=True)
    return "|".join(regex.escape(p).replace(r"\ ", r"[ \t]+") for p in ordered)


def _compile(data: dict[str, Any]) -> CodeRules:
    letters = {k.upper(): k for k in data["letters"]}
    letter_kind = dict(data["letters"])
    issuers = {
        tok.upper(): IssuerToken(tok, v["name"], v.get("central", False), v.get("kind"))
        for tok, v in data["issuers"].items()
    }
    patterns = tuple(
        (
            regex.compile(p["pattern"]),
            IssuerToken("", p["name"], p.get("central", False), p.get("kind")),
        )
        for p in data.get("issuer_patterns", [])
    )
    kinds = {
        name: KindRule(
            name=name,
            words=tuple(match_form(w) for w in v.get("words", [])),
            issuer=v.get("issuer"),
            code=v.get("code"),
            requires_year=v.get("requires_year", False),
            no_letters=v.get("no_letters", False),
            also_letters=frozenset(v.get("also_letters", [])),
        )
        for name, v in data["kinds"].items()
    }
    kind_words: dict[str, str | None] = {w: k.name for k in kinds.values() for w in k.words}
    kind_words.update({match_form(w): None for w in data["generic"]["words"]})
    issuer_names = {match_form(k): v for k, v in data["issuer_names"].items()}
    local_bodies = {match_form(k): v for k, v in data["local_bodies"].items()}
    local = data["local"]
    subject = data["subject"]
    before = data["issuer_before"]
    verbs = _alternation(subject["verbs"])
    heads = _alternation(local["heads"])
    stops = [*subject["leads"], *subject["verbs"], "ngày", "tại", "theo", "đã"]
    return CodeRules(
        letters=letters,
        letter_kind=letter_kind,
        issuers=issuers,
        issuer_patterns=patterns,
        no_letters_kind=data["no_letters"]["kind"],
        kinds=kinds,
        kind_words=kind_words,
        issuer_names=issuer_names,
        local_bodies=local_bodies,
        local_heads=tuple(match_form(h) for h in local["heads"]),
        org_max_words=data["organizations"]["max_words"],
        subject_max=subject["max_chars"],
        kind_before=compile_vi(
            rf"(?<!\p{{L}})(?P<kind>{_alternation(list(kind_words))})(?P<gap1>[ \t]*)"
            r"(?:(?P<so>số)(?P<gap2>[ \t]*(?::[ \t]*)?))?$"
        ),
        issuer_name_re=regex.compile(rf"(?:{_alternation(list(issuer_names))})(?!\p{{L}})"),
        local_re=compile_vi(
            rf"(?:(?P<head>{heads})[ \t]+)?(?P<body>{_alternation(list(local_bodies))})"
            rf"(?:[ \t]+(?P<level>{_alternation(local['levels'])}))?(?!\p{{L}})"
        ),
        org_re=regex.compile(rf"(?:{_alternation(data['organizations']['heads'])})(?!\p{{L}})"),
        subject_re=compile_vi(
            rf"[ \t]*,?[ \t]*(?:(?:{_alternation(subject['leads'])})[ \t]+"
            rf"|(?=(?:{verbs})(?!\p{{L}})))"
        ),
        stop_re=regex.compile(rf"(?:{_alternation(stops)})(?!\p{{L}})"),
        place_stop_re=regex.compile(
            rf"(?:{_alternation([*stops, *local['place_stops'], *kind_words])})(?!\p{{L}})"
        ),
        issuer_start_re=compile_vi(
            rf"(?<!\p{{L}})(?:(?:{heads})[ \t]+)?(?:{_alternation([*local_bodies, *issuer_names])})"
            r"(?!\p{L})"
        ),
        issuer_tail_re=compile_vi(
            rf"[ \t]+(?:(?:{_alternation(before['preverbs'])})"
            r"(?:[ \t]*,[ \t]*|[ \t]+và[ \t]+|[ \t]+))*"
            rf"(?:{_alternation(before['verbs'])})[ \t]+(?:(?:các|một)[ \t]+)?"
        ),
    )


@cache
def code_rules() -> CodeRules:
    """The kind/code/issuer tables (tthc/rules/citation_codes.toml), validated and compiled once."""
    return _compile(load_rules("citation_codes.toml", CitationCodes).model_dump())


# --------------------------------------------------------------------------- shared helpers


def symbol_key(symbol: str) -> str:
    """A comparison key for a symbol: no blanks, number without leading zeros, code in capitals.

    "09/2010/NĐ-CP" and "9/2010/nđ-cp" are one document; "TTg"/"TTG" one code.
    """
    s = _WS.sub("", symbol)
    head, _, rest = s.partition("/")
    number = head.lstrip("0") or "0"
    return f"{number}/{rest}".upper()


def _strip_head(issuer: str) -> str:
    lowered = match_form(issuer)
    for head in code_rules().local_heads:
        if lowered.startswith(head + " "):
            return lowered[len(head) + 1 :]
    return lowered


def issuers_compatible(a: str | None, b: str | None) -> bool:
    """Whether two written issuers may name one body.

    Unknown is compatible with anything; "UBND huyện" with "UBND huyện Thanh Hà" (the place
    omitted once); "Chủ tịch UBND tỉnh" with "UBND tỉnh" (the chair signs for the committee).
    """
    if not a or not b:
        return True
    x, y = _strip_head(a), _strip_head(b)
    return x == y or x.startswith(y + " ") or y.startswith(x + " ")

"""tthc/rules/notice.toml: who issues the notice, its grounds and its recipients, by date."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Literal

from pydantic import ConfigDict, Field

from tthc.rules.phrasing import Strict, load_rules


class CentralBody(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    name: str = Field(min_length=1)
    from_: dt.date | None = Field(default=None, alias="from")
    until: dt.date | None = None

    def holds(self, day: dt.date) -> bool:
        return (self.from_ is None or self.from_ <= day) and (
            self.until is None or day <= self.until
        )


class Ground(Strict):
    symbol: str = Field(min_length=1)
    subject: str = Field(min_length=1)
    amended_by: list[str] = Field(default_factory=list)
    # a report citing it for a period after an amendment took effect is told to cite that
    # amendment too (citation.amended, info)
    cite_with_amendments: bool = False


class Issuer(Strict):
    issuer: str
    agency: list[str] = Field(min_length=1)
    code: str
    asks: str
    focal_office: str
    sign: dict[Literal["TM", "KT"], list[str]]
    recipients: list[str] = Field(min_length=1)


class NoticeRules(Strict):
    central: list[CentralBody] = Field(min_length=1)
    grounds: list[Ground] = Field(min_length=1)
    issuers: dict[Literal["district", "ubnd", "van_phong"], Issuer]

    def central_on(self, day: dt.date) -> str | None:
        """The central body in charge of TTHC control on a day (None between two)."""
        return next((c.name for c in self.central if c.holds(day)), None)


@cache
def notice_rules() -> NoticeRules:
    return load_rules("notice.toml", NoticeRules)

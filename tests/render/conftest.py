"""Shared fixtures of the render tests: a small district consolidated by the real code
(tests/factories.py) and the workbook the real writer makes of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories import small_district
from tthc.render.workbook import write_workbook
from tthc.schemas.summary import DistrictSummary


@pytest.fixture(scope="module")
def district() -> DistrictSummary:
    return small_district()


@pytest.fixture(scope="module")
def book(district: DistrictSummary, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_workbook(district, tmp_path_factory.mktemp("wb") / "tong_hop.xlsx")

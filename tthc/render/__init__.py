"""The render stage: a `DistrictSummary` → the files the officer opens.

Each writer is a pure function of the summary (and the path it writes): it prints figures
the summary holds and computes none. `workbook` (tong_hop.xlsx, the national form and its
sheets), `csv_files` (canh_bao.csv, ket_qua_doc_tep.csv), `columns` (the column specs both
lay their tables out from: each column's key, width, wrap and format, written once),
`notice` (du_thao_thong_bao.docx, from templates/), `preview` (LibreOffice → PDF, for looking
at them).
"""

from tthc.render.csv_files import write_flags_csv, write_outcomes_csv
from tthc.render.notice import write_notice
from tthc.render.workbook import write_workbook

__all__ = ["write_flags_csv", "write_notice", "write_outcomes_csv", "write_workbook"]

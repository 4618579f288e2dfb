"""The extract stage: a normalized `Text` in, a `Record` out (`extract`, in assemble.py).

Everything runs as one spaCy pipeline (pipeline.py) over the text's matching view (lower case,
one tone-mark style), with the `Text` and the readers' thresholds (settings.py) on the Doc as
`doc._.text` and `doc._.settings`. In order:
- tokenizer, `sentencizer`, `tthc_line_breaks`: tokens and sentences (a line break ends one);
- `tthc_labels`, `tthc_measures`: spaCy's stock span ruler fed from tthc/rules/labels.toml and
  tthc/rules/measures.toml → doc.spans["labels"], doc.spans["measures"] ("group:received" …);
- the readers, spaCy components that declare the Doc extensions they require and assign
  (readings.EXTENSIONS); a reader that claims a stretch of text adds it to `doc._.claimed`,
  which every later reader respects:
  `tthc_dates` (dates, times, day-months; claimed), `tthc_citations` (documents cited;
  claimed), `tthc_periods` (periods, the report's own, which governs where; claimed),
  `tthc_units` (the reporting unit, the report's number and date), `tthc_scopes` (stretches
  about another unit or a part), `tthc_rates` (rates and ratios; claimed), `tthc_counts`
  (every other number, read as a count with what it counts), `tthc_tables` (tables),
  `tthc_figures` (the grammar of a figure statement in running text: statements.py,
  breakdowns.py), `tthc_quantifiers` (figures stated for all or none), `tthc_activities`
  (what the unit did), `tthc_rate_links` (each rate's numerator and denominator),
  `tthc_ratio_figures` (a figure stated only as a rate's numerator), `tthc_unread` (the
  counts of dossiers no reader used).
What is said of a period ahead (a plan's section, a period after the report) is a plan and
fills no period (readings.ahead_of).
Below the readers, and shared by them: lexicon.py (what a word or number is), readings.py
(the types on the Doc), settings.py, structure.py, dates.py. No reader imports another.
`record_from_doc` then reads the finished Doc into the Record: figures grouped by period and
scope, every value with its evidence. readings.py holds the types the readers share.

A spreadsheet takes another road: `spreadsheet_form` reads the national form in its cells (the
header by its words, the title block by the readers above) into a commune's `Record`
(`record_from_grid`, its figures with their cells) or, for a table of many units, the
provincial system's export (`read_export` → `SystemExport`).
"""

from tthc.extract.activity_counts import ACTIVITY_KEYS
from tthc.extract.assemble import extract
from tthc.extract.pipeline import pipeline
from tthc.extract.spreadsheet_form import EXPORT_KIND, NotAForm, read_export, record_from_grid

__all__ = [
    "ACTIVITY_KEYS",
    "EXPORT_KIND",
    "NotAForm",
    "extract",
    "pipeline",
    "read_export",
    "record_from_grid",
]

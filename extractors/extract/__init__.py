"""The extract stage: a normalized `Text` → a `Record` (schemas.record), every value with its
evidence. `extract_file` runs load → normalize → extract for one file and never raises."""

from extractors.extract.activities import ACTIVITY_KEYS
from extractors.extract.assemble import extract_document, extract_file
from extractors.extract.pipeline import pipeline

__all__ = ["ACTIVITY_KEYS", "extract_document", "extract_file", "pipeline"]

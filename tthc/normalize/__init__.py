"""The normalize stage: a `RawDocument` → a `Text` (tthc.schemas.document).

NFC, invisible characters removed, wrapped lines re-joined into paragraphs, page numbers,
running headers and URL lines dropped; a table row stays one line with its cells. The Text
has two views with the same offsets (the text, and its matching form: lower case, one
tone-mark style) and a map from every offset back to the file's page and line.
"""

from tthc.normalize.text import normalize

__all__ = ["normalize"]

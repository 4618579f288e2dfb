"""Reading a report: load (file → raw lines) → normalize (→ Text) → extract (→ Record).

Three stages, one folder each: `load/`, `normalize/`, `extract/`.
"""

"""tthc: reads the quarterly reports communes send about administrative-procedure control,
checks them, and drafts the district (or province) summary and inspection notice.

One import name; one folder (or module) per stage, data flowing down this list:

    textkit/       shared toolkit: matching forms of Vietnamese text, numbers, safe outputs
    rules/         every rules file (phrasing, identities, flags' words, render words)
    schemas/       the plain records passed between stages
    wording.py     the Vietnamese words and number forms every output shares
    load/          a file → RawDocument
    normalize/     RawDocument → Text
    extract/       Text → Record
    check/         Record → its flags
    process.py     the per-file pipeline: load → normalize → extract → check
    consolidate/   every record → one DistrictSummary
    render/        DistrictSummary → workbook, CSVs, draft notice
    evaluate/      scores a run against a generated district's truth
    cli/           the `tthc` command (run, check, extract, eval)
    sample/        the bundled sample district (data)

Each stage's `__init__` says what it takes and returns and names what other stages may use;
tests/test_layers.py holds the structure. This package itself holds no API.
"""

"""The rules package: every piece of Vietnamese phrasing and every rule the stages follow, as data.

Each file beside this module is loaded once, by one cached loader here, into typed (pydantic,
extra=forbid) objects; a mistake — an unknown name, a wrong kind, a misspelt field — is a
`tthc.rules.phrasing.RulesError` naming the file and the line. Every field name any file uses is
checked against the one list in field_names.toml. Stages read their rules from here and from
nowhere else; the store's fingerprint (tthc.consolidate.store) covers this folder.

    file                      loader (module.function)             read by
    field_names.toml          field_names.field_names()            schemas, every file below
    labels.toml               labels.label_rules(), labels()       extract (pipeline, figures)
    measures.toml             labels.measure_rules(),              extract (pipeline, rates)
                              measure_roles()
    vocabulary.toml           labels.vocabulary()                  extract, load (OCR labels)
    connectives.toml          phrasing.connectives()               extract (readers)
    periods.toml              phrasing.period_words()              extract (periods)
    activities.toml           activities.read_rules_file()         extract (activity counts)
    citation_codes.toml       citation_codes.code_rules()          extract and check (citations)
    identities.toml           identities.identities(),             check (arithmetic),
                              identity_rules()                     consolidate (totals)
    flags.toml                flags.flag_words()                   check (arithmetic, citation
                                                                   checks), consolidate (rate
                                                                   flags, notes), render (codes)
    legal_registry.csv        legal_registry.registry_rows(),      check (registry)
                              read_rows()
    render_labels.toml        render_labels.render_labels(),       render (and tthc.wording)
                              render_rules()
    legacy_fonts.toml         legacy_fonts.legacy_fonts()          load (legacy encodings)
    syllable.toml             legacy_fonts.syllable()              load (legacy encodings)
    legacy_tcvn3.tsv,         legacy_fonts.byte_table()            load (legacy encodings)
    legacy_vni.tsv

tests/rules/test_rules_files.py loads each file, and checks that a mistake in each names its file
and line.
"""

from pathlib import Path

DIR = Path(__file__).resolve().parent

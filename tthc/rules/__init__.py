"""The rules package: every piece of Vietnamese phrasing and every rule the stages follow, as data.

Each file beside this module is loaded once, by one cached loader here, into typed (pydantic,
extra=forbid) objects; a mistake — an unknown name, a wrong kind, a misspelt field — is a
`tthc.rules.phrasing.RulesError` naming the file and the line. Every field name any file uses is
checked against the one list in field_names.toml. Stages read their rules from here and from
nowhere else; the store's fingerprint (tthc.consolidate.store) covers this folder.

    file                      loader                                  read by
    field_names.toml          tthc.rules.field_names.field_names()    schemas, every file below
    labels.toml               tthc.rules.labels.label_rules(), labels()  extract (pipeline, figures)
    measures.toml             tthc.rules.labels.measure_rules(),      extract (pipeline, rates)
                              measure_roles()
    vocabulary.toml           tthc.rules.labels.vocabulary()          extract, load (OCR labels)
    connectives.toml          tthc.rules.phrasing.connectives()       extract (readers)
    periods.toml              tthc.rules.phrasing.period_words()      extract (periods)
    activities.toml           tthc.rules.activities.read_rules_file()  extract (activities)
    citation_codes.toml       tthc.rules.citation_codes.code_rules()  extract and check (citations)
    identities.toml           tthc.rules.identities.identities(),     check (arithmetic),
                              identity_rules()                        consolidate (figures)
    check_messages.toml       tthc.rules.messages.check_messages()    check (arithmetic)
    citation_messages.toml    tthc.rules.messages.citation_messages()  check (citations)
    legal_registry.csv        tthc.rules.legal_registry.registry_rows(),  check (registry)
                              read_rows()
    render_labels.toml        tthc.rules.render_labels.render_labels(),  render (tthc.wording)
                              render_rules()
    legacy_fonts.toml         tthc.rules.legacy_fonts.legacy_fonts()  load (legacy encodings)
    syllable.toml             tthc.rules.legacy_fonts.syllable()      load (legacy encodings)
    legacy_tcvn3.tsv,         tthc.rules.legacy_fonts.byte_table()    load (legacy encodings)
    legacy_vni.tsv

tests/rules/test_rules_files.py loads each file, and checks that a mistake in each names its file
and line.
"""

from pathlib import Path

DIR = Path(__file__).resolve().parent

"""The rules package: every piece of Vietnamese phrasing and every rule the stages follow, as data.

Each file beside this module is loaded once, by one cached loader here, into typed (pydantic,
extra=forbid) objects; a mistake — an unknown name, a wrong kind, a misspelt field — is a
`rules.phrasing.RulesError` naming the file and the line. Every field name any file uses is
checked against the one list in field_names.toml. Stages read their rules from here and from
nowhere else; the store's fingerprint (consolidation.consolidate.store) covers this folder.

    file                      loader                                  read by
    field_names.toml          rules.fields.field_names()              schemas, every file below
    labels.toml               rules.labels.label_rules(), labels()    extract (pipeline, figures)
    measures.toml             rules.labels.measure_rules(),           extract (pipeline, rates)
                              measure_roles()
    vocabulary.toml           rules.labels.vocabulary()               extract, load (OCR labels)
    connectives.toml          rules.phrasing.connectives()            extract (readers)
    periods.toml              rules.phrasing.period_words()           extract (periods)
    activities.toml           rules.activities.read_rules_file()      extract (activities)
    citation_codes.toml       rules.citations.code_rules()            extract and check (citations)
    identities.toml           rules.identities.identities(),          check (arithmetic),
                              identity_rules()                        consolidate (figures)
    check_messages.toml       rules.messages.check_messages()         check (arithmetic)
    citation_messages.toml    rules.messages.citation_messages()      check (citations)
    legal_registry.csv        rules.registry.registry_rows(),         check (registry)
                              read_rows()
    render_labels.toml        rules.render.render_labels(),           render (consolidation.texts)
                              render_rules()
    legacy_fonts.toml         rules.legacy.legacy_fonts()             load (legacy encodings)
    syllable.toml             rules.legacy.syllable()                 load (legacy encodings)
    legacy_tcvn3.tsv,         rules.legacy.byte_table()               load (legacy encodings)
    legacy_vni.tsv

tests/test_rules.py loads each file, and checks that a mistake in each names its file and line.
"""

from pathlib import Path

DIR = Path(__file__).resolve().parent

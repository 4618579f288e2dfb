"""The rules package: every piece of Vietnamese phrasing and every rule the stages follow, as data.

Labels, connectives, period phrasing, unit levels and titles, citation codes, identities,
rate measures, severities and messages, render labels and the legal registry live here as
TOML/CSV/TSV files beside this module. Each is loaded into typed (pydantic) objects that
reject an unknown name or a wrong kind at load, naming the file and line. Every stage reads
its rules from here and from nowhere else; the store's fingerprint covers this folder.
"""

from pathlib import Path

DIR = Path(__file__).resolve().parent

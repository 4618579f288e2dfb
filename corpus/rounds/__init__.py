"""Fresh rounds: reports written without sight of the code, scored on first contact.

Each round is a folder `rK/` of texts (`rK_XX_*.txt|.docx|.pdf`) with its gold in `rK/gold/`
(the format of the round writers' brief: realdev's gold extended with `part:` scopes,
`lien_thong`, field scopes, `by_quantifier`, ratios with `ok`, `flags_required`,
`flags_forbidden`, `distractors`). `score.py` runs the toolkit on a round and compares;
`python3 -m corpus.rounds score DIR` prints it. LEDGER.md keeps each round's first score.
"""

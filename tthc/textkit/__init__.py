"""The shared toolkit, below every stage; it imports no stage and no rules file.

`forms`: the matching form of Vietnamese text (lower case, one tone-mark style, same length).
`numbers`: counts and rates as Vietnamese writes them, parsed and written (2.416; 83,4).
`safe_io`: file names carried whatever their bytes, cell and CSV text that can never run as a
formula, outputs written atomically under a lock with the run's marker.
"""

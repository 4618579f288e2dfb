"""The shared text toolkit, below every stage: matching forms of Vietnamese text
(`forms`), Vietnamese numbers parsed and written (`numbers`). Pure functions of strings
and numbers; it imports no stage and no rules file."""

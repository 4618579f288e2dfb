"""Tools on top of tthc: the district generator (`generate`, `vocabulary`, `documents`), the
project's own fixtures and gold, the scan maker (`scans`), the fuzzer (`fuzz`) and the
benchmarks (`bench_*`, `eval_districts`). Nothing in the package imports corpus."""

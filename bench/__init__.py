"""The benchmarks (`make bench`): the live room (python -m bench), student work coming in
(bench.uploads), Work Sort moves (bench.sort) and the unit page (bench.review); and two
measurements without a server: OCR (ocr_measure.py) and tier names (bench.naming).

Each runs on one harness (harness.py: the temporary folder, the real server and the
baseline server, the processes, the exit codes, the shared options; cpu.py: what other processes used;
report.py: the statistics and the report); each seeds its database with a *_setup module
(seeding.py: what they share) run in the server's environment. The Node clients
(*.mjs) share support.mjs.
"""

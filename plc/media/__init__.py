"""Uploaded pictures and scans: what a file is (sniff), whether it can be used (checks,
complete), reading it (decode, pdf), making a clean copy (clean, colour, redact) and writing
it safely (files). Plain functions, used by student work and by task pictures alike."""

"""Bundled sample library (package data; the app scans only *.md, *.markdown, *.txt)."""

"""Report Explorer: read, search and compare generated markdown reports."""

__version__ = "0.1.0"

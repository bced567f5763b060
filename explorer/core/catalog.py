"""The catalog: a JSON file beside the Whoosh index listing every indexed report file.

It lets an update compare each file's size and mtime (and, when those changed, its hash)
without re-reading unchanged files, and lets the report list be shown without parsing
the library. It is written atomically after each index commit; if a crash leaves it
behind the index, the next update merely re-indexes the files it does not know.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path

from .model import Heading, ReportInfo, Skipped

CATALOG_NAME = "catalog.json"


class CatalogError(ValueError):
    """The catalog is missing, unreadable or from another schema version."""


Signature = tuple[int, float] | None     # (size, mtime) of a skipped file when it was tried


def load(index_dir: Path, schema_version: int, max_bytes: int | None = None
         ) -> tuple[dict[str, ReportInfo], tuple[Skipped, ...], dict[str, Signature]]:
    """The catalog's reports, skipped files and their signatures. When the size limit
    differs from the one the catalog was written with, the skipped files' signatures are
    dropped, so the next update tries each of them again under the new limit."""
    try:
        data = json.loads((index_dir / CATALOG_NAME).read_text("utf-8"))
        if data.get("schema") != schema_version:
            raise CatalogError(f"it was made by another version of Report Explorer (index "
                               f"format {data.get('schema')}, this version uses {schema_version})")
        reports = {
            r["id"]: ReportInfo(r["id"], r["title"], r["path"],
                                tuple(Heading(n, t) for n, t in r["headings"]),
                                r["size"], r["mtime"], r["digest"])
            for r in data["reports"]
        }
        skipped = tuple(Skipped(s["path"], s["reason"]) for s in data["skipped"])
        signatures = {s["path"]: tuple(s["signature"]) if s["signature"] else None
                      for s in data["skipped"]}
        if data.get("max_bytes") != max_bytes:
            signatures = dict.fromkeys(signatures)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CatalogError(str(exc)) from exc
    return reports, skipped, signatures


def save(index_dir: Path, schema_version: int, reports: dict[str, ReportInfo],
         skipped: tuple[Skipped, ...], signatures: dict[str, Signature],
         max_bytes: int | None = None) -> None:
    data = {
        "schema": schema_version,
        "max_bytes": max_bytes,       # the size limit the skipped files were judged by
        "reports": [
            {"id": r.id, "title": r.title, "path": r.path,
             "headings": [[h.number, h.title] for h in r.headings],
             "size": r.size, "mtime": r.mtime, "digest": r.digest}
            for r in sorted(reports.values(), key=lambda r: r.id)
        ],
        "skipped": [dict(asdict(s), signature=signatures.get(s.path)) for s in skipped],
    }
    tmp = index_dir / (CATALOG_NAME + ".tmp")
    # ASCII escapes: a file name that is not valid UTF-8 (a lone surrogate in Python) is
    # listed as skipped, and must survive the round trip instead of failing the save.
    tmp.write_text(json.dumps(data), "utf-8")
    os.replace(tmp, index_dir / CATALOG_NAME)

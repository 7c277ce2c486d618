"""SARIF 2.1.0, with every finding code described as a rule with a help link."""

from __future__ import annotations

import json
import os
from pathlib import PurePath
from urllib.parse import quote

from archgen import __version__
from archgen.codes import load_codes
from archgen.findings import Finding, severity_of
from archgen.report.visible import json_safe

LEVELS = {"error": "error", "warning": "warning", "info": "note"}
RULES_DOC = "https://archgen.dev/rules/"


def _uri(file: str) -> str:
    """The file as a URI reference: ``/``-separated, every byte outside RFC 3986's unreserved
    characters percent-encoded (a space, ``#``, ``?``, ``%``, ``:``, non-ASCII, undecodable bytes)."""
    return quote(os.fsencode(PurePath(file).as_posix()), safe="/") if file else "spec.yaml"


def _fix(f: Finding, path) -> dict:
    """A detour as a SARIF fix: its description, and the services to insert before the target."""
    between = list(path[1:-1])
    region = {"startLine": max(f.line, 1), "startColumn": max(f.column, 1),
              "endLine": max(f.line, 1), "endColumn": max(f.column, 1)}
    return {
        "description": {"text": f"use {' and '.join(between)}: {' -> '.join(path)} "
                                f"(declare a component for each service in between)"},
        "artifactChanges": [{
            "artifactLocation": {"uri": _uri(f.file)},
            "replacements": [{"deletedRegion": region,
                              "insertedContent": {"text": " -> ".join(between) + " -> "}}],
        }],
    }


def format(findings: list[Finding]) -> str:  # noqa: A001 - the reporter interface
    codes = load_codes()
    used = sorted({f.code for f in findings} | set(codes))
    index = {code: i for i, code in enumerate(used)}
    rules = []
    for code in used:
        entry = codes.get(code)
        name = entry.name if entry else code
        summary = entry.summary if entry else code
        level = LEVELS[severity_of(code)]
        rules.append({
            "id": code,
            "name": name,
            "shortDescription": {"text": summary},
            "helpUri": f"{RULES_DOC}#{code.lower()}",
            "help": {"text": summary},
            "defaultConfiguration": {"level": level},
        })
    results = []
    for f in findings:
        text = f.message + (f" (hint: {f.hint})" if f.hint else "")
        result = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": LEVELS[f.severity],
            "message": {"text": text},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(f.file)},
                    "region": {"startLine": max(f.line, 1), "startColumn": max(f.column, 1)},
                },
                "logicalLocations": [{"fullyQualifiedName": f.as_dict()["path"]}],
            }],
        }
        if f.doc:
            result["properties"] = {"doc": f.doc}
        if f.extra.get("detours"):
            result["fixes"] = [_fix(f, path) for path in f.extra["detours"]]
        results.append(result)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "archgen", "version": __version__,
                                "informationUri": "https://archgen.dev", "rules": rules}},
            "results": results,
        }],
    }
    return json_safe(json.dumps(log, indent=2, ensure_ascii=False))

"""``archgen init``: a commented starter spec that passes ``archgen check`` as written, and
the JSON Schema beside it, so that the spec's modeline works offline."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from archgen.errors import RenderError, UsageError
from archgen.model.schema import SCHEMA_ID, schema_text
from archgen.specfiles import SPEC_SUFFIXES

DEFAULT_NAME = "architecture"
SCHEMA_FILE = "archgen.schema.json"  # written beside the spec; the modeline names it relatively

_TEMPLATE = """\
# yaml-language-server: $schema={schema}
# An archgen spec: the parts of a data-analytics architecture and the flows between them.
# With the line above, editors that speak the YAML language server (VS Code's YAML
# extension, for example) complete keys and service ids and underline mistakes. It names
# {schema}, which `archgen init` wrote beside this file (`archgen schema` prints it);
# `archgen lsp` gives archgen's own findings as you type.
#
#   archgen check {file}      every flow must be a real AWS integration
#   archgen render {file}     draw it into output/{stem}.png and .svg
#   archgen services          the service ids you can use (aliases work too)
#   archgen rules firehose    what can feed a service and what it can feed

archgen: 1                        # spec format version
title: {title}
description: >
  Events from an application are streamed into a data lake and queried with SQL.
direction: LR                     # LR | TB | RL | BT
theme: light                      # light | dark

# Components live in four sections; the section is the component's role.
# A component is `id: service` or a mapping with service, label, notes and ignore.
sources:                          # where data is born
  app: {{service: sdk, label: Application}}
streams:                          # data in motion
  events: {{service: kinesis-data-streams, label: Events}}
  delivery: firehose              # shorthand: id: service
stores:                           # data at rest
  lake: {{service: s3, label: Data lake}}
analytics:                        # processing, query, ML, BI
  catalog: glue-data-catalog
  sql: athena

# Groups are drawn as boxes and may nest.
groups:
  ingestion: {{label: Ingestion, members: [events, delivery]}}

# A flow `a -> b` means data moves from a into b; archgen checks each one against
# AWS's integrations and labels the edge with the mechanism (for example "crawler").
flows:
  - app -> events -> delivery -> lake   # a chain
  - {{from: lake, to: catalog, via: crawler}}
  - catalog -> sql
  - lake -> sql
"""


def starter_path(name: str | None = None) -> Path:
    """``NAME.archgen.yaml`` (a name that already ends in a spec suffix is kept as it is)."""
    name = name or DEFAULT_NAME
    if name.endswith(SPEC_SUFFIXES):
        return Path(name)
    for suffix in (".yaml", ".yml"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return Path(f"{name}.archgen.yaml")


def _title(path: Path) -> str:
    base = path.name.split(".archgen.")[0]
    words = re.sub(r"[-_]+", " ", base).strip()
    if not words or not re.fullmatch(r"[A-Za-z0-9 ]+", words):
        return "My architecture"
    return words[0].upper() + words[1:]


def starter_spec(path: Path) -> str:
    """The starter spec's text for a file at ``path``."""
    return _TEMPLATE.format(schema=SCHEMA_FILE, file=path.name, stem=path.name.split(".archgen.")[0],
                            title=_title(path))


def write_starter(name: str | None = None) -> list[Path]:
    """Write the starter spec and, beside it, the schema its modeline names; an existing
    spec is never overwritten (UsageError). An existing schema file is replaced only when it
    is archgen's (an older version of it); any other file of that name is left alone."""
    path = starter_path(name)
    if path.exists():
        raise UsageError(f"{path} already exists", hint="choose another name; archgen init never overwrites")
    schema = path.parent / SCHEMA_FILE
    written = []
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if _ours_or_missing(schema):
            text = schema_text()
            if not schema.exists() or schema.read_text(encoding="utf-8") != text:
                from archgen.files import write_atomic

                write_atomic(schema, text.encode("utf-8"))
                written.append(schema)
        with open(path, "x", encoding="utf-8", newline="\n") as fh:  # "x": refuse a file created meanwhile
            fh.write(starter_spec(path))
    except FileExistsError:
        raise UsageError(f"{path} already exists", hint="choose another name") from None
    except OSError as exc:
        raise RenderError(f"cannot write {path}: {exc.strerror}",
                          hint=f"check that {path.parent or os.curdir} is writable") from exc
    return [path, *written]


def _ours_or_missing(schema: Path) -> bool:
    if not schema.exists():
        return True
    try:
        return json.loads(schema.read_text(encoding="utf-8")).get("$id") == SCHEMA_ID
    except (OSError, ValueError, AttributeError):
        return False

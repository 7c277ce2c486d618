"""One build: check every spec under some paths and bring an output folder up to date.

Each output's key (``archgen.cache.keys``) is recorded in the folder's manifest and stored
inside the file. An output whose key is current on both counts is left alone; the others
are drawn again, across processes. Outputs the manifest recorded for specs that no longer
exist (or for pictures a spec no longer produces) are removed unless pruning is off.
Rendering is deterministic, so a parallel build writes the same bytes as a serial one.
"""

from __future__ import annotations

import contextlib
import os
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from archgen.build.manifest import Entry, Manifest, locked
from archgen.build.workers import Progress, Task, run
from archgen.cache.freshness import problems
from archgen.cache.keys import output_keys
from archgen.cache.stamp import read_key
from archgen.check import CheckResult, check_source, read_spec
from archgen.errors import ArchgenError, RenderError, UsageError
from archgen.findings import Finding
from archgen.model.loader import Limits
from archgen.render.naming import stem
from archgen.render.options import RenderOptions
from archgen.render.plan import ALL_VIEWS, SHARED_HINT, planned_outputs, shared_output
from archgen.specfiles import find_specs


@dataclass(frozen=True)
class BuildOptions:
    """What to draw and how: render options plus the build's own switches."""

    render: RenderOptions = field(default_factory=RenderOptions)
    jobs: int | None = None  # None: one process per CPU
    prune: bool = True
    strict: bool = False
    ignore: tuple[str, ...] = ()
    ignore_for: Callable[[Path], tuple[str, ...]] | None = None  # per-file ignores from the configuration
    limits: Limits = field(default_factory=Limits)


@dataclass
class SpecOutcome:
    """One spec's part in a build.

    ``status`` is ``built`` (something was drawn), ``unchanged`` (every output current),
    ``failed`` (findings stop it, or drawing failed: see ``error``) or, with ``--check``,
    ``stale`` (an output is missing or out of date).
    """

    path: Path
    result: CheckResult
    source: bytes = b""
    outputs: dict[str, str] = field(default_factory=dict)  # file name → key
    status: str = "unchanged"
    error: ArchgenError | None = None


@dataclass
class BuildReport:
    """What a build did (or, with ``--check``, what it would have to do)."""

    specs: list[SpecOutcome]
    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # --check: "<path>: missing" / "<path>: stale (...)"
    warnings: list[str] = field(default_factory=list)  # about the output folder: its manifest, files kept
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(s.status == status for s in self.specs)

    @property
    def findings(self):
        return [f for s in self.specs for f in s.result.findings]

    def rejected(self, strict: bool = False) -> bool:
        """Whether a spec has findings that stop it, or (``--check``) an output is missing or stale."""
        return bool(self.problems) or any(not s.result.ok(strict) or s.result.spec is None for s in self.specs)

    def failures(self) -> list[ArchgenError]:
        """Why valid specs could not be drawn."""
        return [s.error for s in self.specs if s.error is not None]  # only valid specs are drawn


def build(paths: list[str | os.PathLike], out_dir: str | os.PathLike, options: BuildOptions | None = None,
          progress: Progress | None = None, check_only: bool = False) -> BuildReport:
    """Check every spec under ``paths`` and bring ``out_dir`` up to date.

    Each valid spec produces its whole diagram and every view, in each format. With
    ``check_only`` nothing is written: the report lists each output that is missing or
    stale (and each that pruning would remove). Raises UsageError for paths that do not
    exist and for two specs that would write the same output.
    """
    options = options or BuildOptions()
    start = time.perf_counter()
    folder = Path(out_dir)
    found, refused = find_specs(paths or ["."])
    specs = _check_specs(found, options) + [_refused(path, why) for path, why in refused]
    specs.sort(key=lambda s: str(s.path))
    writes = not check_only and (folder.is_dir() or any(s.outputs for s in specs))
    with locked(folder) if writes else contextlib.nullcontext():
        manifest = Manifest.load(folder)
        refs = {s.path: manifest.ref(s.path) for s in specs}
        todo, report = _plan(specs, folder, manifest, refs, options, check_only)
        if manifest.warning:
            report.warnings.append(manifest.warning)
        prunable = _prunable(manifest, specs, refs) if options.prune else []
        if check_only:
            report.problems += [f"{folder / name}: stale (no spec draws it any more; a build removes it)"
                                for name in prunable]
        else:
            _draw(todo, report, manifest, refs, options, progress)
            _prune(prunable, report, manifest, folder)
    report.seconds = time.perf_counter() - start
    return report


def _plan(specs: list[SpecOutcome], folder: Path, manifest: Manifest, refs: dict[Path, str],
          options: BuildOptions, check_only: bool) -> tuple[list[Task], BuildReport]:
    """The specs to draw (with their stale outputs), and the report to fill in.

    With ``check_only`` the report lists the stale outputs; otherwise the current ones are
    recorded in the manifest."""
    recorded = {name: entry.key for name, entry in manifest.outputs.items()}
    report = BuildReport(specs)
    todo = []
    for s in specs:
        stale = problems(folder, s.outputs, recorded)
        if check_only:
            report.problems += [f"{folder / name}: {why}" for name, why in stale.items()]
        else:
            for name, key in s.outputs.items():
                if name not in stale:
                    manifest.outputs[name] = Entry(refs[s.path], key)
        if stale:
            s.status = "stale" if check_only else "built"
            todo.append(Task(str(s.path), s.source, stem(s.path), options.render,
                             {name: s.outputs[name] for name in stale}, str(folder), options.limits))
    return todo, report


def _draw(todo: list[Task], report: BuildReport, manifest: Manifest, refs: dict[Path, str],
          options: BuildOptions, progress: Progress | None = None) -> None:
    """Draw the stale outputs and record what was written in the manifest."""
    by_path = {str(s.path): s for s in report.specs}
    for done in run(todo, options.jobs, progress):
        for message, category in done.warnings:  # raised in a drawing process: raised again here
            warnings.warn(message, category, stacklevel=2)
        outcome = by_path[done.spec]
        if done.error:
            message, hint = done.error
            outcome.status = "failed"
            outcome.error = RenderError(message, hint)
            continue
        for file_name in done.written:
            manifest.outputs[file_name] = Entry(refs[outcome.path], outcome.outputs[file_name])
            report.written.append(manifest.folder / file_name)


def _prune(prunable: list[str], report: BuildReport, manifest: Manifest, folder: Path) -> None:
    """Remove outputs no spec draws any more (only files that carry archgen's key), then
    save the manifest."""
    stuck: list[str] = []
    for name in prunable:
        path = folder / name
        if os.path.lexists(path) and read_key(path) is None:
            # the manifest may be anyone's: remove only what archgen drew (its key is inside)
            report.warnings.append(f"kept {path}: the manifest lists it, but it carries no archgen key")
            del manifest.outputs[name]
            continue
        try:
            path.unlink()
            report.removed.append(path)
        except FileNotFoundError:
            pass
        except OSError as exc:
            stuck.append(f"{path} ({exc.strerror})")
            continue  # still recorded: the next build tries again
        del manifest.outputs[name]
    manifest.save()
    if stuck:
        raise RenderError(f"cannot remove {', '.join(stuck)}", hint="check the output folder's permissions")


def _check_specs(paths: list[Path], options: BuildOptions) -> list[SpecOutcome]:
    """Read and check each spec; the valid ones get their expected outputs and keys."""
    by_name: dict[str, Path] = {}
    for path in paths:
        name = stem(path)
        if name in by_name:
            raise UsageError(f"{by_name[name]} and {path} would both write {name}.*",
                             hint="rename one of them, or build them into different folders")
        by_name[name] = path
    out = []
    for path in paths:
        try:
            source = read_spec(path, options.limits)
        except UsageError as exc:  # unreadable, or replaced by a FIFO since it was found
            out.append(_refused(path, exc.message.removeprefix(f"{path}: ")))
            continue
        ignore = options.ignore + (options.ignore_for(path) if options.ignore_for else ())
        result = check_source(source, str(path), options.limits, ignore)
        outcome = SpecOutcome(path, result, source)
        if result.spec is None or not result.ok(options.strict):
            outcome.status = "failed"
        else:
            name = stem(path)
            outcome.outputs = output_keys(source, name, options.render,
                                          planned_outputs(result.spec, name, options.render, [ALL_VIEWS]))
        out.append(outcome)
    shared = shared_output({str(s.path): list(s.outputs) for s in out})
    if shared:  # the stems differ, but one spec's view is named like the other spec
        file, first, second = shared
        raise UsageError(f"{first} and {second} would both write {file}", hint=SHARED_HINT)
    return out


def _refused(path: Path, why: str) -> SpecOutcome:
    """A spec entry that is not read (a link out of the tree, a FIFO...): an E008 finding."""
    finding = Finding("E008", f"{why}; it is not read as a spec", (), file=str(path), line=1, column=1,
                      hint="make it a regular file inside the folder built, or name the file itself")
    return SpecOutcome(path, CheckResult(str(path), [finding]), status="failed")


def _prunable(manifest: Manifest, specs: list[SpecOutcome], refs: dict[Path, str]) -> list[str]:
    """Recorded outputs no spec will produce again: their spec is gone, or it no longer
    draws them (a format dropped). Outputs of specs that failed their check are kept."""
    valid = {refs[s.path] for s in specs if s.outputs}
    expected = {name for s in specs for name in s.outputs}
    out = []
    for name, entry in sorted(manifest.outputs.items()):
        if name in expected:
            continue
        if entry.spec in valid or not os.path.lexists(manifest.spec_file(entry)):
            out.append(name)
    return out

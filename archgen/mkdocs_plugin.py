"""The MkDocs plugin ``archgen``: a page shows a spec as an image, checked and drawn at build time.

A page writes ``![Clickstream](arch/clickstream.archgen.yaml)`` (optionally
``#view=NAME``). The plugin checks the spec, draws it into a cache folder outside
``docs_dir`` (so ``mkdocs serve`` never sees its own output and cannot loop), adds the
picture to the site as ``assets/archgen/<stem>[--<view>]-<key>.<format>`` and points the
image at it. The key is the one ``archgen build`` uses, so an unchanged spec is not drawn
again, and an edited one gets a new key, a new file name and a fresh page in the browser.

Warnings and infos from the check are logged as MkDocs warnings and infos (so
``mkdocs build --strict`` fails on a warning); errors fail the build with every finding
of every spec listed at once (``fail_on_error: false`` logs them as warnings instead).
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, InclusionLevel

log = get_plugin_logger("archgen")

# ![alt](path/to/name.archgen.yaml#view=NAME "title")
_IMAGE = re.compile(r'!\[(?P<alt>[^\]\n]*)\]\(\s*(?P<src>[^)\s#]+?\.archgen\.ya?ml)'
                    r'(?:#(?P<fragment>[^)\s]*))?(?P<title>\s+"[^"\n]*")?\s*\)')
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:.+?)(?<!`)\1(?!`)")
_CACHED = re.compile(r"^[0-9a-f]{64}\.(svg|png)$")


class ArchgenConfig(base.Config):
    """Options under ``plugins: - archgen:`` in ``mkdocs.yml``."""

    format = c.Choice(("svg", "png"), default="svg")
    theme = c.Optional(c.Choice(("light", "dark")))
    dark_mode = c.Type(bool, default=False)
    fail_on_error = c.Type(bool, default=True)
    cache_dir = c.Type(str, default=".cache/archgen")
    scale = c.Type((int, float), default=1.0)
    legend = c.Type(bool, default=False)
    ignore = c.ListOfItems(c.Type(str), default=[])
    assets_dir = c.Type(str, default="assets/archgen")


@dataclass
class _Checked:
    """A spec checked once per build, however many pages show it."""

    source: bytes
    name: str
    display: str
    result: object  # archgen.check.CheckResult


@dataclass
class _BuildState:
    checked: dict[str, _Checked] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    used: set[str] = field(default_factory=set)  # cache file names
    drawn: int = 0
    reused: int = 0


class ArchgenPlugin(BasePlugin[ArchgenConfig]):
    """Checks and draws the archgen specs that pages show as images."""

    def __init__(self) -> None:
        self._state = _BuildState()
        self._dirty = False
        self._server = None
        self._watched: set[str] = set()
        self._cache: Path | None = None
        self._project = Path.cwd()

    # MkDocs keeps a plugin that has on_startup across `mkdocs serve` rebuilds
    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._dirty = dirty

    def on_config(self, config):
        """Resolve the cache folder (relative to mkdocs.yml) and start a fresh build state."""
        self._project = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        cache = Path(self.config.cache_dir)
        self._cache = (cache if cache.is_absolute() else self._project / cache).resolve()
        docs = Path(config.docs_dir).resolve()
        if self._cache == docs or docs in self._cache.parents:
            raise PluginError(f"archgen: cache_dir {self._cache} is inside docs_dir {docs}; "
                              "`mkdocs serve` would rebuild forever. Choose a folder outside docs_dir.")
        self._state = _BuildState()
        return config

    def on_serve(self, server, *, config, builder):
        """Watch specs shown from outside docs_dir too (docs_dir is watched already)."""
        self._server = server
        for path in sorted(self._watched):
            server.watch(path)
        return server

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        """Replace each spec image by the drawn picture(s)."""
        def replace(m: re.Match[str]) -> str:
            return self._image(m, page, config, files)

        return _outside_code(markdown, lambda text: _IMAGE.sub(replace, text))

    def on_env(self, env, *, config, files):
        """All pages are read: report what was drawn, and fail on errors with all of them at once."""
        state = self._state
        if state.drawn or state.reused:
            log.info(f"drew {state.drawn} image(s), {state.reused} from the cache")
        if state.errors and self.config.fail_on_error:
            raise PluginError("archgen: specs have errors, nothing was drawn for them:\n"
                              + "\n".join(state.errors))
        return env

    def on_post_build(self, *, config) -> None:
        """Drop cached pictures this build did not use (not on a dirty build: it reads fewer pages)."""
        if self._dirty or self._state.errors or self._cache is None or not self._cache.is_dir():
            return
        for entry in self._cache.iterdir():
            if _CACHED.match(entry.name) and entry.name not in self._state.used:
                with contextlib.suppress(OSError):  # another build may have removed it
                    entry.unlink()

    # -- one image ----------------------------------------------------------------------

    def _image(self, m: re.Match[str], page, config, files) -> str:
        src, fragment = m.group("src"), m.group("fragment") or ""
        alt, title = m.group("alt"), m.group("title") or ""
        if "://" in src:
            return m.group(0)
        docs_dir = Path(config.docs_dir)
        page_dir = posixpath.dirname(page.file.src_uri)
        rel = src.lstrip("/") if src.startswith("/") else posixpath.normpath(posixpath.join(page_dir, src))
        path = Path(os.path.normpath(docs_dir / rel))
        if not path.is_file():
            log.warning(f"{page.file.src_uri}: no spec file {src}")
            return m.group(0)
        self._watch(path, docs_dir)
        checked = self._check(path)
        if checked is None:
            return f"*archgen: {self._display(path)} has errors and was not drawn*"
        from archgen.errors import UsageError
        from archgen.render.options import RenderOptions
        from archgen.render.plan import pictures

        view = _view_of(fragment)
        try:
            if view is not None:
                pictures(checked.result.spec, [view], full=False, steps=False)
        except UsageError:
            log.warning(f"{page.file.src_uri}: {checked.display} has no view named {view!r}; "
                        "showing the whole diagram")
            view = None
        images = []
        for theme, marker in self._variants():
            options = RenderOptions((self.config.format,), float(self.config.scale), theme, self.config.legend)
            uri = self._picture(checked, view, options, config, files)
            target = posixpath.relpath(uri, page_dir or ".")
            images.append(f"![{alt}]({target}{'#' + marker if marker else ''}{title})")
        return "".join(images)

    def _variants(self) -> list[tuple[str | None, str | None]]:
        """(theme, URL fragment) of each picture: one, or a light and dark pair for Material."""
        if self.config.dark_mode:
            return [("light", "only-light"), ("dark", "only-dark")]
        return [(self.config.theme, None)]

    def _display(self, path: Path) -> str:
        """A spec's path as findings show it: relative to the project when inside it."""
        try:
            return Path(os.path.relpath(path.resolve(), self._project)).as_posix()
        except ValueError:  # another drive on Windows
            return str(path)

    def _watch(self, path: Path, docs_dir: Path) -> None:
        real = str(path.resolve())
        if Path(real).is_relative_to(docs_dir.resolve()) or real in self._watched:
            return
        self._watched.add(real)
        if self._server is not None:
            self._server.watch(real)

    def _check(self, path: Path) -> _Checked | None:
        """Check a spec once per build and log its findings; None when it cannot be drawn."""
        from archgen.check import check_source, read_spec
        from archgen.errors import ArchgenError
        from archgen.model.loader import Limits
        from archgen.render.naming import stem

        key = str(path.resolve())
        if key in self._state.checked:
            return self._state.checked[key] if self._state.checked[key].result.spec is not None else None
        display = self._display(path)
        try:
            source = read_spec(path, Limits())
        except ArchgenError as exc:
            raise PluginError(f"archgen: {exc.message}") from exc
        result = check_source(source, display, Limits(), tuple(self.config.ignore))
        for f in result.findings:
            line = f"{f.file}:{f.line}:{f.column}: {f.code} {f.severity}: {f.message}"
            if f.hint:
                line += f" (hint: {f.hint})"
            if f.is_error:
                if self.config.fail_on_error:
                    self._state.errors.append(line)
                else:
                    log.warning(line)
            elif f.severity == "warning":
                log.warning(line)
            else:
                log.info(line)
        if not result.ok():
            result.spec = None
        checked = _Checked(source, stem(path), display, result)
        self._state.checked[key] = checked
        return checked if result.spec is not None else None

    def _picture(self, checked: _Checked, view: str | None, options, config, files) -> str:
        """Draw (or take from the cache) one picture, the whole diagram or a view of it as a
        whole, and add it to the site; returns its URI."""
        from archgen.cache.keys import output_keys
        from archgen.errors import ArchgenError
        from archgen.files import write_atomic
        from archgen.render.naming import keyed_name
        from archgen.render.pipeline import draw_stamped
        from archgen.render.plan import planned_outputs

        spec = checked.result.spec
        (output,) = planned_outputs(spec, checked.name, options, [view] if view else None,
                                    full=view is None, steps=False)
        key = output_keys(checked.source, checked.name, options, [output])[output.file]
        assert self._cache is not None
        cached = self._cache / f"{key}.{output.fmt}"
        if cached.is_file():
            self._state.reused += 1
        else:
            try:
                data = draw_stamped(spec, checked.source, checked.name, options, [output], {output.file: key})
                write_atomic(cached, data[output.file])
            except ArchgenError as exc:
                raise PluginError(f"archgen: {checked.display}: {exc.message}") from exc
            self._state.drawn += 1
        self._state.used.add(cached.name)
        uri = f"{self.config.assets_dir.strip('/')}/{keyed_name(output.file, key)}"
        if files.get_file_from_path(uri) is None:
            files.append(File.generated(config, uri, abs_src_path=str(cached), inclusion=InclusionLevel.INCLUDED))
        return uri


def _view_of(fragment: str) -> str | None:
    """``view=NAME`` (among ``&``-separated fragment parts) → ``NAME``."""
    for part in fragment.split("&"):
        name, _, value = part.partition("=")
        if name == "view" and value:
            return value
    return None


def _outside_code(markdown: str, replace) -> str:
    """Apply ``replace`` to the text outside fenced code blocks and inline code spans."""
    out: list[str] = []
    fence: str | None = None
    for line in markdown.splitlines(keepends=True):
        m = _FENCE.match(line)
        if fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line.strip(" \t\r\n`~"):
                fence = None
            out.append(line)
            continue
        if m:
            fence = m.group(1)
            out.append(line)
            continue
        pieces, last = [], 0
        for span in _CODE_SPAN.finditer(line):
            pieces.append(replace(line[last: span.start()]))
            pieces.append(span.group(0))
            last = span.end()
        pieces.append(replace(line[last:]))
        out.append("".join(pieces))
    return "".join(out)

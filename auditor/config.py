"""Configuration: ``[tool.trustaudit]`` in pyproject.toml or a ``trustaudit.toml``.

Teams commit what their build gate decides (which checks count, how much, when to fail) next to
the site, and CI runs ``trustaudit audit`` with few flags. The rules:

- Found by walking up from the working directory: in each folder ``trustaudit.toml`` (keys at
  the top level) wins over ``pyproject.toml`` (keys under ``[tool.trustaudit]``; a pyproject
  without that table is passed over). ``--config FILE`` names one; ``--no-config`` ignores all.
- Every key is the long name of an ``audit`` option (``max-pages``, ``fail-on``, ``header``);
  repeatable options take a list. ``[checks.<id>]`` tables override a check's severity and weight.
- Relative paths (target folder, out, junit, markdown, baseline) are relative to the file.
- ``${NAME}`` in header and cookie values reads the environment, so tokens stay out of the repo.
- Every problem is collected and reported at once, each with its key (exit code 4); unknown keys
  are errors. CLI flags override the file.

Selection (select/ignore by id, id prefix or category) and severity/weight overrides are applied
to the check specs before the checks run, so scores, grades and report.json agree with them.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from auditor.check_api import CATEGORIES, SEVERITIES, SITE_KINDS, CheckSpec
from auditor.crawl.options import DEFAULT_USER_AGENT
from auditor.errors import ConfigError

CONFIG_FILE = "trustaudit.toml"
PYPROJECT = "pyproject.toml"
#: Build output folders of common site generators, looked for in a project folder, in order.
BUILD_FOLDERS = ("public", "dist", "build", "_site", "out")
ALL = "ALL"
_ENV_RE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_HEADER_NAME_RE = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_COOKIE_NAME_RE = _HEADER_NAME_RE


# --------------------------------------------------------------------------- errors


class ConfigErrors(ConfigError):
    """Every problem of a configuration, printed one line each (the only multi-line error)."""

    def __init__(self, errors: Sequence[str]) -> None:
        self.errors = tuple(errors)
        super().__init__("; ".join(self.errors))

    def show(self, file=None) -> None:  # type: ignore[no-untyped-def]
        for error in self.errors:
            click.echo(f"trustaudit: error: {error}", err=True, file=file)


# --------------------------------------------------------------------------- selection


@dataclass(frozen=True, slots=True)
class CheckOverride:
    """A team's own severity and/or weight for one check."""

    severity: str | None = None
    weight: int | None = None


def selector_matches(selector: str, spec: CheckSpec,
                     exact: Iterable[str] | None = None) -> bool:
    """Does ``selector`` pick ``spec``? ``exact`` holds every id and alias of the catalogue.

    ``ALL``; a category name (``contact``); a check id or alias, which picks that check alone
    (``privacy-policy``, not ``privacy-policy-completeness`` too); otherwise a prefix of ids
    ending at a ``-`` or ``:`` (``contact-``, ``social``, the plugin namespace ``acme:`` or
    ``acme``), as ruff's rule-code prefixes.
    """
    if selector == ALL:
        return True
    if selector in CATEGORIES:
        return spec.category == selector
    names = (spec.id, *spec.aliases)
    if selector in names:
        return True
    if exact is not None and selector in exact:
        return False  # the id of another check
    for name in names:
        if selector.endswith(("-", ":")) and name.startswith(selector):
            return True
        if name.startswith(selector + "-") or name.startswith(selector + ":"):
            return True
    return False


def _exact_names(specs: Iterable[CheckSpec]) -> frozenset[str]:
    return frozenset(name for spec in specs for name in (spec.id, *spec.aliases))


@dataclass(frozen=True, slots=True)
class Selection:
    """Which checks run, and with which severity and weight. Applied before scoring."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    overrides: tuple[tuple[str, CheckOverride], ...] = ()  # (check id, override), sorted

    @property
    def is_default(self) -> bool:
        return not (self.select or self.ignore or self.overrides)

    def apply(self, specs: Iterable[CheckSpec]) -> tuple[CheckSpec, ...]:
        """The specs to run: selected (all when ``select`` is empty), minus ignored, overridden.

        Ignore always wins over select.
        """
        specs = list(specs)
        exact = _exact_names(specs)
        overrides = dict(self.overrides)
        chosen: list[CheckSpec] = []
        for spec in specs:
            if self.select and not any(selector_matches(s, spec, exact) for s in self.select):
                continue
            if any(selector_matches(s, spec, exact) for s in self.ignore):
                continue
            override = overrides.get(spec.id)
            if override is not None:
                spec = dataclasses.replace(
                    spec,
                    severity=override.severity or spec.severity,
                    weight=spec.weight if override.weight is None else override.weight,
                )
            chosen.append(spec)
        return tuple(sorted(chosen, key=lambda s: s.id))


def find_check(specs: Iterable[CheckSpec], name: str) -> CheckSpec | None:
    for spec in specs:
        if name == spec.id or name in spec.aliases:
            return spec
    return None


# --------------------------------------------------------------------------- value checks
# Each returns an error message (no key) or None; the CLI turns one into a usage error (exit 2),
# the config loader collects them all (exit 4).


def split_list(values: Iterable[str]) -> tuple[str, ...]:
    """Repeatable values that may also be comma-separated: ``--select a,b --select c``."""
    out: list[str] = []
    for value in values:
        out.extend(part.strip() for part in value.split(",") if part.strip())
    return tuple(out)


def selector_error(selector: str, specs: Sequence[CheckSpec]) -> str | None:
    exact = _exact_names(specs)
    if any(selector_matches(selector, spec, exact) for spec in specs):
        return None
    names = [ALL, *CATEGORIES, *(s.id for s in specs)]
    return f"{selector!r} matches no check id, id prefix or category" + _did_you_mean(
        selector, names
    )


def fail_on_error(value: str, specs: Sequence[CheckSpec]) -> str | None:
    if value in SEVERITIES or find_check(specs, value) is not None:
        return None
    return (
        f"{value!r} is neither a severity ({', '.join(SEVERITIES)}) nor a check id"
        + _did_you_mean(value, [*SEVERITIES, *(s.id for s in specs)])
    )


def canonical_fail_on(values: Iterable[str], specs: Sequence[CheckSpec]) -> tuple[str, ...]:
    """Check aliases in fail-on replaced by the ids report.json uses."""
    out = []
    for value in values:
        spec = None if value in SEVERITIES else find_check(specs, value)
        out.append(spec.id if spec is not None else value)
    return tuple(out)


def header_error(value: str) -> str | None:
    name, sep, _ = value.partition(":")
    if not sep or not _HEADER_NAME_RE.match(name.strip()) or name != name.lstrip():
        return "expected 'Name: value' (the value is never printed)"
    if any(c in value for c in "\r\n\x00"):
        return "a header must be one line"
    return None


def cookie_error(value: str) -> str | None:
    name, sep, rest = value.partition("=")
    if not sep or not _COOKIE_NAME_RE.match(name.strip()):
        return "expected 'name=value' (the value is never printed)"
    if any(c in rest for c in ";\r\n\x00"):
        return "a cookie value cannot hold ';' or line breaks; repeat --cookie for several"
    return None


def regex_error(value: str) -> str | None:
    try:
        re.compile(value)
    except re.error as exc:
        return f"not a regular expression: {value!r} ({exc})"
    return None


def parse_header(value: str) -> tuple[str, str]:
    name, _, content = value.partition(":")
    return name.strip(), content.strip()


def request_headers(headers: Iterable[str], cookies: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """Headers for the crawler; cookies joined into one ``Cookie`` header (after any given)."""
    pairs = [parse_header(h) for h in headers]
    crumbs = [c.strip() for c in cookies]
    if crumbs:
        existing = [v for n, v in pairs if n.lower() == "cookie"]
        pairs = [(n, v) for n, v in pairs if n.lower() != "cookie"]
        pairs.append(("Cookie", "; ".join([*existing, *crumbs])))
    return tuple(pairs)


def _did_you_mean(value: str, names: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, sorted(set(names)), n=1, cutoff=0.7)
    return f" (did you mean {close[0]!r}?)" if close else ""


# --------------------------------------------------------------------------- settings


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything ``trustaudit audit`` needs, from defaults < config file < command line."""

    target: str = ""
    site_url: str = ""
    site_kind: str | None = None
    max_pages: int = 300
    max_depth: int = 10
    timeout: float = 15.0
    concurrency: int = 8
    delay: float | None = None
    time_budget: float | None = None
    wait: float = 0.0
    user_agent: str = DEFAULT_USER_AGENT
    headers: tuple[str, ...] = ()
    cookies: tuple[str, ...] = ()
    allow_private: bool = False
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    checks: tuple[tuple[str, CheckOverride], ...] = ()
    fail_on: tuple[str, ...] = ()
    fail_under: int | None = None
    baseline: Path | None = None
    out: Path = Path("trustaudit-report")
    junit: Path | None = None
    markdown: Path | None = None
    json: bool = False
    quiet: bool = False
    progress: bool = True
    config_file: Path | None = field(default=None, compare=False)

    @property
    def selection(self) -> Selection:
        return Selection(self.select, self.ignore, self.checks)


@dataclass(frozen=True, slots=True)
class Key:
    """One configuration key: the Settings field it sets, how to check it, and its docs."""

    name: str
    field: str
    kind: str  # str, int, float, bool, list, choice, path, target
    help: str
    example: Any = None  # shown by `trustaudit init` when the default is unset
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    item_check: Callable[[str], str | None] | None = None
    group: str = ""


KEYS: tuple[Key, ...] = (
    Key("target", "target", "target", "URL or build folder to audit (a project folder's "
        "public/, dist/, build/, _site/ or out/ is found)", example="https://shop.example",
        group="What to audit"),
    Key("site-url", "site_url", "str", "folder mode: the production URL whose absolute links "
        "map to files", example="https://shop.example", group="What to audit"),
    Key("site-kind", "site_kind", "choice", "override the inferred kind of site",
        example="shop", choices=SITE_KINDS, group="What to audit"),
    Key("max-pages", "max_pages", "int", "HTML pages to audit at most", low=1, high=1_000_000,
        group="Crawl scope and limits"),
    Key("max-depth", "max_depth", "int", "clicks from the start page", low=0, high=1000,
        group="Crawl scope and limits"),
    Key("timeout", "timeout", "float", "seconds per request", low=0.1, high=600,
        group="Crawl scope and limits"),
    Key("concurrency", "concurrency", "int", "requests in flight at once", low=1, high=256,
        group="Crawl scope and limits"),
    Key("delay", "delay", "float", "seconds between requests (unset: 0.1 for public hosts, "
        "0 for local ones)", example=0.5, low=0, high=60, group="Crawl scope and limits"),
    Key("time-budget", "time_budget", "float", "stop crawling after this many seconds "
        "(unset: no limit)", example=300, low=1, high=86400, group="Crawl scope and limits"),
    Key("wait", "wait", "float", "retry the start URL this many seconds until it answers "
        "(a preview deploy that is still starting)", low=0, high=3600,
        group="Crawl scope and limits"),
    Key("include", "include", "list", "only follow URLs matching one of these regexes",
        example=["^https://shop\\.example/(en|de)/"], item_check=regex_error,
        group="Crawl scope and limits"),
    Key("exclude", "exclude", "list", "never follow URLs matching one of these regexes",
        example=["/cart", "\\?sort="], item_check=regex_error, group="Crawl scope and limits"),
    Key("user-agent", "user_agent", "str", "User-Agent of every request",
        group="Requests"),
    Key("header", "headers", "list", "extra request headers 'Name: value'; ${VAR} reads the "
        "environment; never written into any report", example=["Authorization: Bearer ${TOKEN}"],
        item_check=header_error, group="Requests"),
    Key("cookie", "cookies", "list", "cookies 'name=value' for protected previews; ${VAR} "
        "reads the environment; never written into any report",
        example=["preview_session=${PREVIEW_COOKIE}"], item_check=cookie_error, group="Requests"),
    Key("allow-private", "allow_private", "bool", "allow private/loopback addresses for a "
        "public target", group="Requests"),
    Key("select", "select", "list", "checks to run: ids, id prefixes or categories "
        "(empty: all)", example=["ALL"], group="Checks"),
    Key("ignore", "ignore", "list", "checks not to run (wins over select)",
        example=["faq", "social-proof"], group="Checks"),
    Key("fail-on", "fail_on", "list", "exit 1 when a check fails at this severity or worse, or "
        "when one of these check ids fails (with a baseline: only new failures count)",
        example=["high", "returns-policy"], group="Gates"),
    Key("fail-under", "fail_under", "int", "exit 1 when the score is under this value",
        example=70, low=0, high=100, group="Gates"),
    Key("baseline", "baseline", "path", "report.json of an earlier audit: new failures fail the "
        "gate, resolved ones are reported as progress", example="last-report/report.json",
        group="Gates"),
    Key("out", "out", "path", "folder the report site is written to", group="Outputs"),
    Key("junit", "junit", "path", "write a JUnit XML file (one test case per check)",
        example="trustaudit-report/junit.xml", group="Outputs"),
    Key("markdown", "markdown", "path", "write a short Markdown summary (pull-request "
        "comments)", example="trustaudit-report/summary.md", group="Outputs"),
    Key("json", "json", "bool", "also print report.json to stdout", group="Outputs"),
    Key("quiet", "quiet", "bool", "print one line instead of the summary", group="Outputs"),
    Key("progress", "progress", "bool", "show crawl progress on stderr", group="Outputs"),
)
KEYS_BY_NAME = {key.name: key for key in KEYS}
CHECK_KEYS = ("severity", "weight")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _type_name(value: Any) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string",
             list: "an array", dict: "a table"}
    return names.get(type(value), type(value).__name__)


def _expand_env(value: str, env: Mapping[str, str]) -> tuple[str, str | None]:
    """``${NAME}`` replaced from the environment; the error names the first missing variable."""
    missing: list[str] = []

    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in env:
            missing.append(name)
            return ""
        return env[name]

    expanded = _ENV_RE.sub(sub, value)
    if missing:
        return expanded, f"environment variable {missing[0]} is not set"
    return expanded, None


class _Collector:
    def __init__(self, prefix: str, where: str) -> None:
        self.prefix = prefix  # "tool.trustaudit." in pyproject.toml, "" in trustaudit.toml
        self.where = where
        self.errors: list[str] = []

    def add(self, key: str, message: str) -> None:
        self.errors.append(f"{self.where}: {self.prefix}{key}: {message}")


def _resolve_path(value: str, base: Path) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else base / path


def _check_value(key: Key, value: Any, errors: _Collector, base: Path,
                 env: Mapping[str, str]) -> Any:
    """The Settings value for a key, or None after recording an error."""
    kind = key.kind
    if kind in ("str", "choice", "path", "target"):
        if not isinstance(value, str):
            errors.add(key.name, f"expected a string, got {_type_name(value)}")
            return None
        if kind == "choice" and value not in key.choices:
            errors.add(key.name, f"{value!r} is not one of {', '.join(key.choices)}")
            return None
        if kind == "path":
            if not value.strip():
                errors.add(key.name, "expected a path, got an empty string")
                return None
            return _resolve_path(value, base)
        if kind == "target":
            text = value.strip()
            if text and "://" not in text:
                # Relative to the working directory when possible: report.json names the
                # target, and an absolute path would differ from one checkout to the next.
                path = _resolve_path(text, base)
                try:
                    return os.path.relpath(path)
                except ValueError:  # another drive (Windows)
                    return str(path)
            return text
        return value.strip() if key.name == "site-url" else value
    if kind == "bool":
        if not isinstance(value, bool):
            errors.add(key.name, f"expected true or false, got {_type_name(value)}")
            return None
        return value
    if kind in ("int", "float"):
        if not _is_number(value) or (kind == "int" and not isinstance(value, int)):
            wanted = "an integer" if kind == "int" else "a number"
            errors.add(key.name, f"expected {wanted}, got {_type_name(value)}")
            return None
        if (key.low is not None and value < key.low) or (key.high is not None
                                                         and value > key.high):
            errors.add(key.name, f"{value} is not in the range {key.low:g}..{key.high:g}")
            return None
        return float(value) if kind == "float" else value
    if kind == "list":
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
            errors.add(key.name, "expected an array of strings")
            return None
        out: list[str] = []
        ok = True
        for index, item in enumerate(items):
            if key.name in ("header", "cookie"):
                item, problem = _expand_env(item, env)
                if problem is None and key.item_check is not None:
                    problem = key.item_check(item)
            else:
                problem = key.item_check(item) if key.item_check is not None else None
            if problem is not None:
                errors.add(f"{key.name}[{index}]", problem)
                ok = False
            out.append(item)
        if not ok:
            return None
        return split_list(out) if key.name in ("fail-on", "select", "ignore") else tuple(out)
    raise AssertionError(f"unknown key kind {kind}")  # pragma: no cover


def _check_overrides(table: Any, errors: _Collector, specs: Sequence[CheckSpec]
                     ) -> tuple[tuple[str, CheckOverride], ...]:
    if not isinstance(table, dict):
        errors.add("checks", f"expected a table of [checks.<id>] tables, got {_type_name(table)}")
        return ()
    found: dict[str, CheckOverride] = {}
    for name, entry in table.items():
        where = f"checks.{name}"
        spec = find_check(specs, name)
        if spec is None:
            errors.add(where, "no check with this id" + _did_you_mean(name, [s.id for s in specs]))
            continue
        if not isinstance(entry, dict):
            errors.add(where, f"expected a table (severity, weight), got {_type_name(entry)}")
            continue
        severity = weight = None
        for key, value in entry.items():
            if key == "severity":
                if value not in SEVERITIES:
                    errors.add(f"{where}.severity",
                               f"{value!r} is not one of {', '.join(SEVERITIES)}")
                else:
                    severity = value
            elif key == "weight":
                if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10:
                    errors.add(f"{where}.weight", f"expected an integer 0..10, got {value!r}")
                else:
                    weight = value
            else:
                errors.add(f"{where}.{key}", "unknown key (a check takes severity and weight)"
                           + _did_you_mean(key, CHECK_KEYS))
        if spec.id in found:
            errors.add(where, f"{spec.id} is configured twice (an alias and its id)")
        found[spec.id] = CheckOverride(severity, weight)
    return tuple(sorted(found.items()))


def parse_table(table: Mapping[str, Any], *, where: str, prefix: str, base: Path,
                specs: Sequence[CheckSpec], env: Mapping[str, str] | None = None
                ) -> dict[str, Any]:
    """Validate a configuration table; the Settings fields it sets. Raises ConfigErrors."""
    env = os.environ if env is None else env
    errors = _Collector(prefix, where)
    values: dict[str, Any] = {}
    for name in table:  # TOML tables keep the file's order: errors come in reading order
        value = table[name]
        if name == "checks":
            values["checks"] = _check_overrides(value, errors, specs)
            continue
        key = KEYS_BY_NAME.get(name)
        if key is None:
            errors.add(name, "unknown key" + _did_you_mean(name, [*KEYS_BY_NAME, "checks"]))
            continue
        checked = _check_value(key, value, errors, base, env)
        if checked is not None:
            values[key.field] = checked
    if "fail_on" in values:
        values["fail_on"] = canonical_fail_on(values["fail_on"], specs)
    bad_selector = False
    for field_name, check in (("select", selector_error), ("ignore", selector_error),
                              ("fail_on", fail_on_error)):
        for item in values.get(field_name, ()):
            problem = check(item, specs)
            if problem is not None:
                errors.add(field_name.replace("_", "-"), problem)
                bad_selector = bad_selector or field_name != "fail_on"
    if ("select" in values or "ignore" in values) and not bad_selector:
        chosen = Selection(values.get("select", ()), values.get("ignore", ())).apply(specs)
        if specs and not chosen:
            errors.add("select", "select and ignore leave no check to run")
    if errors.errors:
        raise ConfigErrors(errors.errors)
    return values


# --------------------------------------------------------------------------- files


def _wants_us(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text("utf-8", errors="replace")
    except OSError:
        return False
    return "tool.trustaudit" in text or re.search(r"^\s*\[\s*tool\s*\]", text, re.M) is not None


def find_config(start: Path) -> Path | None:
    """The nearest trustaudit.toml, or pyproject.toml with [tool.trustaudit], from ``start`` up."""
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            return candidate
        candidate = folder / PYPROJECT
        if candidate.is_file() and _wants_us(candidate):
            try:
                data = tomllib.loads(candidate.read_text("utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                return candidate  # broken, and it may be ours: load_config reports it
            if isinstance(data.get("tool"), dict) and "trustaudit" in data["tool"]:
                return candidate
    return None


def load_config(path: Path, specs: Sequence[CheckSpec],
                env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Settings fields set by a config file (trustaudit.toml or pyproject.toml)."""
    shown = str(path)
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise ConfigErrors([f"{shown}: config file not found"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigErrors([f"{shown}: cannot read the config file: {exc}"]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigErrors([f"{shown}: not valid TOML: {exc}"]) from None
    base = path.resolve().parent
    if path.name == PYPROJECT:
        tool = data.get("tool")
        table = tool.get("trustaudit") if isinstance(tool, dict) else None
        if table is None:
            raise ConfigErrors([f"{shown}: no [tool.trustaudit] table"])
        if not isinstance(table, dict):
            raise ConfigErrors([f"{shown}: tool.trustaudit: expected a table"])
        return parse_table(table, where=shown, prefix="tool.trustaudit.", base=base,
                           specs=specs, env=env)
    return parse_table(data, where=shown, prefix="", base=base, specs=specs, env=env)


def merge(file_values: Mapping[str, Any], cli_values: Mapping[str, Any],
          config_file: Path | None = None) -> Settings:
    """Defaults, then the file, then the command line (flags given on it override the file)."""
    return dataclasses.replace(Settings(), **{**file_values, **cli_values},
                               config_file=config_file)


def detect_build_folder(folder: Path) -> tuple[Path | None, tuple[str, ...]]:
    """A project folder's build output: (folder, ()) when exactly one of BUILD_FOLDERS holds an
    index.html and ``folder`` itself has none; (None, candidates) when several do; (None, ())
    when the folder is a site itself or has no build folder."""
    if any((folder / name).is_file() for name in ("index.html", "index.htm")):
        return None, ()
    found = tuple(name for name in BUILD_FOLDERS
                  if (folder / name / "index.html").is_file()
                  or (folder / name / "index.htm").is_file())
    if len(found) == 1:
        return folder / found[0], ()
    return None, found


# --------------------------------------------------------------------------- init


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, Path):
        return _toml_value(str(value))
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def starter_config(specs: Sequence[CheckSpec] = ()) -> str:
    """The commented trustaudit.toml ``trustaudit init`` writes: every key with its default.

    The per-check example shows a real check's own severity and weight when ``specs`` has one.
    """
    defaults = Settings()
    example = find_check(specs, "returns-policy") or (specs[0] if specs else None)
    check_id, severity, weight = ((example.id, example.severity, example.weight)
                                  if example is not None else ("returns-policy", "critical", 9))
    lines = [
        "# trustaudit configuration (https://github.com/trustaudit/trustaudit, docs/ci.md).",
        "# Every key is optional and shown commented out with its default; uncomment to change.",
        "# Keys are the long names of `trustaudit audit` options; flags given on the command",
        "# line override this file. Relative paths are relative to this file's folder.",
        "# The same keys work under [tool.trustaudit] in pyproject.toml.",
    ]
    group = ""
    for key in KEYS:
        if key.group != group:
            group = key.group
            lines += ["", f"# --- {group}"]
        default = getattr(defaults, key.field)
        lines.append(f"# {key.help}")
        if default in (None, "", ()) and key.example is not None:
            lines.append(f"# {key.name} = {_toml_value(key.example)}    # an example; unset by "
                         "default")
        else:
            lines.append(f"# {key.name} = {_toml_value(default)}")
    lines += [
        "",
        "# --- Per-check overrides: a table per check id (`trustaudit checks` lists them).",
        f"# [checks.{check_id}]",
        f'# severity = "{severity}"    # critical, high, medium, low or info',
        f"# weight = {weight}    # 0..10; 0 keeps the check in the report but out of the score",
        "",
    ]
    return "\n".join(lines)

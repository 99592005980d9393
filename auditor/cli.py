"""The ``trustaudit`` command: a thin Click layer over :mod:`auditor.audit`.

Exit codes (also in ``--help`` and the README): 0 audit ran and the gate passed; 1 the gate
failed; 2 usage error; 3 target unusable; 4 invalid configuration; 5 output not writable;
70 internal error; 130 interrupted (a partial report is still written).

Settings come from defaults, then a config file (:mod:`auditor.config`), then the flags given
on the command line. Gates live in :mod:`auditor.gates`, comparisons in :mod:`auditor.diff`,
CI outputs in :mod:`auditor.report.summary`.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from click.core import ParameterSource

from auditor import __version__
from auditor.check_api import SEVERITIES, SITE_KINDS, CheckSpec
from auditor.crawl.options import DEFAULT_USER_AGENT, CrawlOptions, CrawlProgress
from auditor.errors import (
    EXIT_GATE,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    OutputError,
    TargetError,
    TrustauditError,
)
from auditor.report.history import option_callback as history_option

if TYPE_CHECKING:
    from auditor.config import Settings

EXIT_CODES_HELP = """\b
Exit codes:
  0    audit ran and the gate passed
  1    gate failed (--fail-on, --fail-under, new failures against --baseline)
  2    usage error (bad option or argument)
  3    target unusable (unreachable, DNS failure, start page blocked, folder with no HTML)
  4    invalid configuration (every error listed, one per line)
  5    output not writable
  70   internal error (--debug shows the traceback)
  130  interrupted (a partial report is still written)
"""
#: Secret-bearing options: their values never reach run.json.
SECRET_OPTIONS = {"--header": ":", "--cookie": "="}


class Progress:
    """A progress bar on a terminal; a few plain lines otherwise (CI logs)."""

    def __init__(self, enabled: bool, tty: bool) -> None:
        self.enabled = enabled
        self.tty = tty
        self.last_line = 0.0
        self.last_pages = 0
        self.started = time.monotonic()

    def __call__(self, event: CrawlProgress) -> None:
        if not self.enabled:
            return
        if self.tty:
            width = 24
            done = min(width, round(width * event.pages / max(event.max_pages, 1)))
            bar = "#" * done + "-" * (width - done)
            url = event.url if len(event.url) <= 50 else event.url[:47] + "..."
            click.echo(
                f"\r[{bar}] {event.pages}/{event.max_pages} pages, {event.fetched} fetched, "
                f"{event.queued} queued  {url}\x1b[K",
                nl=False,
                err=True,
            )
            return
        now = time.monotonic()
        if event.pages - self.last_pages >= 50 or now - self.last_line >= 10:
            self.last_line, self.last_pages = now, event.pages
            click.echo(
                f"crawling: {event.pages} pages audited, {event.fetched} fetched, "
                f"{event.queued} queued",
                err=True,
            )

    def done(self) -> None:
        if self.enabled and self.tty:
            click.echo("\r\x1b[K", nl=False, err=True)


def redacted_argv(argv: Sequence[str]) -> list[str]:
    """The command line for run.json, with header and cookie values replaced by ***."""
    out: list[str] = []
    hide: str | None = None
    for arg in argv:
        if hide is not None:
            out.append(arg.partition(hide)[0].rstrip() + (": ***" if hide == ":" else "=***"))
            hide = None
            continue
        for option, sep in SECRET_OPTIONS.items():
            if arg == option:
                hide = sep
                out.append(arg)
                break
            if arg.startswith(option + "="):
                name = arg[len(option) + 1:].partition(sep)[0].rstrip()
                out.append(f"{option}={name}" + (": ***" if sep == ":" else "=***"))
                break
        else:
            out.append(arg)
    return out


def summary_lines(report: dict[str, Any], out: Path) -> list[str]:
    score = report["score"]
    crawl = report["crawl"]
    value = "—" if score["value"] is None else f"{score['value']}/100"
    grade = score["grade"] or "—"
    lines = [
        f"trustaudit {report['target']['input']} ({report['target']['mode']} mode, "
        f"{report['target']['site_kind']} site)",
        f"  score {value}  grade {grade}  coverage {round(score['coverage'] * 100)}%"
        + (f"  (capped by {', '.join(score['capped_by'])})" if score["capped_by"] else ""),
        f"  crawl: {crawl['pages']} pages audited, {crawl['fetched']} fetched, "
        f"{crawl['errors']} errors"
        + (f", {len(crawl['robots_blocked'])} blocked by robots.txt"
           if crawl["robots_blocked"] else "")
        + (f", limits hit: {', '.join(crawl['limits_hit'])}" if crawl["limits_hit"] else ""),
    ]
    failed = [f for f in report["findings"] if f["status"] == "fail"]
    order = {s: i for i, s in enumerate(SEVERITIES)}
    failed.sort(key=lambda f: (order[f["severity"]], -f["weight"], f["id"]))
    if failed:
        lines.append(f"  failed checks ({len(failed)}):")
        width = max(len(f["id"]) for f in failed)  # titles line up however long the ids are
        for f in failed:
            lines.append(f"    {f['severity']:<8} {f['id']:<{width}}  {f['title']}")
    else:
        lines.append("  failed checks: none")
    lines.append(f"  report: {out / 'index.html'}")
    return lines


def write_report(report: dict[str, Any], run: dict[str, Any], out: Path,
                 history_dir: Path | None = None) -> None:
    from auditor.report.history import for_render
    from auditor.report.render import render_site
    from auditor.results import dumps

    render_site(report, out, run,
                extra_files={"report.json": dumps(report), "run.json": dumps(run)},
                history=for_render(history_dir, out, report, run))


def write_text(path: Path, text: str, what: str) -> None:
    """Write an output file (creating its folder); exit 5 when it cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write the {what} to {path}: {exc.strerror or exc}") from exc


def wait_for(url: str, seconds: float, headers: Sequence[tuple[str, str]], user_agent: str,
             timeout: float, say: Callable[[str], None]) -> None:
    """Retry ``url`` until it answers (any status under 500; redirects are not followed), for a
    preview deploy that is still starting. Exit 3 when it never does."""
    import requests

    deadline = time.monotonic() + seconds
    last = ""
    announced = False
    while True:
        remaining = deadline - time.monotonic()
        try:
            response = requests.get(
                url, headers={"User-Agent": user_agent, **dict(headers)}, stream=True,
                allow_redirects=False, timeout=max(0.5, min(timeout, remaining)),
            )
            response.close()
            if response.status_code < 500:
                return
            last = f"HTTP {response.status_code}"
        except requests.RequestException as exc:
            last = type(exc).__name__
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TargetError(f"{url} did not answer within {seconds:g} s (last attempt: {last})")
        if not announced:
            say(f"trustaudit: waiting up to {seconds:g} s for {url} to answer ({last})")
            announced = True
        time.sleep(min(1.0, remaining))


# --------------------------------------------------------------------------- settings


#: Command-line parameters that are Settings fields (the rest: config, no_config, debug).
PARAM_FIELDS = {
    "target": "target", "out": "out", "site_url": "site_url", "site_kind": "site_kind",
    "max_pages": "max_pages", "max_depth": "max_depth", "timeout": "timeout",
    "concurrency": "concurrency", "delay": "delay", "time_budget": "time_budget",
    "wait": "wait", "user_agent": "user_agent", "headers": "headers", "cookies": "cookies",
    "allow_private": "allow_private", "include": "include", "exclude": "exclude",
    "select": "select", "ignore": "ignore", "fail_on": "fail_on", "fail_under": "fail_under",
    "baseline": "baseline", "junit": "junit", "markdown": "markdown", "json_out": "json",
    "quiet": "quiet", "progress": "progress",
}


def _command_line_values(ctx: click.Context, params: Mapping[str, Any],
                         specs: Sequence[CheckSpec]) -> dict[str, Any]:
    """Settings fields given on the command line, checked (a usage error names the flag)."""
    from auditor import config as cfg

    values: dict[str, Any] = {}
    for name, field in PARAM_FIELDS.items():
        if ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE:
            values[field] = params[name]
    if "target" in values:
        values["target"] = values["target"].strip()
    if "site_url" in values:
        values["site_url"] = values["site_url"].strip()
    checks: list[tuple[str, str, Callable[[str], str | None]]] = [
        ("headers", "--header", cfg.header_error), ("cookies", "--cookie", cfg.cookie_error),
        ("include", "--include", cfg.regex_error), ("exclude", "--exclude", cfg.regex_error),
    ]
    for field, flag, check in checks:
        for value in values.get(field, ()):
            problem = check(value)
            if problem is not None:
                raise click.BadParameter(problem, param_hint=flag)
    for field, flag, spec_check in (("select", "--select", cfg.selector_error),
                                    ("ignore", "--ignore", cfg.selector_error),
                                    ("fail_on", "--fail-on", cfg.fail_on_error)):
        if field in values:
            values[field] = cfg.split_list(values[field])
            for value in values[field]:
                problem = spec_check(value, specs)
                if problem is not None:
                    raise click.BadParameter(problem, param_hint=flag)
    if "fail_on" in values:
        values["fail_on"] = cfg.canonical_fail_on(values["fail_on"], specs)
    return values


def _settings(ctx: click.Context, params: Mapping[str, Any],
              specs: Sequence[CheckSpec]) -> Settings:
    from auditor import config as cfg

    cli_values = _command_line_values(ctx, params, specs)
    path: Path | None = params["config_path"]
    if params["no_config"]:
        path = None
    elif path is None:
        path = cfg.find_config(Path.cwd())
    file_values = cfg.load_config(path, specs) if path is not None else {}
    settings = cfg.merge(file_values, cli_values, path)
    if not settings.target:
        raise click.UsageError("no TARGET: pass a URL or a folder (or set target in "
                               "trustaudit.toml)")
    if ("select" in cli_values or "ignore" in cli_values) and not settings.selection.apply(specs):
        raise click.BadParameter("--select and --ignore leave no check to run",
                                 param_hint="--select/--ignore")
    return settings


def _load_baseline(path: Path) -> dict[str, Any]:
    from auditor.diff import ReportFileError, load_report_file

    try:
        return load_report_file(path)
    except ReportFileError as exc:
        raise click.BadParameter(str(exc), param_hint="--baseline") from exc


def _resolve_folder(target: str, say: Callable[[str], None]) -> str:
    """A project folder becomes its build folder (public, dist, build, _site, out)."""
    from auditor.config import detect_build_folder

    if "://" in target or not os.path.isdir(target):
        return target
    found, several = detect_build_folder(Path(target))
    if several:
        raise TargetError(f"{target} has no index.html and several build folders "
                          f"({', '.join(several)}): name the one to audit")
    if found is None:
        return target
    say(f"trustaudit: auditing the build folder {found} (found in {target})")
    return str(found)


# --------------------------------------------------------------------------- commands


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
             epilog=EXIT_CODES_HELP)
@click.version_option(__version__, prog_name="trustaudit")
def cli() -> None:
    """Audit the trust signals a website shows its customers, with evidence."""


@cli.command(epilog=EXIT_CODES_HELP)
@click.argument("target", required=False, default="")
@click.option("-c", "--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Config file (trustaudit.toml or pyproject.toml) [default: the nearest one "
              "from the working directory up].")
@click.option("--no-config", is_flag=True, help="Ignore every config file.")
@click.option("-o", "--out", type=click.Path(path_type=Path), default=Path("trustaudit-report"),
              show_default=True, help="Folder to write the report site into.")
@click.option("--site-url", default="",
              help="Folder mode: the production URL whose absolute links map to files.")
@click.option("--site-kind", type=click.Choice(SITE_KINDS),
              help="Override the inferred kind of site.")
@click.option("--max-pages", type=click.IntRange(1, 1_000_000), default=300, show_default=True)
@click.option("--max-depth", type=click.IntRange(0, 1000), default=10, show_default=True)
@click.option("--timeout", type=click.FloatRange(0.1, 600), default=15.0, show_default=True,
              help="Seconds per request (connect and whole body).")
@click.option("--concurrency", type=click.IntRange(1, 256), default=8, show_default=True,
              help="Requests in flight at once.")
@click.option("--delay", type=click.FloatRange(0, 60), default=None,
              help="Seconds between requests to the site [default: 0.1 for public hosts, 0 for "
              "local ones; robots.txt crawl-delay is honoured].")
@click.option("--time-budget", type=click.FloatRange(1, 86400), default=None,
              help="Stop crawling after this many seconds and audit what was fetched.")
@click.option("--wait", type=click.FloatRange(0, 3600), default=0.0, metavar="SECONDS",
              help="Retry the start URL for up to SECONDS until it answers (a preview deploy "
              "that is still starting).")
@click.option("--user-agent", default=DEFAULT_USER_AGENT, show_default=True)
@click.option("--header", "headers", multiple=True, metavar="'NAME: VALUE'",
              help="Extra request header (repeatable), e.g. for protected preview deploys. Never "
              "written into the report.")
@click.option("--cookie", "cookies", multiple=True, metavar="'NAME=VALUE'",
              help="Cookie sent with every request (repeatable), e.g. a preview's session. "
              "Never written into the report.")
@click.option("--allow-private", is_flag=True,
              help="Allow requests to private and loopback addresses for a public target.")
@click.option("--include", multiple=True, metavar="REGEX",
              help="Only follow URLs matching (repeatable).")
@click.option("--exclude", multiple=True, metavar="REGEX",
              help="Never follow URLs matching (repeatable).")
@click.option("--select", multiple=True, metavar="ID|PREFIX|CATEGORY",
              help="Run only these checks (repeatable or comma-separated; ALL for every check).")
@click.option("--ignore", multiple=True, metavar="ID|PREFIX|CATEGORY",
              help="Do not run these checks (repeatable or comma-separated; wins over --select).")
@click.option("--fail-on", multiple=True, metavar="SEVERITY|ID",
              help="Exit 1 when a check of this severity or worse fails, or when this check "
              "fails (repeatable; with --baseline only new failures count).")
@click.option("--fail-under", type=click.IntRange(0, 100), default=None,
              help="Exit 1 when the score is under this value.")
@click.option("--baseline", type=click.Path(path_type=Path), metavar="REPORT_JSON",
              help="An earlier report.json (or its folder): exit 1 on failures that are new "
              "against it; fixed ones are reported as progress.")
@click.option("--junit", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE",
              help="Write JUnit XML (one test case per check) for CI test reports.")
@click.option("--markdown", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE",
              help="Write a short Markdown summary (pull-request comments).")
@click.option("--json", "json_out", is_flag=True, help="Also print report.json to stdout.")
@click.option("-q", "--quiet", is_flag=True, help="Print one line instead of the summary.")
@click.option("--progress/--no-progress", default=True, help="Show crawl progress on stderr.")
@click.option("--history", type=click.Path(path_type=Path, file_okay=False), default=None,
              metavar="DIR", callback=history_option,
              help="Keep this run's report.json in DIR and show the score over time and what "
              "changed since the previous run (DIR must be outside the report folder).")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@click.pass_context
def audit(ctx: click.Context, **params: Any) -> int:
    """Crawl TARGET (a URL or a build folder), run the checks, write the report site.

    TARGET may also come from trustaudit.toml or [tool.trustaudit] in pyproject.toml; flags
    given here override the file. Under GitHub Actions (GITHUB_ACTIONS=true) failed checks
    become annotations and the Markdown summary goes to $GITHUB_STEP_SUMMARY.

    \b
    Examples:
      trustaudit audit https://shop.example
      trustaudit audit ./public --site-url https://shop.example -o report
      trustaudit audit https://preview.shop.example --fail-on high --fail-under 70
      trustaudit audit https://preview.shop.example --baseline last/report.json --junit junit.xml
    """
    from auditor.audit import resolve_target, run_audit
    from auditor.config import request_headers
    from auditor.gates import evaluate
    from auditor.registry import load_specs, verify_builtin_packages
    from auditor.report import summary

    verify_builtin_packages()
    specs = load_specs()
    settings = _settings(ctx, params, specs)
    baseline = _load_baseline(settings.baseline) if settings.baseline is not None else None
    say = (lambda line: None) if settings.quiet else (lambda line: click.echo(line, err=True))

    from auditor.report.render import check_destination

    check_destination(settings.out)
    target = _resolve_folder(settings.target, say)
    headers = request_headers(settings.headers, settings.cookies)
    mode, _ = resolve_target(target)
    if settings.wait and mode == "url":
        wait_for(target, settings.wait, headers, settings.user_agent, settings.timeout, say)
    options = CrawlOptions(
        max_pages=settings.max_pages, max_depth=settings.max_depth, timeout=settings.timeout,
        concurrency=settings.concurrency, delay=settings.delay, time_budget=settings.time_budget,
        user_agent=settings.user_agent, headers=headers, allow_private=settings.allow_private,
        site_url=settings.site_url, include=settings.include, exclude=settings.exclude,
    )
    argv = (ctx.obj or {}).get("argv") or sys.argv
    show = Progress(settings.progress and not settings.quiet, sys.stderr.isatty())
    try:
        result = run_audit(target, options, site_kind=settings.site_kind, progress=show,
                           argv=redacted_argv(argv), selection=settings.selection)
    finally:
        show.done()
    out = settings.out
    write_report(result.report, result.run, out, params["history"])
    report = result.report
    verdict = evaluate(report, fail_on=settings.fail_on, fail_under=settings.fail_under,
                       baseline=baseline)
    markdown = summary.markdown_summary(report, verdict, report_path=str(out / "index.html"))
    if settings.junit is not None:
        write_text(settings.junit, summary.junit_xml(report, verdict), "JUnit XML")
    if settings.markdown is not None:
        write_text(settings.markdown, markdown, "Markdown summary")

    to_err = settings.json
    if settings.json:
        from auditor.results import dumps

        click.echo(dumps(report), nl=False)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for line in summary.github_annotations(report, verdict):
            click.echo(line, err=to_err)
        step_summary = os.environ.get("GITHUB_STEP_SUMMARY", "")
        if step_summary:
            try:
                summary.append_step_summary(markdown, step_summary)
            except OSError as exc:
                click.echo(f"trustaudit: warning: cannot append to GITHUB_STEP_SUMMARY: "
                           f"{exc.strerror or exc}", err=True)
    if settings.quiet:
        score = report["score"]
        failed = sum(f["status"] == "fail" for f in report["findings"])
        click.echo(
            f"trustaudit: score {score['value'] if score['value'] is not None else '—'} "
            f"grade {score['grade'] or '—'}, {failed} failed, report {out / 'index.html'}"
            + (f"; {verdict.line}" if verdict.active else ""),
            err=to_err,
        )
    else:
        for line in summary_lines(report, out):
            click.echo(line, err=to_err)
        if verdict.active:
            click.echo(verdict.line, err=to_err)
    if result.interrupted:
        click.echo("trustaudit: interrupted: a partial report was written", err=True)
        return EXIT_INTERRUPTED
    return EXIT_GATE if not verdict.passed else EXIT_OK


@cli.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text",
              show_default=True, help="Plain text for logs, Markdown for pull-request comments.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write to FILE instead of stdout.")
def diff(old: Path, new: Path, fmt: str, output: Path | None) -> int:
    """Compare two audits: findings that appeared, disappeared or changed status, score change.

    OLD and NEW are report.json files or report folders. Exits 1 when NEW regresses (a check
    fails that did not fail in OLD, or the score went down), 0 otherwise.
    """
    from auditor.diff import (
        ReportFileError,
        compare,
        load_report_file,
        render_markdown,
        render_text,
    )

    try:
        before, after = load_report_file(old), load_report_file(new)
    except ReportFileError as exc:
        raise TargetError(str(exc)) from exc
    change = compare(before, after)
    render = render_markdown if fmt == "markdown" else render_text
    text = render(change, str(old), str(new))
    if output is not None:
        write_text(output, text, "diff")
    else:
        click.echo(text, nl=False)
    return EXIT_GATE if change.regressed else EXIT_OK


@cli.command()
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False),
                default=Path("trustaudit.toml"))
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init(path: Path, force: bool) -> None:
    """Write a commented starter trustaudit.toml (every key with its default)."""
    from auditor.config import starter_config
    from auditor.registry import load_specs

    if path.exists() and not force:
        raise OutputError(f"{path} already exists: not overwritten (--force to replace it)")
    write_text(path, starter_config(load_specs()), "config file")
    click.echo(f"wrote {path}: uncomment the keys you want to change")


@cli.group(invoke_without_command=True)
@click.option("--markdown", is_flag=True, help="Print the reference as Markdown (docs/checks.md).")
@click.pass_context
def checks(ctx: click.Context, markdown: bool) -> None:
    """List the check catalogue (id, category, severity, title)."""
    if ctx.invoked_subcommand is not None:
        return
    from auditor.registry import load_specs, verify_builtin_packages

    verify_builtin_packages()
    specs = load_specs()
    if markdown:
        from auditor.catalogue import catalogue_markdown

        click.echo(catalogue_markdown(specs), nl=False)
        return
    width = max(len(s.id) for s in specs)
    click.echo(f"{'ID':<{width}}  {'CATEGORY':<16} {'SEVERITY':<9} {'SCOPE':<12} TITLE")
    for spec in sorted(specs, key=lambda s: (s.category, s.id)):
        scope = ",".join(sorted(spec.scope)) + ("" if "pages" in spec.needs else "")
        if "http" in spec.needs:
            scope += " (url)"
        click.echo(f"{spec.id:<{width}}  {spec.category:<16} {spec.severity:<9} {scope:<12} "
                   f"{spec.title}")
    click.echo(f"\n{len(specs)} checks. `trustaudit checks explain ID` describes one.")


@checks.command()
@click.argument("check_id")
def explain(check_id: str) -> None:
    """Print what a check looks for, why it matters and how to fix it."""
    from auditor.registry import find_spec, load_specs

    specs = load_specs()
    spec = find_spec(specs, check_id)
    if spec is None:
        raise click.BadParameter(f"no check with id {check_id!r}; `trustaudit checks` lists them",
                                 param_hint="CHECK_ID")
    click.echo(f"{spec.id}: {spec.title}")
    click.echo(f"category {spec.category}, severity {spec.severity}, weight {spec.weight}, "
               f"applies to {', '.join(sorted(spec.scope))}"
               + (" (URL mode only)" if "http" in spec.needs else ""))
    for section, text in spec.docs:
        click.echo(f"\n{section}:\n  {text}")
    click.echo(f"\nFix: {spec.fix}")


@cli.command()
@click.argument("report_json", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--out", type=click.Path(path_type=Path), default=Path("trustaudit-report"),
              show_default=True)
@click.option("--history", "history_dir", type=click.Path(path_type=Path, file_okay=False),
              default=None, metavar="DIR", help="Keep this report.json in DIR and show the score "
              "over time and what changed since the previous run.")
def render(report_json: Path, out: Path, history_dir: Path | None) -> None:
    """Rebuild the report site from a report.json alone (no crawling)."""
    from auditor.diff import ReportFileError, load_report_file

    try:
        report = load_report_file(report_json, strict=True)
    except ReportFileError as exc:
        raise TargetError(str(exc)) from exc
    run_path = report_json.with_name("run.json")
    run = None
    if run_path.exists():
        try:
            run = json.loads(run_path.read_text("utf-8"))
        except (OSError, ValueError):
            run = None
    from auditor.results import dumps

    extra = {"report.json": dumps(report)} | ({"run.json": dumps(run)} if run else {})
    from auditor.report.history import for_render
    from auditor.report.render import render_site

    render_site(report, out, run, extra_files=extra,
                history=for_render(history_dir, out, report, run))
    click.echo(f"report: {out / 'index.html'}")


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path), default=Path("trustaudit-report"))
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port on 127.0.0.1 (0 picks a free one).")
def serve(directory: Path, port: int) -> None:
    """Preview a report folder at http://127.0.0.1:PORT/ (Ctrl-C stops)."""
    from auditor.report.serve import serve as serve_folder

    serve_folder(directory, port, say=click.echo)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: map every outcome to its documented exit code, tracebacks only with --debug."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        code = cli.main(args=args, prog_name="trustaudit", standalone_mode=False,
                        obj={"argv": ["trustaudit", *args]})
        code = code if isinstance(code, int) else EXIT_OK
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except TrustauditError as exc:
        exc.show()
        code = exc.exit_code
    except click.UsageError as exc:  # exit 2, one line like every other error
        where = exc.ctx.command_path if exc.ctx is not None else "trustaudit"
        click.echo(f"trustaudit: error: {exc.format_message()} (see '{where} --help')", err=True)
        code = exc.exit_code
    except click.ClickException as exc:
        exc.show()
        code = exc.exit_code
    except (KeyboardInterrupt, click.exceptions.Abort):
        click.echo("\ntrustaudit: interrupted", err=True)
        code = EXIT_INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - the one place that turns bugs into exit 70
        if debug:
            traceback.print_exc()
        click.echo(f"trustaudit: internal error: {type(exc).__name__}: {exc} "
                   "(run with --debug for the traceback)", err=True)
        code = EXIT_INTERNAL
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()

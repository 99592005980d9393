"""The ``trustaudit`` command: a thin Click layer over :mod:`auditor.audit`.

Exit codes (also in ``--help`` and the README): 0 audit ran and the gate passed; 1 the gate
failed; 2 usage error; 3 target unusable; 4 invalid configuration; 5 output not writable;
70 internal error; 130 interrupted (a partial report is still written).
"""

from __future__ import annotations

import json
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from auditor import __version__
from auditor.check_api import SEVERITIES, SITE_KINDS
from auditor.crawl.options import DEFAULT_USER_AGENT, CrawlOptions, CrawlProgress
from auditor.errors import (
    EXIT_GATE,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    TrustauditError,
)

EXIT_CODES_HELP = """\b
Exit codes:
  0    audit ran and the gate passed
  1    gate failed (--fail-on, --fail-under)
  2    usage error (bad option or argument)
  3    target unusable (unreachable, DNS failure, start page blocked, folder with no HTML)
  4    invalid configuration
  5    output folder not writable
  70   internal error (--debug shows the traceback)
  130  interrupted (a partial report is still written)
"""


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


def parse_headers(values: Sequence[str]) -> tuple[tuple[str, str], ...]:
    headers = []
    for value in values:
        name, sep, content = value.partition(":")
        if not sep or not name.strip() or any(c in name for c in " \t\r\n"):
            raise click.BadParameter(f"expected 'Name: value', got {value!r}", param_hint="--header")
        headers.append((name.strip(), content.strip()))
    return tuple(headers)


def redacted_argv(argv: Sequence[str]) -> list[str]:
    """The command line for run.json, with header values (tokens, cookies) replaced by ***."""
    out: list[str] = []
    hide_next = False
    for arg in argv:
        if hide_next:
            out.append(arg.partition(":")[0] + ": ***")
            hide_next = False
        elif arg == "--header":
            out.append(arg)
            hide_next = True
        elif arg.startswith("--header="):
            out.append("--header=" + arg[9:].partition(":")[0] + ": ***")
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
        + (f", {len(crawl['robots_blocked'])} blocked by robots.txt" if crawl["robots_blocked"] else "")
        + (f", limits hit: {', '.join(crawl['limits_hit'])}" if crawl["limits_hit"] else ""),
    ]
    failed = [f for f in report["findings"] if f["status"] == "fail"]
    order = {s: i for i, s in enumerate(SEVERITIES)}
    failed.sort(key=lambda f: (order[f["severity"]], -f["weight"], f["id"]))
    if failed:
        lines.append(f"  failed checks ({len(failed)}):")
        for f in failed:
            lines.append(f"    {f['severity']:<8} {f['id']:<20} {f['title']}")
    else:
        lines.append("  failed checks: none")
    lines.append(f"  report: {out / 'index.html'}")
    return lines


def gate(report: dict[str, Any], fail_on: str | None, fail_under: int | None) -> str | None:
    """The one-line reason the gate failed, or None."""
    if fail_on:
        limit = SEVERITIES.index(fail_on)
        tripped = sorted(
            f["id"] for f in report["findings"]
            if f["status"] == "fail" and SEVERITIES.index(f["severity"]) <= limit
        )
        if tripped:
            return f"gate failed: {len(tripped)} failed check(s) at or above {fail_on}: " + ", ".join(tripped)
    if fail_under is not None:
        value = report["score"]["value"]
        if value is None:
            return f"gate failed: no score could be computed (--fail-under {fail_under})"
        if value < fail_under:
            return f"gate failed: score {value} is under {fail_under}"
    return None


def write_report(report: dict[str, Any], run: dict[str, Any], out: Path) -> None:
    from auditor.report.render import render_site
    from auditor.results import dumps

    render_site(report, out, run, extra_files={"report.json": dumps(report), "run.json": dumps(run)})


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
             epilog=EXIT_CODES_HELP)
@click.version_option(__version__, prog_name="trustaudit")
def cli() -> None:
    """Audit the trust signals a website shows its customers, with evidence."""


@cli.command(epilog=EXIT_CODES_HELP)
@click.argument("target")
@click.option("-o", "--out", type=click.Path(path_type=Path), default=Path("trustaudit-report"),
              show_default=True, help="Folder to write the report site into.")
@click.option("--site-url", default="", help="Folder mode: the production URL whose absolute links map to files.")
@click.option("--site-kind", type=click.Choice(SITE_KINDS), help="Override the inferred kind of site.")
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
@click.option("--user-agent", default=DEFAULT_USER_AGENT, show_default=True)
@click.option("--header", "headers", multiple=True, metavar="'NAME: VALUE'",
              help="Extra request header (repeatable), e.g. for protected preview deploys. Never "
              "written into the report.")
@click.option("--allow-private", is_flag=True,
              help="Allow requests to private and loopback addresses for a public target.")
@click.option("--include", multiple=True, metavar="REGEX", help="Only follow URLs matching (repeatable).")
@click.option("--exclude", multiple=True, metavar="REGEX", help="Never follow URLs matching (repeatable).")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
              help="Exit 1 when a check of this severity or worse fails.")
@click.option("--fail-under", type=click.IntRange(0, 100), default=None,
              help="Exit 1 when the score is under this value.")
@click.option("--json", "json_out", is_flag=True, help="Also print report.json to stdout.")
@click.option("-q", "--quiet", is_flag=True, help="Print one line instead of the summary.")
@click.option("--progress/--no-progress", default=True, help="Show crawl progress on stderr.")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def audit(target: str, out: Path, site_url: str, site_kind: str | None, max_pages: int,
          max_depth: int, timeout: float, concurrency: int, delay: float | None,
          time_budget: float | None, user_agent: str, headers: tuple[str, ...],
          allow_private: bool, include: tuple[str, ...], exclude: tuple[str, ...],
          fail_on: str | None, fail_under: int | None, json_out: bool, quiet: bool,
          progress: bool, debug: bool) -> int:
    """Crawl TARGET (a URL or a build folder), run the checks, write the report site.

    \b
    Examples:
      trustaudit audit https://shop.example
      trustaudit audit ./public --site-url https://shop.example -o report
      trustaudit audit https://preview.shop.example --fail-on high --fail-under 70
    """
    import re

    from auditor.audit import run_audit
    from auditor.registry import verify_builtin_packages

    verify_builtin_packages()
    for pattern in (*include, *exclude):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise click.BadParameter(f"not a regular expression: {pattern!r} ({exc})",
                                     param_hint="--include/--exclude") from exc
    options = CrawlOptions(
        max_pages=max_pages, max_depth=max_depth, timeout=timeout, concurrency=concurrency,
        delay=delay, time_budget=time_budget, user_agent=user_agent,
        headers=parse_headers(headers), allow_private=allow_private, site_url=site_url.strip(),
        include=include, exclude=exclude,
    )
    show = Progress(progress and not quiet, sys.stderr.isatty())
    try:
        result = run_audit(target, options, site_kind=site_kind, progress=show,
                           argv=redacted_argv(sys.argv))
    finally:
        show.done()
    write_report(result.report, result.run, out)
    report = result.report
    if json_out:
        from auditor.results import dumps

        click.echo(dumps(report), nl=False)
    reason = gate(report, fail_on, fail_under)
    stream_err = json_out
    if quiet:
        score = report["score"]
        click.echo(
            f"trustaudit: score {score['value'] if score['value'] is not None else '—'} "
            f"grade {score['grade'] or '—'}, {sum(f['status'] == 'fail' for f in report['findings'])} "
            f"failed, report {out / 'index.html'}" + (f"; {reason}" if reason else ""),
            err=stream_err,
        )
    else:
        for line in summary_lines(report, out):
            click.echo(line, err=stream_err)
        if reason:
            click.echo(reason, err=stream_err)
    if result.interrupted:
        click.echo("trustaudit: interrupted: a partial report was written", err=True)
        return EXIT_INTERRUPTED
    return EXIT_GATE if reason else EXIT_OK


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
        click.echo(f"{spec.id:<{width}}  {spec.category:<16} {spec.severity:<9} {scope:<12} {spec.title}")
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
def render(report_json: Path, out: Path) -> None:
    """Rebuild the report site from a report.json alone (no crawling)."""
    from auditor.errors import TargetError
    from auditor.results import load_schema

    try:
        report = json.loads(report_json.read_text("utf-8"))
    except FileNotFoundError as exc:
        raise TargetError(f"file not found: {report_json}") from exc
    except (OSError, ValueError) as exc:
        raise TargetError(f"cannot read {report_json} as report.json: {exc}") from exc
    try:
        import jsonschema
    except ImportError:  # validation is a bonus when jsonschema is installed
        jsonschema = None  # type: ignore[assignment]
    if jsonschema is not None:
        errors = sorted(jsonschema.Draft202012Validator(load_schema()).iter_errors(report),
                        key=lambda e: list(e.path))
        if errors:
            where = "/".join(str(p) for p in errors[0].path) or "(top level)"
            raise TargetError(f"{report_json} is not a trustaudit report.json: {where}: "
                              f"{errors[0].message[:200]}")
    elif not isinstance(report, dict) or report.get("schema_version") != 1:
        raise TargetError(f"{report_json} is not a trustaudit report.json (schema_version 1)")
    run_path = report_json.with_name("run.json")
    run = None
    if run_path.exists():
        try:
            run = json.loads(run_path.read_text("utf-8"))
        except (OSError, ValueError):
            run = None
    from auditor.results import dumps

    extra = {"report.json": dumps(report)} | ({"run.json": dumps(run)} if run else {})
    from auditor.report.render import render_site

    render_site(report, out, run, extra_files=extra)
    click.echo(f"report: {out / 'index.html'}")


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: map every outcome to its documented exit code, tracebacks only with --debug."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        code = cli.main(args=args, prog_name="trustaudit", standalone_mode=False)
        code = code if isinstance(code, int) else EXIT_OK
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except TrustauditError as exc:
        exc.show()
        code = exc.exit_code
    except click.ClickException as exc:  # usage errors: exit 2
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

"""Audit history: keep past report.json files in a folder and show the score over time.

``--history DIR`` keeps one copy of every report.json it is given, named
``<sequence>-<digest>.json`` (and its run.json beside it as ``<sequence>-<digest>.run.json``).
The digest covers the report and the run's start time, so rendering the same run twice adds
nothing, while two runs that judged the same site identically stay two points in time.
report.json never holds a timestamp: runs are ordered by run.json's ``started`` when every entry
has one, else by sequence. The comparison with the previous run reuses :mod:`auditor.diff`, the
same one ``trustaudit diff`` and ``--baseline`` use. Everything here is deterministic: the same
folder gives the same series, chart geometry and text.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from auditor.diff import ReportDiff, ReportFileError, compare, load_report_file
from auditor.errors import OutputError

_NAME = re.compile(r"^(\d{4,})-([0-9a-f]{12})\.json$")
#: The chart shows at most this many of the latest runs (the table below it lists them too).
CHART_POINTS = 60
# Chart geometry in SVG user units (the SVG scales to its container).
WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 40, 16, 14, 34


@dataclass(frozen=True, slots=True)
class Entry:
    """One report kept in the history folder."""

    sequence: int
    digest: str
    name: str
    started: str
    report: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Point:
    """One run as the overview shows it."""

    label: str
    started: str
    score: int | None
    grade: str | None
    coverage: float
    failed: int
    current: bool
    x: float
    y: float | None


@dataclass(frozen=True, slots=True)
class Chart:
    """Geometry of the inline SVG chart: polyline segments, dots, grid lines and labels."""

    width: int
    height: int
    segments: tuple[str, ...]
    grid: tuple[tuple[int, float], ...]
    x_labels: tuple[tuple[float, str, str], ...]
    left: int
    right: float
    bottom: float


@dataclass(frozen=True, slots=True)
class History:
    """The series of runs up to the current one, and what changed since the previous run."""

    points: tuple[Point, ...]
    total: int
    change: ReportDiff | None
    previous_label: str
    chart: Chart
    description: str
    skipped: tuple[str, ...]


def digest(report: Mapping[str, Any], run: Mapping[str, Any] | None) -> str:
    """12 hex digits identifying one run: the canonical report plus the run's start time."""
    from auditor.results import dumps  # imported late: the CLI imports this module at start-up

    started = str((run or {}).get("started", ""))
    data = dumps(report).encode("utf-8") + b"\0" + started.encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:12]


def _run_started(path: Path) -> str:
    try:
        run = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return ""
    started = run.get("started", "") if isinstance(run, dict) else ""
    return started if isinstance(started, str) else ""


def load(folder: Path) -> tuple[list[Entry], list[str]]:
    """The entries kept in ``folder`` (in run order) and the names of files that were skipped
    because they are not readable report.json files. A missing folder is an empty history."""
    folder = Path(folder)
    entries: list[Entry] = []
    skipped: list[str] = []
    if not folder.is_dir():
        return entries, skipped
    for path in sorted(folder.iterdir()):
        match = _NAME.match(path.name)
        if match is None or not path.is_file():
            continue
        try:
            report = load_report_file(path)
        except ReportFileError:
            skipped.append(path.name)
            continue
        started = _run_started(path.with_name(path.name.removesuffix(".json") + ".run.json"))
        entries.append(Entry(int(match[1]), match[2], path.name, started, report))
    return order(entries), skipped


def order(entries: Sequence[Entry]) -> list[Entry]:
    """By run start time when every entry has one, else by sequence (the order recorded)."""
    if entries and all(e.started for e in entries):
        return sorted(entries, key=lambda e: (e.started, e.sequence, e.digest))
    return sorted(entries, key=lambda e: (e.sequence, e.digest))


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def record(
    folder: Path, report: Mapping[str, Any], run: Mapping[str, Any] | None
) -> tuple[list[Entry], list[str]]:
    """Keep ``report`` (and ``run``) in ``folder`` unless that run is already there.

    Returns the entries in run order and the skipped file names, as :func:`load`. Raises
    :class:`~auditor.errors.OutputError` (exit 5) when the folder cannot be written.
    """
    from auditor.results import dumps

    folder = Path(folder)
    key = digest(report, run)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        entries, skipped = load(folder)
        if not any(e.digest == key for e in entries):
            taken = [int(m[1]) for m in map(_NAME.match, os.listdir(folder)) if m is not None]
            sequence = 1 + max(taken, default=0)
            name = f"{sequence:04d}-{key}.json"
            if run:
                _write_atomic(folder / f"{sequence:04d}-{key}.run.json", dumps(run))
            _write_atomic(folder / name, dumps(report))
            entries, skipped = load(folder)
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        raise OutputError(
            f"cannot write the history folder {folder}: {exc.strerror or exc}{where}"
        ) from exc
    return entries, skipped


# --------------------------------------------------------------------------- the series


def _label(entry: Entry, position: int) -> str:
    """A short label: the run's date and time (UTC) when known, else its position."""
    if entry.started:
        try:
            when = datetime.fromisoformat(entry.started.replace("Z", "+00:00"))
        except ValueError:
            return entry.started[:16]
        if when.utcoffset() is not None:
            when = when.astimezone(UTC)
        return when.strftime("%Y-%m-%d %H:%M")
    return f"run {position}"


def _failed(report: Mapping[str, Any]) -> int:
    return sum(1 for f in report["findings"] if f["status"] == "fail")


def _y(score: int) -> float:
    return round(TOP + (HEIGHT - TOP - BOTTOM) * (100 - score) / 100, 1)


def _chart(points: list[Point]) -> Chart:
    segments: list[str] = []
    current: list[str] = []
    for p in points:
        if p.y is None:
            if current:
                segments.append(" ".join(current))
            current = []
            continue
        current.append(f"{p.x:g},{p.y:g}")
    if current:
        segments.append(" ".join(current))
    grid = tuple((v, _y(v)) for v in (0, 25, 50, 75, 100))
    shown: list[tuple[float, str, str]] = []
    if points:
        picks = sorted({0, len(points) - 1, *range(0, len(points), max(1, len(points) // 4))})
        if len(points) > 4:  # keep labels apart: drop a pick too close to the last one
            picks = [i for i in picks if i == len(points) - 1 or len(points) - 1 - i >= 2]
        for i in picks:
            anchor = "start" if i == 0 else "end" if i == len(points) - 1 else "middle"
            shown.append((points[i].x, points[i].label.split(" ")[0], anchor))
        if len(points) == 1:
            shown = [(points[0].x, points[0].label.split(" ")[0], "middle")]
    return Chart(WIDTH, HEIGHT, tuple(segments), grid, tuple(shown), LEFT, WIDTH - RIGHT,
                 HEIGHT - BOTTOM)


def _description(points: list[Point], total: int) -> str:
    scored = [p for p in points if p.score is not None]
    runs = f"{total} run{'s' if total != 1 else ''}"
    if not scored:
        return f"Score over {runs}: no run could be scored."
    first, last = scored[0], scored[-1]
    high = max(p.score for p in scored if p.score is not None)
    low = min(p.score for p in scored if p.score is not None)
    text = f"Score over {runs}"
    if total > len(points):
        text += f" (the latest {len(points)} shown)"
    if first is last:
        return f"{text}: {last.score} on {last.label}."
    return (f"{text}: from {first.score} on {first.label} to {last.score} on {last.label}; "
            f"highest {high}, lowest {low}.")


def timeline(
    entries: Sequence[Entry],
    report: Mapping[str, Any],
    run: Mapping[str, Any] | None,
    skipped: Sequence[str] = (),
) -> History:
    """The series up to and including the current run, and the change from the run before.

    The current run is the entry with ``report``'s digest; when it is not in ``entries``
    (history read but not recorded), it is appended as the latest run.
    """
    key = digest(report, run)
    runs = list(order(entries))
    if not any(e.digest == key for e in runs):
        started = str((run or {}).get("started", ""))
        runs = order([*runs, Entry(1 + max((e.sequence for e in runs), default=0), key, "",
                                   started, dict(report))])
    position = next(i for i, e in enumerate(runs) if e.digest == key)
    runs = runs[: position + 1]
    previous = runs[-2] if len(runs) > 1 else None
    total = len(runs)
    window = runs[-CHART_POINTS:]
    offset = total - len(window)
    span = max(1, len(window) - 1)
    inner = WIDTH - LEFT - RIGHT
    points: list[Point] = []
    for i, entry in enumerate(window):
        score = entry.report["score"]
        x = round(LEFT + (inner * i / span if len(window) > 1 else inner / 2), 1)
        points.append(Point(
            label=_label(entry, offset + i + 1),
            started=entry.started,
            score=score["value"],
            grade=score["grade"],
            coverage=score["coverage"],
            failed=_failed(entry.report),
            current=entry.digest == key,
            x=x,
            y=None if score["value"] is None else _y(score["value"]),
        ))
    return History(
        points=tuple(points),
        total=total,
        change=compare(previous.report, report) if previous is not None else None,
        previous_label=_label(previous, total - 1) if previous is not None else "",
        chart=_chart(points),
        description=_description(points, total),
        skipped=tuple(skipped),
    )


def check_location(history: Path, out: Path) -> str | None:
    """A one-line problem when the history folder would be destroyed with the report folder
    (it must not be the report folder or inside it), else None."""
    h, o = Path(os.path.abspath(history)), Path(os.path.abspath(out))
    if h == o or h.is_relative_to(o):
        return (f"the history folder {history} is inside the report folder {out}, which is "
                "replaced on every run: keep it beside the report instead")
    return None


def for_render(
    folder: Path | None, out: Path, report: Mapping[str, Any], run: Mapping[str, Any] | None
) -> History | None:
    """What ``--history DIR`` gives the renderer: record this run (not an interrupted one) and
    return the timeline; None without a folder. A folder inside ``out`` is a usage error."""
    if folder is None:
        return None
    problem = check_location(folder, out)
    if problem is not None:
        raise click.BadParameter(problem, param_hint="--history")
    if "interrupted" in report["crawl"]["limits_hit"]:
        entries, skipped = load(folder)  # a partial report is shown, not kept
    else:
        entries, skipped = record(folder, report, run)
    return timeline(entries, report, run, skipped)


def option_callback(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """Click callback of ``--history``: refuse a folder inside the report folder before any
    crawling (when ``--out`` is already known; :func:`for_render` checks again)."""
    out = ctx.params.get("out")
    if value is not None and out is not None:
        problem = check_location(value, out)
        if problem is not None:
            raise click.BadParameter(problem, ctx=ctx, param=param)
    return value

"""Measure the dark-pattern text detectors on a labelled sample: precision, recall and F1.

    python -m benchmarks.darkpatterns ../shared/corpus/darkpatterns-dev.tsv
    python -m benchmarks.darkpatterns SAMPLE.tsv --markdown     # tables for docs/detection.md
    python -m benchmarks.darkpatterns SAMPLE.tsv --misses       # also list what was missed

The sample is a TSV with a header row and the columns ``page_id``, ``text``, ``label`` (1 dark
pattern, 0 not) and ``category`` (the S17/S18 pattern category: Scarcity, Urgency, Social Proof,
Misdirection, Sneaking, Obstruction, Forced Action, or "Not Dark Pattern"). Each text goes
through :func:`checks.honesty.detectors.find_all`, the functions the honesty checks call on
page text, so these figures are the checks' own.

Each detector answers for one category (low-stock → Scarcity, urgency → Urgency, activity →
Social Proof, confirmshaming → Misdirection, fees → Sneaking). Per detector: *precision* is the
share of its hits that are labelled dark patterns (a hit on a label-0 text is a false accusation,
listed below the table); *type precision* the share that are also of its category; *recall* the
share of its category's texts it finds. Misdirection also holds visual interference and
pressured selling, and Sneaking, Obstruction and Forced Action are structural (pre-checked
inputs, cancel flows), so their recall by text is bounded; the overall row counts any detector
against the label. The same command runs on samples this repository has never seen.
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass, field
from pathlib import Path

from checks.honesty.detectors import TEXT_CATEGORIES, Match, find_all

CATEGORY_OF = {
    "low-stock": "Scarcity",
    "urgency": "Urgency",
    "activity": "Social Proof",
    "confirmshaming": "Misdirection",
    "fees": "Sneaking",
}


@dataclass(frozen=True, slots=True)
class Row:
    page_id: str
    text: str
    label: int
    category: str


@dataclass
class Score:
    fired: int = 0
    tp: int = 0  # labelled dark pattern of the detector's category
    cross: int = 0  # labelled dark pattern of another category
    fp: int = 0  # labelled not a dark pattern: a false accusation
    fn: int = 0  # a text of the category the detector missed
    false_positives: list[tuple[Row, Match]] = field(default_factory=list)
    cross_hits: list[tuple[Row, Match]] = field(default_factory=list)
    misses: list[Row] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        return (self.tp + self.cross) / self.fired if self.fired else None

    @property
    def type_precision(self) -> float | None:
        return self.tp / self.fired if self.fired else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0


def read_sample(path: Path) -> list[Row]:
    """Rows of a TSV sample (quoted multi-line texts allowed)."""
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle, delimiter="\t"):
            label = (record.get("label") or "").strip()
            if label not in ("0", "1"):
                continue
            rows.append(Row(record.get("page_id", "").strip(), record.get("text") or "",
                            int(label), (record.get("category") or "").strip()))
    return rows


def measure(rows: list[Row]) -> tuple[dict[str, Score], Score]:
    """Per-detector scores and the overall score (any detector against the label)."""
    scores = {c: Score() for c in TEXT_CATEGORIES}
    overall = Score()
    for row in rows:
        hits = find_all(row.text)
        for category in TEXT_CATEGORIES:
            score = scores[category]
            own = row.label == 1 and row.category == CATEGORY_OF.get(category)
            if category in hits:
                score.fired += 1
                first = hits[category][0]
                if own:
                    score.tp += 1
                elif row.label == 1:
                    score.cross += 1
                    score.cross_hits.append((row, first))
                else:
                    score.fp += 1
                    score.false_positives.append((row, first))
            elif own:
                score.fn += 1
                score.misses.append(row)
        if hits:
            overall.fired += 1
            if row.label == 1:
                overall.tp += 1
            else:
                overall.fp += 1
                first = next(iter(hits.values()))[0]
                overall.false_positives.append((row, first))
        elif row.label == 1:
            overall.fn += 1
            overall.misses.append(row)
    return scores, overall


def fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def table(rows: list[Row], scores: dict[str, Score], overall: Score, markdown: bool) -> str:
    counts: dict[str, int] = {}
    for row in rows:
        if row.label == 1:
            counts[row.category] = counts.get(row.category, 0) + 1
    header = ("detector", "category", "texts", "hits", "TP", "other DP", "FP", "FN",
              "precision", "type prec.", "recall", "F1")
    lines: list[tuple[str, ...]] = [header]
    for category in TEXT_CATEGORIES:
        s = scores[category]
        cat = CATEGORY_OF[category]
        lines.append((category, cat, str(counts.get(cat, 0)), str(s.fired), str(s.tp),
                      str(s.cross), str(s.fp), str(s.fn), fmt(s.precision),
                      fmt(s.type_precision), fmt(s.recall), fmt(s.f1)))
    positives = sum(counts.values())
    lines.append(("any (overall)", "all dark patterns", str(positives), str(overall.fired),
                  str(overall.tp), "", str(overall.fp), str(overall.fn), fmt(overall.precision),
                  "", fmt(overall.recall), fmt(overall.f1)))
    negatives = sum(1 for r in rows if r.label == 0)
    untested = sorted(c for c in counts if c not in CATEGORY_OF.values())
    note = (f"{len(rows)} texts: {positives} dark patterns, {negatives} not. "
            f"No text detector for: {', '.join(f'{c} ({counts[c]})' for c in untested) or '—'}.")
    if markdown:
        out = ["| " + " | ".join(lines[0]) + " |", "|" + "---|" * len(lines[0])]
        out += ["| " + " | ".join(line) + " |" for line in lines[1:]]
        return "\n".join(out) + "\n\n" + note
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    body = "\n".join("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
                     for line in lines)
    return body + "\n\n" + note


def _describe(row: Row, match: Match | None = None) -> str:
    text = " ".join(row.text.split())
    text = text if len(text) <= 140 else text[:139] + "…"
    hit = f" [{match.rule}: {match.matched!r}]" if match else ""
    return f"{row.page_id} ({row.category or 'no category'}): {text!r}{hit}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.darkpatterns", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sample", type=Path, help="TSV: page_id, text, label, category")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--misses", action="store_true",
                        help="also list the dark patterns no detector found")
    args = parser.parse_args(argv)
    if not args.sample.is_file():
        print(f"no such file: {args.sample}", file=sys.stderr)
        return 2
    rows = read_sample(args.sample)
    if not rows:
        print(f"no labelled rows in {args.sample}", file=sys.stderr)
        return 2
    scores, overall = measure(rows)
    print(table(rows, scores, overall, args.markdown))
    false_positives = [(c, r, m) for c in TEXT_CATEGORIES for r, m in scores[c].false_positives]
    print(f"\n{len(false_positives)} false positives (texts labelled 0 that a detector flags)"
          + (":" if false_positives else "."))
    for category, row, match in false_positives:
        print(f"- {category}: {_describe(row, match)}")
    cross = [(c, r, m) for c in TEXT_CATEGORIES for r, m in scores[c].cross_hits]
    if cross:
        print(f"\n{len(cross)} hits on dark patterns of another category:")
        for category, row, match in cross:
            print(f"- {category}: {_describe(row, match)}")
    if args.misses:
        print(f"\n{len(overall.misses)} dark patterns no detector found:")
        for row in overall.misses:
            print(f"- {_describe(row)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

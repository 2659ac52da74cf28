"""What a run did, in words: for the terminal, the run's logs and the Prefect artifacts."""

from __future__ import annotations

import re

from poa_etl.pipeline.results import IngestSummary

MAX_LISTED = 50  # rejected files and quarantined rows listed in a markdown summary
_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~])")


def totals(summary: IngestSummary) -> str:
    return (
        f"{len(summary.with_status('loaded'))} file(s) loaded, "
        f"{len(summary.with_status('unchanged'))} unchanged, "
        f"{len(summary.with_status('rejected'))} rejected: "
        f"{summary.total('reports')} reports, {summary.total('metas')} metas, "
        f"{summary.total('progress')} progress rows, "
        f"{summary.total('quarantine')} row(s) quarantined."
    )


def quality_line(summary: IngestSummary) -> str | None:
    if not summary.quality:
        return None
    rules = ", ".join(f"{rule} {n}" for rule, n in summary.quality.items())
    return f"Quality issues in the fiscal years loaded: {rules} (poa quality)."


def log_lines(summary: IngestSummary) -> list[str]:
    """One line per fact, for the run's logs."""
    lines = [f"{len(summary.files)} file(s) seen; " + totals(summary)]
    lines += [f"rejected {f.path}: {f.message}" for f in summary.with_status("rejected")]
    lines += [f"quarantined {where}: {reason}" for where, reason in summary.quarantine]
    if line := quality_line(summary):
        lines.append(line)
    lines += summary.unfinished()
    return lines


def file_rows(summary: IngestSummary) -> list[dict[str, object]]:
    """One row per input file: the per-file outcome table."""
    return [
        {
            "file": str(f.path),
            "kind": f.media_type,
            "outcome": f.status,
            "reports": f.count("reports"),
            "metas": f.count("metas"),
            "quarantined": f.count("quarantine"),
            "reason": f.message or "",
        }
        for f in summary.files
    ]


def markdown(summary: IngestSummary) -> str:
    """The run summary in markdown, every published text escaped, long lists cut at
    ``MAX_LISTED`` items with a count of the rest."""
    counts = [
        ("files seen", len(summary.files)),
        ("skipped as unchanged", len(summary.with_status("unchanged"))),
        ("loaded", len(summary.with_status("loaded"))),
        ("rejected", len(summary.with_status("rejected"))),
        ("reports", summary.total("reports")),
        ("metas", summary.total("metas")),
        ("progress rows", summary.total("progress")),
        ("quarantined rows", summary.total("quarantine")),
        ("quality issues", sum(summary.quality.values())),
    ]
    parts = [
        f"# Ingestion into {escape(str(summary.warehouse))}",
        "",
        "| | count |",
        "|---|---:|",
        *(f"| {name} | {value} |" for name, value in counts),
    ]
    if summary.lake_error:
        parts += ["", f"**Lake not refreshed:** {escape(summary.lake_error)}"]
    if summary.checkpoint_error:
        parts += ["", f"**Warehouse not checkpointed:** {escape(summary.checkpoint_error)}"]
    rejected = [(str(f.path), f.message or "") for f in summary.with_status("rejected")]
    parts += _listing("Rejected files", "file", rejected)
    parts += _listing("Quarantined rows", "where", summary.quarantine)
    if summary.quality:
        parts += ["", "## Quality issues by rule", "", "| rule | issues |", "|---|---:|"]
        parts += [f"| {escape(rule)} | {n} |" for rule, n in summary.quality.items()]
    return "\n".join(parts) + "\n"


def _listing(title: str, first: str, items: list[tuple[str, str]]) -> list[str]:
    if not items:
        return []
    lines = ["", f"## {title}", "", f"| {first} | reason |", "|---|---|"]
    lines += [f"| {escape(a)} | {escape(b)} |" for a, b in items[:MAX_LISTED]]
    if len(items) > MAX_LISTED:
        lines += ["", f"… and {len(items) - MAX_LISTED} more (poa quality lists them all)."]
    return lines


def escape(text: str) -> str:
    """Published text as literal markdown: no markup, no HTML, one line."""
    return _MARKDOWN.sub(r"\\\1", " ".join(text.split()))

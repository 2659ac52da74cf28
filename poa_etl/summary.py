"""What a load did, in words: for the terminal, the run's logs and the Prefect artifact."""

from __future__ import annotations

from poa_etl.ingest import IngestSummary


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
    lines += [f"quarantined {r.location}: {r.reason}" for r in summary.quarantine.itertuples()]
    if line := quality_line(summary):
        lines.append(line)
    return lines


def markdown(summary: IngestSummary) -> str:
    """The run summary as a Prefect markdown artifact."""
    rows = [
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
        f"# Ingestion into `{summary.warehouse}`",
        "",
        "| | count |",
        "|---|---:|",
        *(f"| {name} | {value} |" for name, value in rows),
    ]
    if rejected := summary.with_status("rejected"):
        parts += ["", "## Rejected files", "", "| file | reason |", "|---|---|"]
        parts += [f"| `{f.path}` | {_cell(f.message or '')} |" for f in rejected]
    if not summary.quarantine.empty:
        parts += ["", "## Quarantined rows", "", "| where | reason |", "|---|---|"]
        parts += [f"| {r.location} | {_cell(r.reason)} |" for r in summary.quarantine.itertuples()]
    if summary.quality:
        parts += ["", "## Quality issues by rule", "", "| rule | issues |", "|---|---:|"]
        parts += [f"| `{rule}` | {n} |" for rule, n in summary.quality.items()]
    return "\n".join(parts) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")

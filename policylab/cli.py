"""The ``policylab`` command: a thin layer over the functions a notebook calls.

::

    policylab build [CORPUS] --out DIR [--format parquet|csv] [--jobs N] [--quiet]
    policylab report [CORPUS] --out DIR [--quiet]
    policylab evaluate ANNOTATIONS [--by-document]

``build`` exits non-zero only when no notice could be read, and always says how
many files were skipped and why.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import click

from .corpus import BUNDLED_CORPUS, PolicylabWarning

__all__ = ["main"]


def _build(corpus: Path | None, jobs: int, quiet: bool):
    from .build import build

    with warnings.catch_warnings():
        # Problems are summarised below, once, instead of one warning per file.
        warnings.simplefilter("ignore", PolicylabWarning)
        tables = build(corpus, jobs=jobs, progress=False if quiet else None)
    problems = tables.problems
    errors = problems[problems["severity"] == "error"]
    warns = problems[problems["severity"] == "warning"]
    for row in problems.itertuples():
        click.echo(f"{row.severity}: {row.file}: {row.problem}", err=True)
    click.echo(
        f"read {len(tables.documents)} notices, {len(tables.clauses)} clauses; "
        f"skipped {errors['file'].nunique()} files, {len(warns)} warnings",
        err=True,
    )
    _echo_untagged(tables.documents)
    if tables.documents.empty:
        click.echo(f"error: no notice could be read from {corpus or BUNDLED_CORPUS}", err=True)
        sys.exit(1)
    return tables


def _echo_untagged(documents) -> None:
    from .languages import language_summary

    left_out = language_summary(documents)
    left_out = left_out[~left_out["tagged"]]
    if len(left_out):
        reasons = "; ".join(f"{row.notices} × {row.reason}" for row in left_out.itertuples())
        click.echo(f"not tagged: {int(left_out['notices'].sum())} notices ({reasons}); no labels, retention or coverage rows for them", err=True)


corpus_argument = click.argument("corpus", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="policylab")
def main() -> None:
    """Tidy tables from privacy notices (GDPR Art. 13/14)."""


@main.command("build")
@corpus_argument
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder for the tables.")
@click.option("--format", "fmt", type=click.Choice(["parquet", "csv"]), default="parquet", show_default=True)
@click.option("--jobs", default=1, show_default=True, help="Notices processed in parallel (-1: all cores).")
@click.option("--quiet", is_flag=True, help="No progress bars.")
def build_command(corpus: Path | None, out: Path, fmt: str, jobs: int, quiet: bool) -> None:
    """Build the tables of CORPUS (default: the bundled corpus) into --out."""
    tables = _build(corpus, jobs, quiet)
    paths = tables.write(out, format=fmt)
    click.echo(f"wrote {len(paths)} tables to {out}", err=True)


@main.command("report")
@corpus_argument
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder for the report.")
@click.option("--jobs", default=1, show_default=True, help="Notices processed in parallel (-1: all cores).")
@click.option("--quiet", is_flag=True, help="No progress bars.")
def report_command(corpus: Path | None, out: Path, jobs: int, quiet: bool) -> None:
    """Write the tables and a report of CORPUS into --out."""
    from .report import write_report

    tables = _build(corpus, jobs, quiet)
    tables.write(out / "tables", format="parquet")
    path = write_report(tables, out)
    click.echo(f"wrote the report to {path}", err=True)


def _add_evaluate() -> None:
    from .evaluate import evaluate_command

    main.add_command(evaluate_command)


_add_evaluate()


if __name__ == "__main__":  # pragma: no cover
    main()

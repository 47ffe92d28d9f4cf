"""The ``policylab`` command: a thin layer over the functions a notebook calls.

::

    policylab build [CORPUS] --out DIR [--format parquet|csv|csv-excel|xlsx] [--csv-sep ;] [--overwrite] [--jobs N] [--quiet]
    policylab report [CORPUS] --out DIR [--overwrite] [--quiet]
    policylab fetch URLS.csv --out CORPUS [--delay 1] [--timeout 20] [--retries 2]
    policylab evaluate ANNOTATIONS [--by-document]

``build`` exits non-zero only when no notice could be read, and always says how
many files were skipped and why. ``--out`` is checked before the build starts (a
non-empty folder that policylab did not write is refused unless ``--overwrite``)
and written atomically (see :mod:`policylab.export`).
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
    if tables.documents.empty:
        click.echo(f"error: no notice could be read from {corpus or BUNDLED_CORPUS}", err=True)
        sys.exit(1)
    return tables


corpus_argument = click.argument("corpus", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="policylab")
def main() -> None:
    """Tidy tables from privacy notices (GDPR Art. 13/14)."""


def _check_out(out: Path, overwrite: bool) -> None:
    from .export import OutputError, check_output

    try:
        check_output(out, overwrite=overwrite)
    except OutputError as exc:
        raise click.ClickException(str(exc)) from None


overwrite_option = click.option(
    "--overwrite", is_flag=True,
    help="Write into a non-empty --out that policylab did not write (only policylab's own files are replaced).",
)


@main.command("build")
@corpus_argument
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder for the tables.")
@click.option(
    "--format", "fmt", type=click.Choice(["parquet", "csv", "csv-excel", "xlsx"]), default="parquet", show_default=True,
    help="parquet (true values); csv (UTF-8, ','); csv-excel (UTF-8 with BOM, --csv-sep, decimal comma); "
    "xlsx (one sheet per table, needs openpyxl). CSV cells starting with = + - @ get a leading '.",
)
@click.option("--csv-sep", default=";", show_default=True, help="Separator of --format csv-excel (';' also gives a decimal comma).")
@overwrite_option
@click.option("--jobs", default=1, show_default=True, help="Notices processed in parallel (-1: all cores).")
@click.option("--quiet", is_flag=True, help="No progress bars.")
def build_command(corpus: Path | None, out: Path, fmt: str, csv_sep: str, overwrite: bool, jobs: int, quiet: bool) -> None:
    """Build the tables of CORPUS (default: the bundled corpus) into --out."""
    if fmt == "xlsx":
        from importlib.util import find_spec

        if find_spec("openpyxl") is None:
            raise click.ClickException("--format xlsx needs openpyxl: pip install 'policylab[excel]'")
    if fmt == "csv-excel" and (len(csv_sep) != 1 or csv_sep in "\"'\r\n"):
        raise click.BadParameter(f"one character other than a quote or a newline, not {csv_sep!r}", param_hint="--csv-sep")
    _check_out(out, overwrite)
    tables = _build(corpus, jobs, quiet)
    paths = tables.write(out, format=fmt, overwrite=overwrite, csv_sep=csv_sep)
    click.echo(f"wrote {len(paths)} {'files' if fmt == 'xlsx' else 'tables'} to {out}", err=True)


@main.command("report")
@corpus_argument
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder for the report.")
@overwrite_option
@click.option("--jobs", default=1, show_default=True, help="Notices processed in parallel (-1: all cores).")
@click.option("--quiet", is_flag=True, help="No progress bars.")
def report_command(corpus: Path | None, out: Path, overwrite: bool, jobs: int, quiet: bool) -> None:
    """Write the tables and a report of CORPUS into --out."""
    from .export import read_manifest
    from .report import write_report

    # An earlier report (its report.html, or the tables it wrote first) may be replaced.
    ours = (out / "report.html").is_file() or read_manifest(out / "tables") is not None
    if out.is_dir() and not (overwrite or ours) and any(out.iterdir()):
        raise click.ClickException(
            f"{out}: the folder is not empty and holds no policylab report: choose a new or empty folder, or pass --overwrite"
        )
    _check_out(out / "tables", overwrite or ours)
    tables = _build(corpus, jobs, quiet)
    tables.write(out / "tables", format="parquet", overwrite=overwrite or ours)
    path = write_report(tables, out)
    click.echo(f"wrote the report to {path}", err=True)


@main.command("fetch")
@click.argument("urls", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder for the corpus.")
@click.option("--delay", default=1.0, show_default=True, help="Seconds between two requests to one host.")
@click.option("--timeout", default=20.0, show_default=True, help="Seconds to connect and to wait for data.")
@click.option("--retries", default=2, show_default=True, help="Retries of a failed connection, timeout or 429/5xx answer.")
@click.option("--contact", default=None, help="An e-mail or URL put in the User-Agent, so site owners can reach you.")
@click.option("--overwrite", is_flag=True, help="Fetch into a non-empty folder.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def fetch_command(urls: Path, out: Path, delay: float, timeout: float, retries: int, contact: str | None,
                  overwrite: bool, quiet: bool) -> None:
    """Download the pages of URLS (a CSV with a 'url' column, or one URL a line) into a corpus folder.

    robots.txt is obeyed, one request per host per --delay seconds. The folder
    gets <doc_id>.txt (the text), raw/<doc_id>.html (the page as received),
    metadata.csv (url, final_url, fetched_at, http_status, sha256, extractor...)
    and raw/problems.csv (URLs that gave no notice). Then: policylab build OUT.
    """
    from .fetch import fetch_corpus

    try:
        meta, problems = fetch_corpus(urls, out, delay=delay, timeout=timeout, retries=retries, contact=contact,
                                      overwrite=overwrite, progress=False if quiet else None)
    except FileExistsError as exc:
        raise click.ClickException(f"{exc}") from None
    except (ImportError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    for row in problems.itertuples():
        click.echo(f"error: {row.url}: {row.stage}: {row.problem}", err=True)
    click.echo(f"fetched {len(meta)} of {len(meta) + len(problems)} URLs into {out} "
               f"({len(problems)} problems, listed in {out / 'raw' / 'problems.csv'})", err=True)
    if meta.empty:
        sys.exit(1)


def _add_evaluate() -> None:
    from .evaluate import evaluate_command

    main.add_command(evaluate_command)


_add_evaluate()


if __name__ == "__main__":  # pragma: no cover
    main()

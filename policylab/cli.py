"""The ``policylab`` command: a thin layer over the functions a notebook calls.

::

    policylab build [CORPUS] --out DIR [--format parquet|csv|csv-excel|xlsx] [--csv-sep ;] [--overwrite] [--jobs N] [--quiet]
    policylab report [CORPUS] --out DIR [--overwrite] [--quiet]
    policylab fetch URLS.csv --out CORPUS [--delay 1] [--timeout 20] [--retries 2]
    policylab evaluate ANNOTATIONS [--by-document]
    policylab search [CORPUS] PATTERN [--regex | --stems] [--window N] [--out FILE]
    policylab diff OLD NEW [--out DIR]
    policylab opp115 [PATH] --out DIR [--folds 5] [--no-ablation] [--quiet]
    policylab train ANNOTATIONS --out MODEL [--corpus CORPUS]

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


def _build(corpus: Path | None, jobs: int, quiet: bool, model="default"):
    from .build import build

    with warnings.catch_warnings():
        # Problems are summarised below, once, instead of one warning per file.
        warnings.simplefilter("ignore", PolicylabWarning)
        try:
            tables = build(corpus, jobs=jobs, progress=False if quiet else None, model=model)
        except (FileNotFoundError, ValueError) as exc:
            if model in (None, "default"):
                raise
            raise click.ClickException(f"--model: {exc}") from None
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
@click.option("--model", "model", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="A model JSON file from 'policylab train' (default: the packaged model).")
def build_command(corpus: Path | None, out: Path, fmt: str, csv_sep: str, overwrite: bool, jobs: int, quiet: bool,
                  model: Path | None) -> None:
    """Build the tables of CORPUS (default: the bundled corpus) into --out."""
    if fmt == "xlsx":
        from importlib.util import find_spec

        if find_spec("openpyxl") is None:
            raise click.ClickException("--format xlsx needs openpyxl: pip install 'policylab[excel]'")
    if fmt == "csv-excel" and (len(csv_sep) != 1 or csv_sep in "\"'\r\n"):
        raise click.BadParameter(f"one character other than a quote or a newline, not {csv_sep!r}", param_hint="--csv-sep")
    _check_out(out, overwrite)
    tables = _build(corpus, jobs, quiet, model if model is not None else "default")
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
    path = write_report(tables, out, progress=False if quiet else None)
    click.echo(f"wrote the report to {path}", err=True)


@main.command("search")
@click.argument("corpus", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("pattern")
@click.option("--regex", "as_regex", is_flag=True, help="PATTERN is a regular expression.")
@click.option("--stems", is_flag=True, help="Match words by their stem (slette: sletter, slettes, slettet).")
@click.option("--window", default=5, show_default=True, help="Words of context on each side.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), help="Write the hits as CSV instead of printing them.")
@click.option("--jobs", default=1, show_default=True, help="Notices processed in parallel (-1: all cores).")
@click.option("--quiet", is_flag=True, help="No progress bars.")
def search_command(corpus: Path | None, pattern: str, as_regex: bool, stems: bool, window: int, out: Path | None,
                   jobs: int, quiet: bool) -> None:
    """Keyword in context: every hit of PATTERN in the clauses of CORPUS, with its tags."""
    from .kwic import kwic

    tables = _build(corpus, jobs, quiet)
    try:
        hits = kwic(tables.clauses, pattern, window=window, regex=as_regex, stems=stems, labels=tables.labels)
    except (ValueError, TimeoutError) as exc:
        raise click.UsageError(str(exc)) from None
    if out is not None:
        hits.to_csv(out, index=False)
        click.echo(f"wrote {len(hits)} hits to {out}", err=True)
        return
    for hit in hits.itertuples():
        tags = ";".join(t for t in (hit.topic, hit.legal_basis, hit.right) if t)
        click.echo(f"{hit.clause_id}\t{hit.pre:>40.40} [{hit.keyword}] {hit.post:<40.40}\t{tags}")
    click.echo(f"{len(hits)} hits in {hits['doc_id'].nunique()} notices", err=True)


@main.command("diff")
@click.argument("old", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), help="Write clauses.csv, coverage.csv, retention.csv and summary.csv here.")
@click.option("--quiet", is_flag=True, help="No progress bars.")
def diff_command(old: Path, new: Path, out: Path | None, quiet: bool) -> None:
    """Compare two versions of a corpus (notices matched by doc_id) clause by clause."""
    from .versions import compare_versions

    diff = compare_versions(_build(old, 1, quiet), _build(new, 1, quiet))
    for row in diff.summary.itertuples():
        click.echo(f"{row.doc_id}: {row.added} clauses added, {row.removed} removed, {row.changed} changed, "
                   f"{row.unchanged} unchanged")
        for change in diff.clauses[(diff.clauses.doc_id == row.doc_id) & (diff.clauses.status != "unchanged")].itertuples():
            text = change.word_diff if change.status == "changed" else (change.new_text or change.old_text)
            tags = f"  (+{change.labels_added})" if change.labels_added else ""
            tags += f"  (-{change.labels_removed})" if change.labels_removed else ""
            click.echo(f"  {change.status:8} {change.new_clause_id or change.old_clause_id}: {' '.join(str(text).split())[:100]}{tags}")
        if row.items_gained:
            click.echo(f"  coverage gained: {row.items_gained.replace(';', ', ')}")
        if row.items_lost:
            click.echo(f"  coverage lost: {row.items_lost.replace(';', ', ')}")
        for period in diff.retention[diff.retention.doc_id == row.doc_id].itertuples():
            click.echo(f"  storage period {period.change}: {period.raw!r} ({period.kind})")
    if diff.only_old or diff.only_new:
        click.echo(f"only in OLD: {', '.join(diff.only_old) or '-'}; only in NEW: {', '.join(diff.only_new) or '-'}")
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        for name in ("clauses", "coverage", "retention", "summary"):
            getattr(diff, name).to_csv(out / f"{name}.csv", index=False)
        click.echo(f"wrote the comparison to {out}", err=True)


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


@main.command("opp115")
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder for predictions.csv, scores.json and the model.")
@click.option("--folds", default=5, show_default=True, help="Folds of the policy-grouped cross-validation (0: skip).")
@click.option("--no-ablation", is_flag=True, help="Skip the ablation table.")
@click.option("--quiet", is_flag=True, help="No progress messages.")
def opp115_command(path: Path | None, out: Path, folds: int, no_ablation: bool, quiet: bool) -> None:
    """Load OPP-115 at PATH (default $POLICYLAB_OPP115 or ../shared/opp115), train, score and compare."""
    from .benchmark.opp115 import run_opp115, scores_table

    try:
        result = run_opp115(path, out, ablation=not no_ablation, folds=folds,
                            progress=None if quiet else (lambda msg: click.echo(msg, err=True)))
    except (FileNotFoundError, ValueError) as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(1)
    click.echo(scores_table(result["scores"]).to_string(index=False))
    click.echo(f"wrote {out / 'predictions.csv'} and {out / 'scores.json'} ({result['scores']['seconds']} s)", err=True)


@main.command("train")
@click.argument("annotations", type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Model file to write (JSON).")
@click.option("--corpus", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Corpus folder the annotations describe (default: the bundled corpus).")
@click.option("--also", "also", nargs=2, multiple=True, type=click.Path(exists=True, path_type=Path),
              metavar="ANNOTATIONS CORPUS",
              help="More annotations and the corpus folder they describe, trained on together (repeatable).")
def train_command(annotations: Path, out: Path, corpus: Path | None, also: tuple[tuple[Path, Path], ...]) -> None:
    """Train the learned tagger on ANNOTATIONS (a .jsonl file or a folder) and save it as JSON.

    With --also, several annotated corpora are trained on at once, e.g. the
    bundled annotations and a lab's own: policylab train data/annotations --out
    model.json --also mine/annotations mine/corpus
    """
    from .annotations import AnnotationError, annotation_files
    from .stacked import train_model

    sources = [(annotations, corpus)] + [(a, c) for a, c in also]
    for folder, _ in sources:
        if not annotation_files(folder):
            raise click.ClickException(f"no .jsonl annotation files in {folder}")
    for _, folder in sources[1:]:
        if not Path(folder).is_dir():
            raise click.ClickException(f"{folder}: not a corpus folder")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PolicylabWarning)
        try:
            model = train_model(sources if also else annotations, corpus=corpus)
        except (AnnotationError, ValueError) as exc:
            raise click.ClickException(str(exc)) from None
    path = model.save(out)
    learned = ", ".join(f"{d}: {len(c)} labels" for d, c in model.classes_.items())
    click.echo(f"wrote the model ({learned}) to {path}", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()

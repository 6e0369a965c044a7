"""The ``dyadwatch`` command line: a thin Typer shell over the library.

Data goes to stdout, messages and progress to stderr; a ``DyadwatchError`` becomes one
line and exit status 1 (the traceback only with ``--debug``); a usage error (unknown option,
bad choice, missing argument, unknown actor code) one line and exit status 2.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.logging import RichHandler
from rich.table import Table
from rich.text import Text

from dyadwatch import __version__, codes
from dyadwatch import _cli_output as output
from dyadwatch._cli_errors import exit_status
from dyadwatch._cli_options import (
    ArticleFormat,
    CsvRawOption,
    DbOption,
    Engine,
    ExportFormat,
    ExtractFormat,
    FieldOption,
    FormatOption,
    ImportKind,
    PathsArgument,
    Period,
    QuietOption,
)
from dyadwatch.config import Settings, describe_settings, load_settings
from dyadwatch.errors import DyadwatchError, InputError
from dyadwatch.queries import (
    ALL_MODALITIES,
    FILTER_HELP,
    EventFilters,
    event_query,
    stored_actors,
)
from dyadwatch.records import Skipped
from dyadwatch.store import Store, open_store

app = typer.Typer(
    name="dyadwatch",
    help="News pages in, clean deduplicated articles (and coded events) out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
stderr, stdout = output.stderr, output.stdout
_state: dict[str, Any] = {"debug": False, "config": None}


def _print_version(value: bool) -> None:
    """``--version``: print the version and stop before any command is needed."""
    if value:
        typer.echo(__version__)
        raise typer.Exit()


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks and debug logs.")] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", is_eager=True, callback=_print_version, help="Print the version and exit."
        ),
    ] = False,
    config: Annotated[
        Path | None, typer.Option("--config", help="Settings file [default: ./dyadwatch.toml].")
    ] = None,
) -> None:
    """dyadwatch: who did what to whom, when, and is the relationship shifting?"""
    _state["debug"] = debug
    _state["config"] = config
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING,
        format="%(message)s",
        handlers=[RichHandler(console=stderr, show_path=False, show_time=False)],
        force=True,
    )


def _settings(
    db: Path | None = None, fields: Sequence[str] = (), **more: Any
) -> tuple[Settings, dict[str, str]]:
    overrides: dict[str, Any] = {"store.path": db} if db is not None else {}
    overrides.update(_field_overrides(fields))
    overrides.update({key: value for key, value in more.items() if value is not None})
    return load_settings(_state["config"], overrides=overrides)


def _open_store(settings: Settings, *, read_only: bool = False, existing: bool = False) -> Store:
    """The store of ``settings``, waiting while a run is writing a batch to it."""
    if read_only or existing:
        _existing(settings.store.path)
    return open_store(settings, read_only=read_only)


@contextmanager
def _usage_on_bad_value() -> Iterator[None]:
    """Turn an ``InputError`` about an option's value into a usage error (exit status 2)."""
    try:
        yield
    except InputError as error:
        raise typer.BadParameter(error.reason, param_hint=error.item) from None


def _stored_test(store: Store) -> codes.StoredTest:
    """Whether ``store`` holds events of an actor code (an imported dataset's own codes)."""
    return stored_actors(store)


def _inputs_exist(paths: Sequence[str | Path]) -> None:
    """Refuse, before anything is created, an input that is neither a URL nor on disk."""
    from dyadwatch.ingest.web import is_url

    missing = [str(path) for path in paths if not is_url(str(path)) and not Path(path).exists()]
    if missing:
        raise InputError(", ".join(missing), "no such file or folder")


_PARTS = ("text", "html", "url", "title", "published")


def _field_overrides(fields: Sequence[str]) -> dict[str, str]:
    """``--field text=article.body`` as the setting ``ingest.jsonl_text``."""
    found = {}
    for given in fields:
        part, sep, path = given.partition("=")
        if not sep or part.strip() not in _PARTS or not path.strip():
            raise InputError(
                "--field",
                f"expected PART=FIELD with PART one of {', '.join(_PARTS)}, got {given!r}",
            )
        found[f"ingest.jsonl_{part.strip()}"] = path.strip()
    return found


@app.command()
def run(
    paths: PathsArgument,
    db: DbOption = None,
    field: FieldOption = None,
    json_summary: Annotated[
        bool, typer.Option("--json", help="Print the summary as JSON (for scripts).")
    ] = False,
    quiet: QuietOption = False,
    engine: Annotated[
        Engine | None,
        typer.Option(
            help="local: this process; dask or ray: a cluster's workers. [default: local]"
        ),
    ] = None,
    address: Annotated[
        str | None,
        typer.Option(help="Cluster to join (dask: tcp://host:8786; ray: host:6379 or auto)."),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Worker processes of a local cluster (default: one per core)."),
    ] = None,
    staging: Annotated[
        Path | None,
        typer.Option(help="Folder for the workers' Parquet (shared by a real cluster)."),
    ] = None,
) -> None:
    """Run the whole pipeline on PATHS into the database, then print a summary.

    A bar per stage shows its items, rate and (for the inputs) time left; the summary gives
    what was added and where the time went. With --engine dask or ray the per-page stages run
    on the engine's workers over partitions of the input, and the rows stored are those a
    local run stores.

    Example: dyadwatch run examples/pages --db dyadwatch.duckdb
    """
    _inputs_exist(paths)
    settings, _ = _settings(
        db,
        field or (),
        **{
            "scale.engine": engine.value if engine else None,
            "scale.address": address,
            "scale.workers": workers,
            "scale.staging": staging,
        },
    )
    from dyadwatch import pipeline

    with output.progress(paths, pipeline.STAGES, show=not (quiet or json_summary)) as hook:
        if settings.scale.engine == "local":
            summary = pipeline.run(paths, settings=settings, on_progress=hook)
        else:
            from dyadwatch import scaleout

            cluster = scaleout.make_engine(settings)
            try:
                summary = scaleout.run_distributed(
                    paths, settings=settings, engine=cluster, on_progress=hook
                )
            finally:
                cluster.close()
    if not quiet:
        output.report_skipped(summary.skipped)
    if json_summary:
        typer.echo(json.dumps(output.summary_payload(summary), indent=2))
    elif not quiet:
        output.print_summary(summary, settings.store.path)
    if summary.pages_read == 0:
        raise InputError(
            ", ".join(map(str, paths)), "nothing could be read (see the reasons above)"
        )


@app.command()
def extract(
    paths: PathsArgument,
    field: FieldOption = None,
    fmt: Annotated[
        ExtractFormat, typer.Option("--format", help="Output format.")
    ] = ExtractFormat.jsonl,
    csv_raw: CsvRawOption = False,
) -> None:
    """Extract articles from PATHS and print them, without a database.

    Example: dyadwatch extract ../shared/seeds --format jsonl > articles.jsonl
    """
    settings, _ = _settings(None, field or ())
    found = {"articles": 0, "pages": 0}
    skipped: list[Skipped] = []

    from dyadwatch import pipeline

    def rows() -> Iterator[dict[str, Any]]:
        with output.progress(paths, ("ingest", "extract")) as hook:
            for item in pipeline.extract_documents(paths, on_progress=hook, settings=settings):
                if isinstance(item, Skipped):
                    skipped.append(item)
                    continue
                found["articles"] += 1
                yield output.article_row(item)

    columns = ("source", "title", "byline", "outlet", "published", "url", "body")
    output.write_rows(rows(), fmt.value, columns, csv_raw=csv_raw)
    output.report_skipped(skipped)
    read_fail = [item for item in skipped if item.stage == "ingest"]
    stderr.print(f"{found['articles']} articles; {len(skipped)} items skipped", highlight=False)
    if found["articles"] == 0 and read_fail and len(read_fail) == len(skipped):
        raise InputError(
            ", ".join(map(str, paths)), "nothing could be read (see the reasons above)"
        )


@app.command()
def articles(
    db: DbOption = None,
    fmt: FormatOption = None,
    limit: Annotated[int | None, typer.Option(help="Print at most this many stories.")] = None,
    csv_raw: CsvRawOption = False,
) -> None:
    """Print the stored stories, one per duplicate cluster, with every source that carried it.

    Example: dyadwatch articles --format jsonl | head -n 1
    """
    shown = output.chosen_format(fmt)
    with _open_store(_settings(db)[0], read_only=True) as store:
        stored = store.articles(limit=limit)
    if shown is ArticleFormat.table:
        rows = (output.story_summary(item.to_dict()) for item in stored)
        output.write_rows(rows, shown.value, ("published", "outlet", "title", "byline", "copies"))
        return
    columns = ("id", "title", "byline", "outlet", "published", "url", "body", "sources")
    output.write_rows((item.to_dict() for item in stored), shown.value, columns, csv_raw=csv_raw)


@app.command()
def export(
    to: Annotated[Path, typer.Option("--to", help="Folder to write one file per table into.")],
    db: DbOption = None,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", help="File format.")
    ] = ExportFormat.parquet,
    csv_raw: CsvRawOption = False,
) -> None:
    """Export every table to DIR as Parquet or CSV, or the events as JSONL, GDELT 2.0
    (61 tab-separated columns) or PLOVER JSON lines.

    Example: dyadwatch export --to out/ --format gdelt
    """
    from dyadwatch.interop import write_events

    with _open_store(_settings(db)[0], read_only=True) as store:
        if fmt in (ExportFormat.parquet, ExportFormat.csv):
            written = store.export(to, fmt.value, csv_raw=csv_raw)
        else:
            exported = write_events(store, to, fmt.value)
            written = [exported.path]
            left_out = "".join(
                f"; {count} left out: {reason}" for reason, count in exported.left_out.items()
            )
            stderr.print(f"{exported.written} events written{left_out}", highlight=False)
    for path in written:
        typer.echo(str(path))


@app.command("import")
def import_events(
    kind: Annotated[ImportKind, typer.Argument(help="Dataset layout: gdelt or icews.")],
    paths: Annotated[
        list[Path], typer.Argument(help="GDELT export/event files or ICEWS .tab files.")
    ],
    db: DbOption = None,
) -> None:
    """Import GDELT 1.0/2.0 or ICEWS event files into the database, so that series and
    alerts work on them. Rows that cannot be read are named on stderr and stored as skipped;
    re-importing a file adds nothing.

    Example: dyadwatch import icews events.2018.tab --db icews.duckdb
    """
    from dyadwatch.interop import import_files

    _inputs_exist(paths)
    settings, _ = _settings(db)
    with _open_store(settings) as store:
        summary = import_files(store, kind.value, paths)
    for reason, count in sorted(summary.skipped_by_reason.items()):
        stderr.print(f"skipped {count} row(s): {reason}", highlight=False)
    typer.echo(f"{summary.read} events read, {summary.added} added, {summary.skipped} rows skipped")


@app.command()
def code(
    input_file: Annotated[
        Path | None, typer.Option("--input", help="JSON lines {id, text, date}; '-' for stdin.")
    ] = None,
    text: Annotated[str | None, typer.Option("--text", help="Code this one text.")] = None,
    on: Annotated[
        str | None, typer.Option("--date", help="Publication date of --text (YYYY-MM-DD).")
    ] = None,
    all_modalities: Annotated[
        bool, typer.Option("--all-modalities", help="Also list negated and hypothetical acts.")
    ] = False,
    fmt: Annotated[ExtractFormat, typer.Option("--format", help="Output format.")] = (
        ExtractFormat.jsonl
    ),
    csv_raw: CsvRawOption = False,
) -> None:
    """Code CAMEO events in texts: one JSON line {id, events} per input line.

    Example: dyadwatch code --text "Russia and China held joint naval drills." --date 2024-05-01
    """
    from dyadwatch.coding import RuleCoder
    from dyadwatch.coding.requests import event_record, parse_date_field, read_requests

    if text is not None:
        requests = [("1", text, parse_date_field(on, "--date"))]
    elif input_file is None or str(input_file) == "-":
        requests = list(read_requests(sys.stdin, "<stdin>"))
    else:
        try:
            lines = input_file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise InputError(str(input_file), f"cannot read ({error})") from None
        requests = list(read_requests(lines, str(input_file)))
    coder = RuleCoder()
    shown = {"asserted", "intent"} | ({"negated", "hypothetical"} if all_modalities else set())
    rows: Iterator[dict[str, Any]] = (
        {
            "id": item_id,
            "events": [
                event_record(event, coder.lexicon.code_info(event.code).name)
                for event in events
                if event.modality in shown
            ],
        }
        for item_id, events in coder.code_texts(requests)
    )
    if fmt is ExtractFormat.csv:
        # One row per event with a column per field; a text with none keeps a row of its own.
        flat = (
            event_row
            for row in rows
            for event_row in (
                [{"id": row["id"], **output.flat_event(event)} for event in row["events"]]
                or [{"id": row["id"]}]
            )
        )
        output.write_rows(flat, fmt.value, ("id", *output.FLAT_EVENT_COLUMNS), csv_raw=csv_raw)
        return
    output.write_rows(rows, fmt.value, ("id", "events"), csv_raw=csv_raw)


@app.command()
def events(
    db: DbOption = None,
    fmt: FormatOption = None,
    dyad: Annotated[str | None, typer.Option(help=FILTER_HELP["dyad"])] = None,
    actor: Annotated[str | None, typer.Option(help=FILTER_HELP["actor"])] = None,
    since: Annotated[str | None, typer.Option(help=FILTER_HELP["since"])] = None,
    until: Annotated[str | None, typer.Option(help=FILTER_HELP["until"])] = None,
    root: Annotated[str | None, typer.Option(help=FILTER_HELP["root"])] = None,
    quad: Annotated[str | None, typer.Option(help=FILTER_HELP["quad"])] = None,
    text: Annotated[str | None, typer.Option(help=FILTER_HELP["text"])] = None,
    undated: Annotated[bool, typer.Option("--undated", help=FILTER_HELP["undated"])] = False,
    all_modalities: Annotated[
        bool, typer.Option("--all-modalities", help="Also list negated and hypothetical acts.")
    ] = False,
    limit: Annotated[int | None, typer.Option(help="Print at most this many events.")] = None,
    csv_raw: CsvRawOption = False,
) -> None:
    """List stored events, one per story and act, with mention counts and evidence.

    Example: dyadwatch events --actor RUS --quad material-conflict --since 2019-01-01
    """
    settings, _ = _settings(db)
    modalities = ALL_MODALITIES if all_modalities else tuple(settings.coder.modalities)
    filters = EventFilters(
        dyad=dyad,
        actor=actor,
        since=since,
        until=until,
        root=root,
        quad=quad,
        text=text,
        undated=undated,
    )
    with _open_store(settings, read_only=True) as store:
        with _usage_on_bad_value():
            query = event_query(
                filters,
                modalities=modalities,
                limit=limit,
                label=lambda name: f"--{name}",
                stored=_stored_test(store),
            )
        rows = store.events(query)
    if not rows:
        _say_no_events(**filters.given())
    columns = (
        *("id", "article_id", "date", "date_precision", "background", "source", "source_sector"),
        *("target", "target_sector", "code", "event_name", "goldstein", "quad_class"),
        *("quad_name", "plover", "modality", "mentions", "evidence"),
    )
    shown = output.chosen_format(fmt)
    if shown is ArticleFormat.table:
        table_rows = (
            {
                "date": output.event_when(row),
                "who": f"{row['source'] or '---'}{row['source_sector']}",
                "whom": f"{row['target'] or '---'}{row['target_sector']}",
                "event": f"{row['code']} {row['event_name'] or ''}".strip(),
                "mode": row["modality"][:3],
                "n": row["mentions"],
                "evidence": output.trimmed((row["evidence"] or [""])[0], 120),
            }
            for row in rows
        )
        output.write_rows(
            table_rows, shown.value, ("date", "who", "whom", "event", "mode", "n", "evidence")
        )
        return
    labelled = (
        {**row, "evidence_spans": output.labelled_spans(row["evidence_spans"])} for row in rows
    )
    output.write_rows(labelled, shown.value, columns, csv_raw=csv_raw)


def _say_no_events(**filters: object) -> None:
    """Tell stderr that a query with known codes matched nothing (exit status stays 0)."""
    given = " ".join(
        f"--{name}" if value is True else f"--{name} {value}"
        for name, value in filters.items()
        if value
    )
    stderr.print(f"no events for {given or 'this database'}", highlight=False)


@app.command()
def dyads(
    db: DbOption = None,
    fmt: FormatOption = None,
    limit: Annotated[int, typer.Option(help="Print at most this many dyads.")] = 50,
    csv_raw: CsvRawOption = False,
) -> None:
    """List the dyads with the most events (both directions together), with their mean
    Goldstein score and date range.

    Example: dyadwatch dyads --limit 20
    """
    settings, _ = _settings(db)
    with _open_store(settings, read_only=True) as store:
        rows = store.dyads(limit)
        undated = store.undated_count()
    if undated:
        stderr.print(output.undated_note(undated), highlight=False)
    columns = (
        *("a", "b", "events", "stories", "goldstein_mean", "last_30_days", "before"),
        *("direction", "first", "last"),
    )
    output.write_rows(iter(rows), output.chosen_format(fmt).value, columns, csv_raw=csv_raw)


@app.command()
def series(
    a: Annotated[str, typer.Argument(help="One actor code, e.g. RUS.")],
    b: Annotated[str, typer.Argument(help="The other actor code, e.g. CHN.")],
    db: DbOption = None,
    freq: Annotated[Period, typer.Option(help="Period of the series.")] = Period.week,
    directed: Annotated[
        bool, typer.Option("--directed", help="Only events from A to B (default: both ways).")
    ] = False,
    since: Annotated[str | None, typer.Option(help="Only events on or after YYYY-MM-DD.")] = None,
    fmt: FormatOption = None,
    plot: Annotated[
        Path | None,
        typer.Option(help="Also write a chart (.html, works offline) with stored alerts marked."),
    ] = None,
    csv_raw: CsvRawOption = False,
) -> None:
    """Print a dyad's series: events, stories, mentions, Goldstein sum and mean, quad classes
    and the dyad's share of all events in the period (normalised for news volume).

    Example: dyadwatch series RUS CHN --freq month --format csv --plot rus-chn.html
    """
    from dyadwatch.analysis.series import dyad_series
    from dyadwatch.coding.requests import parse_date_field

    settings, _ = _settings(db)
    with _usage_on_bad_value():
        on_or_after = parse_date_field(since, "--since")
    with _open_store(settings, read_only=True) as store:
        with _usage_on_bad_value():
            a = codes.check_actor(a, "A", stored=_stored_test(store))
            b = codes.check_actor(b, "B", stored=_stored_test(store))
        result = dyad_series(store, a, b, freq=freq.value, directed=directed, since=on_or_after)
        marked = store.alerts(dyad=(a, b)) if plot else []
    if plot is not None:
        from dyadwatch.analysis.plot import plot_series

        written = plot_series(result, marked, plot)
        stderr.print(f"chart written to {written}", highlight=False)
    rows = result.rows()
    if result.background_left_out:
        stderr.print(
            f"{result.background_left_out} background event(s) (acts of years past) left out",
            highlight=False,
        )
    if result.undated_left_out:
        stderr.print(output.undated_note(result.undated_left_out), highlight=False)
    if not rows:
        _say_no_events(dyad=f"{a}-{b}", since=since)
    shown = output.chosen_format(fmt)
    if shown is ArticleFormat.table:
        # The counts that matter, one column each; the breakdowns as "19:3 04:1".
        table_rows = (
            {
                **row,
                "goldstein_mean": _rounded(row["goldstein_mean"]),
                "share": _rounded(row["share"], 4),
                "roots": output.compact_counts(row["roots"]),
            }
            for row in rows
        )
        table_columns = (
            *("period", "events", "stories", "goldstein_mean", "verbal_cooperation"),
            *("material_cooperation", "verbal_conflict", "material_conflict", "share", "roots"),
        )
        output.write_rows(table_rows, shown.value, table_columns)
        return
    columns = tuple(rows[0]) if rows else ("period", "events")
    output.write_rows(iter(rows), shown.value, columns, csv_raw=csv_raw)


def _rounded(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


@app.command()
def alerts(
    db: DbOption = None,
    dyad: Annotated[str | None, typer.Option(help="Only this pair, e.g. RUS-CHN.")] = None,
    since: Annotated[str | None, typer.Option(help="Only alerts from YYYY-MM-DD on.")] = None,
    freq: Annotated[Period, typer.Option(help="Period the detector reads.")] = (Period.week),
    fmt: FormatOption = None,
    csv_raw: CsvRawOption = False,
) -> None:
    """Detect shifts in every dyad's relations, store new alerts, and list them with the
    events (evidence sentence and source URLs) each one cites. Re-running adds none twice.

    Example: dyadwatch alerts --dyad RUS-CHN --format jsonl
    """
    from dyadwatch.analysis.alerts import background_left_out, find_alerts, undated_left_out
    from dyadwatch.coding.requests import parse_date_field

    settings, _ = _settings(db)
    with _usage_on_bad_value():
        from_day = parse_date_field(since, "--since")
    with _open_store(settings, existing=True) as store:
        with _usage_on_bad_value():
            pair = codes.parse_dyad(dyad, stored=_stored_test(store)) if dyad else None
        added = store.save_alerts(find_alerts(store, freq=freq.value))
        rows = store.alerts(dyad=pair, since=from_day)
        past = background_left_out(store)
        undated = undated_left_out(store)
    left_out = f"; {past} background event(s) left out" if past else ""
    stderr.print(f"{added} new alert(s) stored; {len(rows)} listed{left_out}", highlight=False)
    if undated:
        stderr.print(output.undated_note(undated), highlight=False)
    shown = output.chosen_format(fmt)
    if shown is ArticleFormat.table:
        table_rows = (
            {
                "period": row["period"],
                "dyad": f"{row['a']}-{row['b']}",
                "kind": row["kind"],
                "magnitude": row["magnitude"],
                "confidence": row["confidence"],
                "message": row["message"],
                "evidence": output.trimmed(row["events"][0]["evidence"] or "", 100)
                if row["events"]
                else "",
            }
            for row in rows
        )
        listed = ("period", "dyad", "kind", "magnitude", "confidence", "message", "evidence")
        output.write_rows(table_rows, shown.value, listed)
        return
    columns = (
        *("alert_id", "a", "b", "kind", "period", "start", "magnitude", "confidence"),
        *("stories", "message", "events"),
    )
    output.write_rows(iter(rows), shown.value, columns, csv_raw=csv_raw)


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    allow_host: Annotated[
        list[str] | None,
        typer.Option(
            help="Another name to answer as Host, besides 127.0.0.1, localhost, [::1] and "
            "--host (repeatable; '*' answers any). Other names get 400 (DNS rebinding)."
        ),
    ] = None,
) -> None:
    """Serve the read-only REST API (OpenAPI docs at /docs) over the database.

    Example: dyadwatch serve --db example.duckdb --port 8000
    """
    from dyadwatch.api import LOCAL_HOSTS
    from dyadwatch.api import serve as serve_api

    settings, _ = _settings(db)
    path = _existing(settings.store.path)
    stderr.print(f"serving {path} on http://{host}:{port} (docs at /docs)", highlight=False)
    if host not in (*LOCAL_HOSTS, "::1") and not allow_host:
        names = ", ".join((*LOCAL_HOSTS, host))
        stderr.print(
            f"answering only requests addressed to {names}: add --allow-host NAME for each "
            "name or address clients use",
            highlight=False,
        )
    serve_api(path, host, port, allow_hosts=allow_host or ())


@app.command("config")
def show_config(
    json_out: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Print every setting's effective value and where it came from.

    Example: DYADWATCH_STORE__PATH=/tmp/x.duckdb dyadwatch config
    """
    settings, origins = _settings()
    values = settings.model_dump(mode="json")
    rows = [
        (name, values[name.split(".")[0]][name.split(".")[1]], origins[name], help_text)
        for name, _, help_text in describe_settings()
    ]
    if json_out:
        payload = {name: {"value": value, "origin": origin} for name, value, origin, _ in rows}
        typer.echo(json.dumps(payload, indent=2))
        return
    table = Table("setting", "value", "origin", "meaning")
    for name, value, origin, help_text in rows:
        table.add_row(name, Text(str(value)), Text(origin), Text(help_text))
    stdout.print(table)


def _existing(db: Path) -> Path:
    if not db.exists():
        raise InputError(str(db), "no such database; create it with `dyadwatch run PATH --db FILE`")
    return db


def main() -> None:
    """Console-script entry point: run the app; our errors become one line and exit status 1,
    usage errors one line and exit status 2 (with --debug, our errors show the traceback)."""
    try:
        status = app(standalone_mode=False)
    except DyadwatchError as error:
        if _state["debug"]:
            raise
        output.error_line(str(error))
        sys.exit(1)
    except Exception as error:  # click's usage errors arrive here in non-standalone mode
        sys.exit(exit_status(error, debug=_state["debug"]))
    sys.exit(status if isinstance(status, int) else 0)

"""Settings: defaults < ``dyadwatch.toml`` < ``DYADWATCH_SECTION__KEY`` env < CLI flags.

Validated once, here, with pydantic; unknown sections or keys are errors that list the
valid ones.  :func:`load_settings` also says where each effective value came from.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from dyadwatch.errors import ConfigError

CONFIG_FILE = Path("dyadwatch.toml")
ENV_PREFIX = "DYADWATCH_"
USER_AGENT = "dyadwatch (+https://github.com/dyadwatch/dyadwatch)"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StoreSettings(_Section):
    """Where and how results are stored."""

    path: Path = Field(
        default=Path("dyadwatch.duckdb"), description="DuckDB file the pipeline writes."
    )
    batch_size: int = Field(
        default=200,
        ge=1,
        le=10_000,
        description="Inputs per write transaction (one transaction per batch); each write "
        "reopens the database, whose indexes load in time that grows with the store.",
    )
    flush_s: float = Field(
        default=30.0,
        gt=0,
        le=86_400,
        description="Write a batch after this many seconds even when not full (slow sources).",
    )
    lock_wait_s: float = Field(
        default=60.0,
        ge=0,
        le=86_400,
        description="How long to wait while another process has the database open to write "
        "(a run writes one batch at a time and lets readers in between).",
    )
    checkpoint_memory_mb: int = Field(
        default=512,
        ge=16,
        le=1_048_576,
        description="Memory DuckDB may use for the checkpoint after each write (its "
        "memory_limit): merging a table's row groups took over 0.7 GB at 65,000 articles "
        "without it. A checkpoint that needs more runs again unbounded.",
    )


class DedupeSettings(_Section):
    """Near-duplicate story clustering."""

    threshold: float = Field(
        default=0.5, gt=0.0, lt=1.0, description="MinHash LSH Jaccard threshold for 'same story'."
    )
    window: int = Field(
        default=50_000,
        ge=0,
        le=100_000_000,
        description="Latest articles a copy is compared with (about 7 kB of memory each); "
        "0: all of them.",
    )


class NlpSettings(_Section):
    """Sentence splitting."""

    sentence_mode: Literal["parser", "senter"] = Field(
        default="senter",
        description="spaCy sentence boundaries: senter (fast, as accurate) or dependency parser.",
    )


class CoderSettings(_Section):
    """Event coding."""

    enabled: bool = Field(default=True, description="Code CAMEO events during `dyadwatch run`.")
    name: str = Field(default="rule.v1", description="Registered coder to use (see registry).")
    modalities: list[Literal["asserted", "intent", "negated", "hypothetical"]] = Field(
        default=["asserted", "intent"],
        description="Modalities `dyadwatch events` lists by default.",
    )


class IngestSettings(_Section):
    """Reading JSON Lines of any shape: where each record keeps each part of a page (a key, or a
    dotted path such as ``article.body``)."""

    jsonl_text: str = Field(default="text", min_length=1, description="Field with the text.")
    jsonl_html: str = Field(default="html", min_length=1, description="Field with the HTML.")
    jsonl_url: str = Field(default="url", min_length=1, description="Field with the URL.")
    jsonl_title: str = Field(default="title", min_length=1, description="Field with the title.")
    jsonl_published: str = Field(
        default="published",
        min_length=1,
        description="Field with the publication date (text as printed, or Unix time).",
    )


class FetchSettings(_Section):
    """Fetching URLs and URL lists (``.urls`` files)."""

    user_agent: str = Field(
        default=USER_AGENT,
        min_length=1,
        description="User-Agent header, also the name robots.txt rules are read for.",
    )
    timeout_s: float = Field(default=20.0, gt=0, le=600, description="Per-request timeout.")
    retries: int = Field(
        default=2, ge=0, le=10, description="Retries after a timeout, a 429 or a 5xx answer."
    )
    interval_s: float = Field(
        default=1.0, ge=0, le=3600, description="Least time between two requests to one host."
    )
    max_bytes: int = Field(
        default=10 * 1024 * 1024, ge=1024, description="Largest page fetched, in bytes."
    )
    respect_robots: bool = Field(default=True, description="Obey each host's robots.txt.")


class ScaleSettings(_Section):
    """Running the pipeline on a distributed engine (``dyadwatch run --engine``)."""

    engine: Literal["local", "dask", "ray"] = Field(
        default="local",
        description="local: one process; dask or ray: stages mapped over partitions of the "
        "input on that engine (needs `pip install 'dyadwatch[dask]'` or `'dyadwatch[ray]'`).",
    )
    address: str = Field(
        default="",
        description="Scheduler (dask: tcp://host:8786) or cluster (ray: host:6379 or auto) to "
        "join; empty starts a local cluster of `workers` processes.",
    )
    workers: int = Field(
        default=0,
        ge=0,
        le=4096,
        description="Worker processes of a local cluster (0: one per core).",
    )
    partition_files: int = Field(
        default=200, ge=1, le=1_000_000, description="At most this many input files per partition."
    )
    partition_mb: float = Field(
        default=64.0,
        gt=0,
        le=65_536,
        description="At most about this many MB of input per partition.",
    )
    staging: Path | None = Field(
        default=None,
        description="Folder for the workers' Parquet, seen by workers and driver alike (on a "
        "real cluster: a shared filesystem); default: next to the database.",
    )


class Settings(_Section):
    """Every dyadwatch setting, by section."""

    store: StoreSettings = Field(default_factory=StoreSettings)
    dedupe: DedupeSettings = Field(default_factory=DedupeSettings)
    nlp: NlpSettings = Field(default_factory=NlpSettings)
    coder: CoderSettings = Field(default_factory=CoderSettings)
    fetch: FetchSettings = Field(default_factory=FetchSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    scale: ScaleSettings = Field(default_factory=ScaleSettings)


SECTIONS: dict[str, type[_Section]] = {
    "store": StoreSettings,
    "dedupe": DedupeSettings,
    "nlp": NlpSettings,
    "coder": CoderSettings,
    "fetch": FetchSettings,
    "ingest": IngestSettings,
    "scale": ScaleSettings,
}


def describe_settings() -> list[tuple[str, str, str]]:
    """Return ``(section.key, default, help)`` for every setting, for docs and ``config``."""
    rows = []
    for section, model in SECTIONS.items():
        for key, info in model.model_fields.items():
            rows.append((f"{section}.{key}", str(info.default), info.description or ""))
    return rows


def load_settings(
    config_file: Path | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> tuple[Settings, dict[str, str]]:
    """Return the effective settings and, per ``section.key``, where the value came from."""
    layers: list[tuple[str, dict[str, dict[str, Any]]]] = []
    path = config_file or (CONFIG_FILE if CONFIG_FILE.exists() else None)
    if path is not None:
        layers.append((str(path), _read_toml(path)))
    layers.append(("environment", _from_env(os.environ if environ is None else environ)))
    layers.append(("command line", _nest(overrides or {}, "command line")))
    merged: dict[str, dict[str, Any]] = {}
    origins = {name: "default" for name, _, _ in describe_settings()}
    for origin, layer in layers:
        for section, values in layer.items():
            _check_keys(section, values, origin)
            merged.setdefault(section, {}).update(values)
            origins.update({f"{section}.{key}": origin for key in values})
    try:
        return Settings.model_validate(merged), origins
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise ConfigError(f"invalid settings: {problems}") from None


def _read_toml(path: Path) -> dict[str, dict[str, Any]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot read settings ({error})") from None
    for section, values in data.items():
        if not isinstance(values, dict):
            raise ConfigError(f"{path}: '{section}' must be a [section] table")
    return data


def _from_env(environ: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    found: dict[str, Any] = {}
    for name, value in environ.items():
        if name.startswith(ENV_PREFIX) and "__" in name:
            found[name.removeprefix(ENV_PREFIX).lower().replace("__", ".", 1)] = value
    return _nest(found, "environment")


def _nest(flat: Mapping[str, Any], origin: str) -> dict[str, dict[str, Any]]:
    nested: dict[str, dict[str, Any]] = {}
    for dotted, value in flat.items():
        if value is None:
            continue
        section, _, key = dotted.partition(".")
        if not key:
            raise ConfigError(f"{origin}: '{dotted}' must be written section.key")
        nested.setdefault(section, {})[key] = value
    return nested


def _check_keys(section: str, values: Mapping[str, Any], origin: str) -> None:
    model = SECTIONS.get(section)
    if model is None:
        raise ConfigError(
            f"{origin}: unknown settings section '{section}'; valid: {', '.join(SECTIONS)}"
        )
    unknown = sorted(set(values) - set(model.model_fields))
    if unknown:
        raise ConfigError(
            f"{origin}: unknown setting {section}.{unknown[0]}; "
            f"valid in [{section}]: {', '.join(model.model_fields)}"
        )

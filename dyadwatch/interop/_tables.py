"""The CAMEO table and country names the importers need, read from the coder's lexicon files
without loading the coder (no spaCy)."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any


def _read(name: str) -> dict[str, Any]:
    text = resources.files("dyadwatch.coding.data").joinpath(name).read_text("utf-8")
    return tomllib.loads(text)


@cache
def cameo() -> dict[str, tuple[float, str]]:
    """``{code: (goldstein, plover type)}`` for every CAMEO code."""
    return {
        str(row["code"]): (float(row["goldstein"]), str(row.get("plover", "")))
        for row in _read("cameo.toml")["code"]
    }


@cache
def country_names() -> dict[str, str]:
    """Lower-cased country names (and adjectives) -> ISO-3 code, for ICEWS's name columns."""
    names: dict[str, str] = {}
    for row in _read("countries.toml")["country"]:
        for name in [*row.get("names", []), *row.get("adjectives", [])]:
            name = name.lower()
            names.setdefault(name.removeprefix("the "), row["code"])
    return names


def country_code(name: str) -> str:
    """ISO-3 code of a country as ICEWS names it ("United States", "Moldova, Republic of",
    "the Gambia"); "" when unknown or "NA"."""
    key = name.strip().lower().removeprefix("the ")
    if "," in key:  # "Moldova, Republic of" -> "moldova"
        key = key.split(",", 1)[0].strip()
    return country_names().get(key, "")


def normal_code(raw: str) -> str | None:
    """A CAMEO code as a string with its leading zero ("42" -> "042", "311" -> "0311"), or
    None when the value is not a CAMEO code."""
    code = raw.strip().strip('"')
    if not code.isdigit() or not 2 <= len(code) <= 4:
        return None
    if len(code) == 2 or (len(code) == 3 and int(code[:2]) > 20):
        code = "0" + code
    return code if code in cameo() else None

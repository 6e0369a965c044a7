"""The codes a user may name in a query, and the names every output prints beside codes:
actor codes (ISO-3 countries and IGOs, from the coder's ``countries.toml`` and ``igos.toml``),
CAMEO codes and roots with their names (``cameo.toml``, the one table of them in the package)
and GDELT's quad classes, with checks that refuse an unknown code by naming the valid forms.

A code the lexicons lack but a store holds (an imported GDELT region such as ``AFR``) is
accepted through the ``stored`` test the caller passes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from dyadwatch.coding.lexicon import read_table
from dyadwatch.errors import InputError
from dyadwatch.records import SECTORS

StoredTest = Callable[[str], bool]
"""Whether a store holds events of an actor code the lexicons lack."""

_NAMED_SECTORS = tuple(sector for sector in SECTORS if sector)
_SECTOR_FORMS = re.compile(rf"^(\w+?)[:/.]?({'|'.join(_NAMED_SECTORS)})$")


@cache
def actor_codes() -> frozenset[str]:
    """Every country (ISO-3) and IGO code the coder writes."""
    countries = (str(row["code"]) for row in read_table("countries.toml").get("country", []))
    igos = (str(row["code"]) for row in read_table("igos.toml").get("igo", []))
    return frozenset((*countries, *igos))


@cache
def cameo_roots() -> frozenset[str]:
    """The twenty two-digit CAMEO roots, ``01`` to ``20``."""
    return frozenset(code for code in cameo_names() if len(code) == 2)


@cache
def cameo_names() -> dict[str, str]:
    """Every CAMEO code's name (``"112"``: ``"Accuse"``), roots included."""
    return {str(row["code"]): str(row["name"]) for row in read_table("cameo.toml").get("code", [])}


def cameo_name(code: str | None) -> str | None:
    """The name of a CAMEO code, or None for no code or one the codebook lacks."""
    return cameo_names().get(code) if code else None


QUAD_NAMES: dict[int, str] = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}
"""GDELT's quad classes by number."""


def quad_name(quad: int | None) -> str | None:
    """The name of a quad class (``3``: ``"verbal conflict"``), or None."""
    return QUAD_NAMES.get(quad) if quad is not None else None


def with_names(row: dict[str, Any]) -> dict[str, Any]:
    """An event row with the names of its code and quad class beside them (``event_name``
    right after ``code``, ``quad_name`` right after ``quad_class``), for every output."""
    named: dict[str, Any] = {}
    for key, value in row.items():
        named[key] = value
        if key == "code":
            named["event_name"] = cameo_name(value) if isinstance(value, str) else None
        elif key == "quad_class":
            named["quad_name"] = quad_name(value) if isinstance(value, int) else None
    return named


def check_quad(text: str | int, where: str = "--quad") -> int:
    """A quad class from its number (1-4) or name (``material-conflict``), or ``InputError``."""
    value = str(text).strip().lower().replace("-", " ").replace("_", " ")
    if value.isdigit() and int(value) in QUAD_NAMES:
        return int(value)
    for number, name in QUAD_NAMES.items():
        if value == name:
            return number
    forms = ", ".join(f"{n} ({name})" for n, name in QUAD_NAMES.items())
    raise InputError(where, f"{text!r} is not a quad class: use {forms}")


def _unknown_actor(code: str, where: str) -> InputError:
    qualified = _SECTOR_FORMS.match(code)
    if qualified and qualified.group(1) in actor_codes():
        actor, sector = qualified.groups()
        return InputError(
            where,
            f"{code} is actor {actor} with sector {sector}; queries filter by actor code only: "
            f"use {actor} (each event's sector is listed with it)",
        )
    return InputError(
        where,
        f"{code} is not a known actor code: use an ISO-3 country code such as RUS or an IGO "
        f"code such as NATO (sectors such as {', '.join(_NAMED_SECTORS)} are not actor codes)",
    )


def check_actor(text: str, where: str, *, stored: StoredTest | None = None) -> str:
    """The actor code ``text`` upper-cased, or ``InputError`` naming ``where`` when neither
    the lexicons nor (through ``stored``) the store know it."""
    code = text.strip().upper()
    if code in actor_codes() or (code and stored is not None and stored(code)):
        return code
    if not code:
        raise InputError(where, "an actor code is empty: use one such as RUS or NATO")
    raise _unknown_actor(code, where)


def parse_dyad(
    text: str, where: str = "--dyad", *, stored: StoredTest | None = None
) -> tuple[str, str]:
    """``RUS-CHN`` as ``("RUS", "CHN")``, each side a known actor code, or ``InputError``."""
    parts = text.split("-")
    if len(parts) != 2:
        raise InputError(where, f"expected SOURCE-TARGET such as RUS-CHN, got {text!r}")
    source, target = parts
    return check_actor(source, where, stored=stored), check_actor(target, where, stored=stored)


def check_root(text: str, where: str = "--root") -> str:
    """A CAMEO root as two digits (``"1"`` -> ``"01"``), or ``InputError`` naming the range."""
    root = text.strip().zfill(2)
    if root in cameo_roots():
        return root
    full_code = root.isdigit() and len(root) > 2 and root[:2] in cameo_roots()
    hint = f"; {root} is a full code, its root is {root[:2]}" if full_code else ""
    raise InputError(where, f"{text!r} is not a CAMEO root: use 01 to 20 (e.g. 19 for fight){hint}")

"""The rule coder's engine parts: named rules, registered once, and the table that orders them.

Each grammatical rule is a small function registered under a name with ``@rule(name, stage)``;
``data/rules.toml`` says which rules run in each stage, for which CAMEO roots and in what
order, and holds the code tables the rewrites use. A rule that contributes to an event is
recorded on it as ``rule:<name>`` in ``Evidence.entries``. ``docs/coder-design.md`` explains
the stages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any, Literal, TypeVar, get_args

from dyadwatch.coding.actors import Mention, ResolvedActor, Token
from dyadwatch.coding.lexicon import Pattern, read_table
from dyadwatch.errors import CoderError

Stage = Literal["target", "actors", "rewrite", "event", "fallback", "sentence"]
STAGES: tuple[Stage, ...] = get_args(Stage)
RuleFunction = TypeVar("RuleFunction", bound=Callable[..., Any])


@dataclass(frozen=True, slots=True)
class Rule:
    """A registered rule: its name, the stage it runs in, and its function."""

    name: str
    stage: Stage
    function: Callable[..., Any]


RULES: dict[str, Rule] = {}
"""Every registered rule by name (filled when ``dyadwatch.coding._verb_rules`` is imported)."""


def rule(name: str, stage: Stage) -> Callable[[RuleFunction], RuleFunction]:
    """Register ``function`` as the rule ``name`` of ``stage`` (a name is registered once)."""

    def register(function: RuleFunction) -> RuleFunction:
        if name in RULES:
            raise CoderError(f"rule {name!r} is registered twice")
        RULES[name] = Rule(name, stage, function)
        return function

    return register


@dataclass(slots=True)
class Clause:
    """One verb pattern being matched: what the rules read and what they change."""

    verb: Token
    pattern: Pattern
    mentions_at: dict[int, Mention]
    when: date | None
    sources: list[ResolvedActor]
    targets: list[ResolvedActor] = field(default_factory=list)
    together: bool = False
    borrowed_source: bool = False  # the source is another clause's subject (no domestic act)

    @property
    def named(self) -> list[ResolvedActor]:
        """The sources with a country or organisation code."""
        return [s for s in self.sources if s.actor.code]


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the rule table: a rule, the roots it applies to, and its rewrite code."""

    name: str
    stage: Stage
    roots: tuple[str, ...] = ()
    to: str = ""

    def applies(self, code: str) -> bool:
        """Whether the rule applies to a CAMEO code (its roots are code prefixes; none: all)."""
        return not self.roots or code.startswith(self.roots)

    @property
    def function(self) -> Callable[..., Any]:
        """The registered function of this row's rule."""
        return RULES[self.name].function


@dataclass(frozen=True, slots=True)
class RuleTable:
    """The rule table with some rules switched off (for ablations and rule tests)."""

    rows: Mapping[Stage, tuple[Row, ...]]
    disabled: frozenset[str] = frozenset()

    def stage(self, stage: Stage, code: str | None = None) -> list[Row]:
        """The enabled rows of ``stage`` in order (only those for ``code`` if given)."""
        return [
            row
            for row in self.rows.get(stage, ())
            if row.name not in self.disabled and (code is None or row.applies(code))
        ]

    def enabled(self, name: str) -> bool:
        """Whether a rule is on."""
        return name not in self.disabled

    @property
    def names(self) -> list[str]:
        """Every rule of the table, in table order."""
        return [row.name for stage in STAGES for row in self.rows.get(stage, ())]


def load_rule_table(disabled: Iterable[str] = ()) -> RuleTable:
    """The rule table of ``data/rules.toml``, with the ``disabled`` rules off.

    Raises ``CoderError`` for a rule the table names but no code registers, a rule in the
    wrong stage, or a disabled name the table does not hold.
    """
    rows = _rows()
    table = RuleTable(rows, frozenset(disabled))
    unknown = sorted(table.disabled - set(table.names))
    if unknown:
        names = ", ".join(map(repr, unknown))
        raise CoderError(f"unknown rule(s) {names}: the rules are {', '.join(table.names)}")
    return table


@cache
def _rows() -> dict[Stage, tuple[Row, ...]]:
    from dyadwatch.coding import _verb_rules  # noqa: F401  (registers the rules)

    data = read_table("rules.toml")
    rows: dict[Stage, tuple[Row, ...]] = {}
    for stage in STAGES:
        found = []
        for number, item in enumerate(data.get(stage, []), start=1):
            where = f"rules.toml [[{stage}]] #{number}"
            name = str(item.get("rule", ""))
            if name not in RULES:
                raise CoderError(f"{where}: rule {name!r} is not registered")
            if RULES[name].stage != stage:
                raise CoderError(f"{where}: rule {name!r} belongs to stage {RULES[name].stage!r}")
            roots = tuple(str(root) for root in item.get("roots", []))
            found.append(Row(name, stage, roots, str(item.get("to", ""))))
        rows[stage] = tuple(found)
    return rows


@cache
def code_table(name: str) -> dict[str, str]:
    """One code table of ``rules.toml`` (``intent-codes``, ``threat-codes``, ``rejections``)."""
    return {key: str(value) for key, value in _table(name).items()}


@cache
def alternate_prepositions() -> dict[str, tuple[str, ...]]:
    """The roles tried, in order, when a pattern's own preposition names no target."""
    table = _table("alternate-prepositions")
    return {key: tuple(str(role) for role in roles) for key, roles in table.items()}


def _table(name: str) -> dict[str, Any]:
    table = read_table("rules.toml").get(name)
    if not isinstance(table, dict):
        raise CoderError(f"rules.toml: no table [{name}]")
    return table


def most_specific_code(table: Mapping[str, str], code: str) -> str | None:
    """The entry of ``table`` for the longest prefix of ``code`` (4, 3, then 2 digits)."""
    for prefix in (code[:4], code[:3], code[:2]):
        if prefix in table:
            return table[prefix]
    return None

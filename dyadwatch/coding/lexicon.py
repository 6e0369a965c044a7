"""Load the coder's lexicons (``coding/data/*.toml``, format in ``docs/lexicons.md``).

Names are indexed as lower-cased token tuples, tokenised by the same spaCy tokenizer
the parser uses, so ``"the U.S."`` and ``"People's Republic of China"`` match the way
sentences are tokenised.  A leading "the" is dropped from every name.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from typing import Any, Literal, cast

from dyadwatch.errors import CoderError
from dyadwatch.records import SECTORS, Actor, Sector

EntryKind = Literal[
    "country",
    "adjective",
    "demonym",
    "capital",
    "city",
    "metonym",
    "igo",
    "person",
    "group",
    "agent",
]
Tokenize = Callable[[str], tuple[str, ...]]
LIGHT_VERBS = frozenset(
    "hold conduct stage stag launch begin start resume renew continue complete undertake "
    "carry kick wrap mount organize organise restart convene join attend host".split()
)
"""Verbs that carry an event noun without adding meaning: the noun decides the code."""
_WORD = re.compile(r"\w+")
# The Arabic article in a name, as news prints it: "al-", "el-", "Al ", "El ".
_ARTICLE = re.compile(r"\b[AaEe]l[- ](?=[A-Z])")


@dataclass(frozen=True, slots=True)
class Role:
    """An office or status held between two dates (``start`` inclusive, ``end`` exclusive)."""

    country: str
    sector: Sector
    start: date | None = None
    end: date | None = None
    title: str = ""

    def holds_on(self, when: date | None) -> bool:
        """Whether the role is held on ``when`` (an undated text takes the latest role)."""
        if when is None:
            return self.end is None
        return (self.start is None or self.start <= when) and (self.end is None or when < self.end)


@dataclass(frozen=True, slots=True)
class ActorEntry:
    """One lexicon name: what it denotes, and the entry that fired it (for evidence)."""

    kind: EntryKind
    code: str
    sector: Sector
    key: str
    roles: tuple[Role, ...] = ()
    fallback: Actor | None = None

    @property
    def named(self) -> bool:
        """Whether the entry names a country, organisation, person or group (not an agent)."""
        return self.kind != "agent"

    def resolve(self, when: date | None) -> Actor:
        """Return the actor this name denotes on ``when``."""
        for role in self.roles:
            if role.holds_on(when):
                return Actor(role.country, role.sector)
        if self.roles:
            return self.fallback or Actor(self.roles[-1].country, "")
        return Actor(self.code, self.sector)


@dataclass(frozen=True, slots=True)
class Pattern:
    """One way of saying a CAMEO event (see ``verbs.toml``)."""

    code: str
    verbs: frozenset[str]
    particle: str | None
    objects: frozenset[str]
    source: str
    target: str
    joint: bool
    key: str


@dataclass(frozen=True, slots=True)
class CameoCode:
    """A CAMEO code with its name, Goldstein score and PLOVER type."""

    code: str
    name: str
    goldstein: float
    plover: str


@dataclass(slots=True)
class Lexicon:
    """Every lexicon the coder uses, indexed for matching."""

    names: dict[tuple[str, ...], ActorEntry] = field(default_factory=dict)
    # Acronyms that are also words ("US" / "us", "WHO") match only in capitals.
    exact_case: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    longest_name: int = 1
    # The first token of every name: a token that starts none is skipped at once.
    first_words: frozenset[str] = frozenset()
    named_words: frozenset[str] = frozenset()
    # Acronyms that spell a common word ("US"), matched in capitals by the pre-filter.
    named_acronyms: frozenset[str] = frozenset()
    agent_words: frozenset[str] = frozenset()
    patterns: dict[str, list[Pattern]] = field(default_factory=dict)
    # Event nouns ("talks", "drills", "sanctions") that any light verb can carry:
    # "resumed talks", "renewed negotiations", "staged war games".
    noun_patterns: dict[str, list[Pattern]] = field(default_factory=dict)
    nominal_verbs: dict[str, str] = field(default_factory=dict)
    cameo: dict[str, CameoCode] = field(default_factory=dict)

    def code_info(self, code: str) -> CameoCode:
        """Return a CAMEO code's row, or raise ``CoderError`` naming the unknown code."""
        try:
            return self.cameo[code]
        except KeyError:
            raise CoderError(f"unknown CAMEO code {code!r} (not in cameo.toml)") from None


def read_table(name: str) -> dict[str, Any]:
    """One TOML table of ``dyadwatch/coding/data``, parsed."""
    try:
        text = resources.files("dyadwatch.coding.data").joinpath(name).read_text("utf-8")
        return tomllib.loads(text)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise CoderError(f"lexicon {name}: cannot load ({error})") from None


def _date(value: Any, where: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise CoderError(f"{where}: bad date {value!r}, expected YYYY-MM-DD") from None


def _sector(value: Any, where: str) -> Sector:
    if value not in SECTORS:
        raise CoderError(f"{where}: sector {value!r} is not one of {SECTORS}")
    return cast(Sector, value)


class _Builder:
    def __init__(self, tokenize: Tokenize) -> None:
        self.tokenize = tokenize
        self.lexicon = Lexicon()

    def add(self, text: str, entry: ActorEntry) -> None:
        self._add(text, entry)
        if entry.kind == "person" and _ARTICLE.search(text):
            # "Omar al-Bashir" is printed "Omar el-Bashir", "Omar El Bashir", "Omar al Bashir".
            for article in ("al-", "el-", "al ", "el "):
                self._add(_ARTICLE.sub(article, text), entry)

    def _add(self, text: str, entry: ActorEntry) -> None:
        original = self.tokenize(text.strip())
        if original and original[0].lower() == "the" and len(original) > 1:
            original = original[1:]
        if not original:
            raise CoderError(f"{entry.key}: empty name")
        tokens = tuple(token.lower() for token in original)
        # The first entry wins: countries load before agents, so "Congress" stays USA.
        if tokens in self.lexicon.names:
            return
        self.lexicon.names[tokens] = entry
        if len(original) == 1 and len(original[0]) <= 5 and original[0].isupper():
            self.lexicon.exact_case[tokens] = original

    def countries(self, data: dict[str, Any]) -> None:
        for row in data.get("country", []):
            code = row["code"]
            where = f"countries.toml:{code}"
            kinds: list[tuple[str, EntryKind, Sector]] = [
                ("names", "country", ""),
                ("adjectives", "adjective", ""),
                ("demonyms", "demonym", "CVL"),
                ("capitals", "capital", "GOV"),
                ("cities", "city", ""),
            ]
            for field_name, kind, sector in kinds:
                for text in row.get(field_name, []):
                    self.add(text, ActorEntry(kind, code, sector, f"{where}:{text}"))
            for metonym in row.get("metonyms", []):
                sector = _sector(metonym.get("sector", ""), where)
                text = metonym["text"]
                self.add(text, ActorEntry("metonym", code, sector, f"{where}:{text}"))

    def igos(self, data: dict[str, Any]) -> None:
        for row in data.get("igo", []):
            code = row["code"]
            for text in [*row.get("names", []), *row.get("adjectives", [])]:
                self.add(text, ActorEntry("igo", code, "IGO", f"igos.toml:{code}:{text}"))

    def actors(self, data: dict[str, Any]) -> None:
        for row in data.get("actor", []):
            names = row["names"]
            where = f"actors.toml:{names[0]}"
            roles = tuple(
                Role(
                    country=role["country"],
                    sector=_sector(role.get("sector", ""), where),
                    start=_date(role.get("start"), where),
                    end=_date(role.get("end"), where),
                    title=role.get("title", ""),
                )
                for role in row.get("roles", [])
            )
            if not roles:
                raise CoderError(f"{where}: an actor needs at least one role")
            fallback_row = row.get("fallback")
            fallback = (
                Actor(fallback_row["country"], _sector(fallback_row.get("sector", ""), where))
                if fallback_row
                else None
            )
            kind: EntryKind = "person" if any(r.title for r in roles) else "group"
            for text in names:
                self.add(
                    text,
                    ActorEntry(kind, roles[0].country, "", f"{where}", roles, fallback),
                )

    def agents(self, data: dict[str, Any]) -> None:
        for row in data.get("agent", []):
            sector = _sector(row["sector"], "agents.toml")
            for text in row.get("nouns", []):
                self.add(text, ActorEntry("agent", "", sector, f"agents.toml:{sector}:{text}"))

    def verbs(self, data: dict[str, Any]) -> None:
        for number, row in enumerate(data.get("pattern", [])):
            code = str(row["code"])
            where = f"verbs.toml#{number + 1}:{code}"
            if code not in self.lexicon.cameo:
                raise CoderError(f"{where}: CAMEO code {code!r} is not in cameo.toml")
            verbs = frozenset(str(v).lower() for v in row["verbs"])
            pattern = Pattern(
                code=code,
                verbs=verbs,
                particle=row.get("particle"),
                objects=frozenset(str(o).lower() for o in row.get("objects", [])),
                source=row.get("source", "subject"),
                target=row.get("target", "object"),
                joint=bool(row.get("joint", False)),
                key=f"{where}:{'/'.join(sorted(verbs))}",
            )
            for role in (pattern.source, pattern.target):
                if role not in ("subject", "object", "none") and not role.startswith("prep:"):
                    raise CoderError(f"{where}: role {role!r} is not subject|object|prep:<p>|none")
            for verb in verbs:
                self.lexicon.patterns.setdefault(verb, []).append(pattern)
        for noun, verb in data.get("nominalizations", {}).items():
            if str(verb).lower() not in self.lexicon.patterns:
                raise CoderError(f"verbs.toml: nominalization {noun!r} -> {verb!r} has no pattern")
            self.lexicon.nominal_verbs[str(noun).lower()] = str(verb).lower()
        for patterns in self.lexicon.patterns.values():
            patterns.sort(key=lambda p: (not p.objects, p.particle is None))
        for patterns in self.lexicon.patterns.values():
            for pattern in patterns:
                if pattern.objects and pattern.verbs & LIGHT_VERBS and not pattern.particle:
                    for noun in pattern.objects:
                        nouns = self.lexicon.noun_patterns.setdefault(noun.split()[-1], [])
                        if pattern not in nouns:
                            nouns.append(pattern)

    def cameo(self, data: dict[str, Any]) -> None:
        for row in data.get("code", []):
            code = str(row["code"])
            goldstein = float(row["goldstein"])
            if not -10 <= goldstein <= 10:
                raise CoderError(f"cameo.toml:{code}: Goldstein {goldstein} outside [-10, 10]")
            self.lexicon.cameo[code] = CameoCode(
                code, row["name"], goldstein, row.get("plover", "")
            )


def load_lexicon(tokenize: Tokenize) -> Lexicon:
    """Load every lexicon file, tokenising names with ``tokenize``."""
    builder = _Builder(tokenize)
    builder.cameo(read_table("cameo.toml"))
    builder.countries(read_table("countries.toml"))
    builder.igos(read_table("igos.toml"))
    builder.actors(read_table("actors.toml"))
    builder.agents(read_table("agents.toml"))
    builder.verbs(read_table("verbs.toml"))
    lexicon = builder.lexicon
    lexicon.longest_name = max((len(tokens) for tokens in lexicon.names), default=1)
    lexicon.first_words = frozenset(tokens[0] for tokens in lexicon.names)
    named = [tokens for tokens, entry in lexicon.names.items() if entry.named]
    agents = [tokens for tokens, entry in lexicon.names.items() if not entry.named]
    lexicon.named_words = frozenset(_first_words(named))
    lexicon.named_acronyms = frozenset(
        original[0]
        for tokens, original in lexicon.exact_case.items()
        if lexicon.names[tokens].named and tokens[0] in _COMMON
    )
    lexicon.agent_words = frozenset(_first_words(agents))
    return lexicon


# Words too common to stand for a name in the pre-filter ("To Lam", "He Weidong", "IS-K").
_COMMON = frozenset(
    "a an the to of in on at by for and or is are was he she it i we us than as be".split()
)


def _first_words(names: Iterable[tuple[str, ...]]) -> Iterable[str]:
    """The first distinctive word of each name, for the cheap pre-filter."""
    for tokens in names:
        words = [w for w in _WORD.findall(" ".join(tokens).lower()) if w not in _COMMON]
        if words:
            yield words[0]

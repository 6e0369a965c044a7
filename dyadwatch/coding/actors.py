"""Actors in a parsed sentence: lexicon names found in the tokens, resolved per noun phrase.

A noun phrase is read from its head outwards (compounds, adjectives, possessives,
appositions, ``of``/``from`` phrases): the named entry nearest the head gives the
country or organisation, and a person's or group's dated role, the head noun
("troops", "ministry") or a metonym ("the Kremlin") gives the sector.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from dyadwatch.coding.lexicon import ActorEntry, Lexicon
from dyadwatch.records import Actor, Sector

Token = Any  # spaCy Token: spaCy ships no type information mypy can use
Doc = Any

# Dependents that stay inside a noun phrase when reading who it denotes.
_NP_DEPS = frozenset(
    {"compound", "amod", "nmod", "poss", "det", "nummod", "appos", "case", "flat", "quantmod"}
)
_NP_PREPS = frozenset({"of", "from"})
# Nouns that count people: "scores of refugees", "a group of protesters".
QUANTITIES = frozenset(
    "scores dozens hundreds thousands millions score dozen hundred thousand million number "
    "group groups members member".split()
)
# Participles and adjectives that tie people to a group ("affiliated with", "loyal to").
_AFFILIATION = frozenset({"affiliate", "affiliated", "loyal", "link", "linked", "allied", "belong"})
_BORDERS = frozenset({"border", "frontier", "boundary"})
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "who", "which", "that"})
# A sector from a person's role or a group outranks one from the head noun.
_SECTOR_RANK = {"person": 3, "group": 3, "metonym": 2, "igo": 2, "capital": 1}


@dataclass(frozen=True, slots=True)
class Mention:
    """A lexicon name found at tokens ``start:end`` of a sentence."""

    start: int
    end: int
    entry: ActorEntry


@dataclass(frozen=True, slots=True)
class ResolvedActor:
    """The actor a noun phrase denotes, with the tokens and entries behind it."""

    actor: Actor
    start: int
    end: int
    entries: tuple[str, ...]


def find_mentions(doc: Doc, lexicon: Lexicon) -> list[Mention]:
    """Return non-overlapping lexicon names in ``doc``, longest first, left to right."""
    # Curly quotes as news prints them: "People’s Republic" is "People's Republic".
    words = [token.lower_.replace("’", "'").replace("‘", "'") for token in doc]
    mentions: list[Mention] = []
    first_words = lexicon.first_words
    index = 0
    while index < len(words):
        if words[index] not in first_words:
            index += 1
            continue
        for length in range(min(lexicon.longest_name, len(words) - index), 0, -1):
            key = tuple(words[index : index + length])
            entry = lexicon.names.get(key)
            exact = lexicon.exact_case.get(key)
            if exact is not None and tuple(t.text for t in doc[index : index + length]) != exact:
                entry = None
            if entry is not None:
                mentions.append(Mention(index, index + length, entry))
                index += length
                break
        else:
            index += 1
    return mentions


def _np_tokens(head: Token, *, near: bool = False) -> list[Token]:
    """Return the tokens of the noun phrase headed by ``head`` that say who it is.

    With ``near``, an ``in``/``at`` phrase counts too ("security forces in Guinea"): the
    fallback when nothing else in the phrase names a country.
    """
    preps = _NP_PREPS | ({"in", "at", "throughout", "across"} if near else set())
    if near and head.lemma_.lower() in _BORDERS:
        preps = preps | {"with"}  # "its border with Belarus"
    tokens = [head]
    for child in head.children:
        if child.dep_ == "appos" and any(c.dep_ == "conj" for c in child.children):
            continue  # a list ("the US, Russia, and Switzerland"), not a second name
        if child.dep_ in ("acl", "amod") and child.lemma_.lower() in _AFFILIATION:
            # "workers affiliated with the Serbian union", "militants loyal to Zarqawi".
            for group in _affiliations(child):
                tokens.extend(_np_tokens(group, near=near))
            continue
        if child.dep_ == "amod" and child.lower_ == "led":
            # "Vietnamese-led forces", "US-led coalition": the leader names the side.
            tokens += [c for c in child.children if c.dep_ in ("npadvmod", "compound", "nmod")]
            continue
        if (
            child.dep_ in _NP_DEPS
            or (child.dep_ == "prep" and child.lower_ in preps)
            or child.dep_ == "pobj"
        ):
            tokens.extend(_np_tokens(child, near=near))
    return tokens


def _affiliations(word: Token) -> list[Token]:
    """The groups an "affiliated with" / "loyal to" word ties its noun to."""
    return [
        group
        for prep in word.children
        if prep.dep_ == "prep" and prep.lower_ in ("with", "to")
        for group in prep.children
        if group.dep_ == "pobj"
    ]


def resolve_all(
    head: Token, mentions_at: dict[int, Mention], when: date | None
) -> list[ResolvedActor]:
    """Return the actors of the noun phrase: several for "Hungarian and Romanian officials"."""
    first = resolve(head, mentions_at, when)
    if first is None:
        return []
    found = [first]
    if head.lemma_.lower() in QUANTITIES:
        # "scores of Sierra Leonean and Liberian refugees": the people are the "of" object.
        head = next(
            (o for p in head.children if p.dep_ == "prep" and p.lower_ == "of"
             for o in p.children if o.dep_ == "pobj"),
            head,
        )  # fmt: skip
    for child in head.children:
        if child.dep_ not in ("amod", "compound", "nmod", "poss"):
            continue
        for conjunct in child.children:
            mention = mentions_at.get(conjunct.i)
            if conjunct.dep_ == "conj" and mention is not None and mention.entry.named:
                actor = mention.entry.resolve(when)
                sector = actor.sector or first.actor.sector
                found.append(
                    ResolvedActor(
                        Actor(actor.code, sector), first.start, first.end, (mention.entry.key,)
                    )
                )
    return found


def resolve(
    head: Token, mentions_at: dict[int, Mention], when: date | None, *, near: bool = False
) -> ResolvedActor | None:
    """Return the actor the noun phrase headed by ``head`` denotes, or None."""
    tokens = _np_tokens(head, near=near)
    indices = {token.i for token in tokens}
    found: list[tuple[int, Mention]] = []
    seen: set[int] = set()
    for token in sorted(tokens, key=lambda t: abs(t.i - head.i)):
        mention = mentions_at.get(token.i)
        if mention is not None and id(mention) not in seen:
            seen.add(id(mention))
            found.append((abs(token.i - head.i), mention))
    # "ethnic Albanians in Serbia": an ethnic label names a people, not the state; an
    # "anti-Syria journalist" is not Syrian.
    found = [(d, m) for d, m in found if not _opposed(head, m)]
    named = [m for _, m in found if m.entry.named and not _ethnic(head, m)]
    agents = [m for _, m in found if not m.entry.named]
    if not named and not agents:
        if near or head.pos_ not in ("NOUN", "PROPN"):
            return None
        # "targets in Jericho", "a camp near Goma": the place says whose they are.
        nearby = resolve(head, mentions_at, when, near=True)
        if nearby is not None and nearby.actor.code:
            return nearby
        if any(m.entry.named for _, m in found):
            # Only an ethnic label ("ethnic Albanians"): civilians, country unknown.
            span = sorted(token.i for token in tokens)
            return ResolvedActor(Actor("", "CVL"), span[0], span[-1] + 1, ())
        return None
    code = ""
    sector: Sector = ""
    rank = 0
    entries: list[str] = []
    head_is_agent = any(_covers(head, m) for m in agents)
    resident = next((m for m in named if m.entry.kind == "demonym" and _covers(head, m)), None)
    if resident is not None:
        # "the Albanians of southern Serbia": people are placed by where they live.
        homes = [
            m
            for m in named
            if m is not resident
            and m.entry.kind in ("country", "city", "capital")
            and _via_preposition(head, m)
        ]
        if homes:
            place = homes[0].entry.resolve(when)
            return ResolvedActor(
                Actor(place.code, "CVL"),
                min(t.i for t in tokens),
                max(t.i for t in tokens) + 1,
                (resident.entry.key, homes[0].entry.key),
            )
    if not named and not head_is_agent and all(_adjectival(head, m) for m in agents):
        # "a military offensive", "diplomatic ties": an adjective describes a thing.
        return None
    for mention in named:
        actor = mention.entry.resolve(when)
        if head_is_agent and _via_preposition(head, mention):
            # "activists from the Fatah party": Fatah gives the country, the head the sector.
            actor = Actor(actor.code, "")
        if not code:
            code = actor.code
            entries.append(mention.entry.key)
        elif actor.code != code:
            continue
        entry_rank = _SECTOR_RANK.get(mention.entry.kind, 0)
        if actor.sector and entry_rank > rank:
            sector, rank = actor.sector, entry_rank
            if mention.entry.key not in entries:
                entries.append(mention.entry.key)
    if agents and rank < 3:
        # The agent nearest the head ("foreign ministry", "troops") names the sector.
        agent = agents[0]
        if agent.entry.sector and (rank < 2 or _covers(head, agent)):
            sector = agent.entry.sector
            entries.append(agent.entry.key)
    if not code and not near and head.pos_ in ("NOUN", "PROPN"):
        nearby = resolve(head, mentions_at, when, near=True)
        if nearby is not None and nearby.actor.code:
            return nearby
    if not code and not sector:
        return None
    if not code and any(t.dep_ == "amod" and t.lower_ == "foreign" for t in tokens):
        entries.append("rule:foreign")  # "foreign aid workers": not the actor's own people
    if code in {"UN", "NATO", "EUR"} or (named and named[0].entry.kind == "igo"):
        sector = sector if sector in ("IGO", "MIL") else "IGO"
    span_start = min(i for i in indices)
    span_end = max(i for i in indices) + 1
    return ResolvedActor(Actor(code, sector), span_start, span_end, tuple(entries))


def _covers(head: Token, mention: Mention) -> bool:
    """Whether the mention includes the head token."""
    offset = head.sent.start
    return bool(mention.start + offset <= head.i < mention.end + offset)


def _first_token(head: Token, mention: Mention) -> Token:
    """The mention's first token (mentions are numbered within the head's sentence)."""
    return head.doc[head.sent.start + mention.start]


def _opposed(head: Token, mention: Mention) -> bool:
    """Whether a name follows an "anti-" prefix ("anti-Syria", "anti-American")."""
    i = _first_token(head, mention).i
    doc = head.doc
    return bool(i >= 2 and doc[i - 1].text == "-" and doc[i - 2].lower_ == "anti")


def _adjectival(head: Token, mention: Mention) -> bool:
    """Whether an agent word only qualifies the head as an adjective ("military aid")."""
    token = _first_token(head, mention)
    return mention.end - mention.start == 1 and token.dep_ == "amod" and token.pos_ == "ADJ"


def _ethnic(head: Token, mention: Mention) -> bool:
    """Whether a demonym or adjective is qualified as ethnic ("ethnic Turks")."""
    if mention.entry.kind not in ("adjective", "demonym"):
        return False
    first = _first_token(head, mention)
    before = head.doc[first.i - 1] if first.i > 0 else None
    return (before is not None and before.lower_ == "ethnic") or any(
        child.lower_ == "ethnic" for child in head.children
    )


def _via_preposition(head: Token, mention: Mention) -> bool:
    """Whether a mention hangs off the head through a preposition ("of", "from")."""
    token = _first_token(head, mention)
    while token.i != head.i and token.head.i != token.i:
        if token.dep_ == "pobj":
            return True
        token = token.head
    return False


def is_pronoun(token: Token) -> bool:
    """Whether the token is a pronoun that refers back to an earlier actor."""
    return bool(token.lower_ in _PRONOUNS or token.pos_ == "PRON")

"""Where an act happens and whose ground it is: the country a clause places an act in, an
unnamed attacker's country from where the violence was, whom "anti-American" protesters
oppose, and acts done at home by an agent named only by its kind (police, the government)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Any

from dyadwatch.coding import _clauses as clauses
from dyadwatch.coding import _nominal as nominal
from dyadwatch.coding import grammar
from dyadwatch.coding.actors import (
    Mention,
    ResolvedActor,
    Token,
    is_pronoun,
    resolve,
    resolve_all,
)
from dyadwatch.coding.lexicon import Pattern
from dyadwatch.coding.words import word_class
from dyadwatch.records import Actor

# Where violence happened ("near Samarra", "outside Basra"), for an unnamed attacker.
VIOLENT_PLACES = frozenset({"in", "near", "outside", "at", "around"})
# Roots that need a named counterpart: no domestic target is read into them.
NEEDS_COUNTERPART = frozenset({"01", "04"})
# Prepositions that place an act on the source's own ground ("a curfew in Cizre").
DOMESTIC_PLACES = ("in", "at", "across", "throughout", "near")
# Place phrases anywhere in a sentence that say where its events happen.
SENTENCE_PLACES = (*DOMESTIC_PLACES, "inside", "around", "outside")
# Lexicon names that are places (a dateline names a capital or city, now and then a country).
PLACE_KINDS = frozenset({"country", "capital", "city"})
# A dateline is a place name or two, the agency in brackets and a dash.
DATELINE_WORDS = 12


def opposed_in(
    heads: list[Token], mentions_at: dict[int, Mention], when: date | None
) -> list[ResolvedActor]:
    """Actors named after an "anti-" prefix inside the given phrases ("anti-American")."""
    found = []
    for head in heads:
        for token in head.subtree:
            mention = mentions_at.get(token.i)
            doc = token.doc
            if (
                mention is not None
                and mention.entry.named
                and token.i >= 2
                and doc[token.i - 1].text == "-"
                and doc[token.i - 2].lower_ == "anti"
            ):
                actor = mention.entry.resolve(when)
                found.append(
                    ResolvedActor(Actor(actor.code, ""), token.i, token.i + 1, (mention.entry.key,))
                )
    return found


def violent_place(
    verb: Token,
    targets: list[ResolvedActor],
    mentions_at: dict[int, Mention],
    when: date | None,
) -> list[ResolvedActor]:
    """The country where violence against foreign victims took place, as its source."""
    victims = {t.actor.code for t in targets if t.actor.code}
    if len(victims) != 1:
        return []
    found = []
    for token in verb.subtree:
        # "outside of Basra": the place hangs under "of".
        outside = token.lower_ == "of" and token.head.lower_ in VIOLENT_PLACES
        if token.dep_ == "prep" and (token.lower_ in VIOLENT_PLACES or outside):
            for head in (c for c in token.children if c.dep_ == "pobj"):
                place = resolve(head, mentions_at, when)
                if place is not None and place.actor.code and place.actor.code not in victims:
                    found.append(place)
    if len({p.actor.code for p in found}) != 1:
        return []
    place = found[0]
    actor = Actor(place.actor.code, "")
    return [ResolvedActor(actor, place.start, place.end, (*place.entries, "rule:place-as-source"))]


def place_country(verb: Token, mentions_at: dict[int, Mention], when: date | None) -> str | None:
    """The one country where the verb's act takes place, for agents named only by kind.

    The nearest context that names a place decides: the verb's own place ("arrested 20
    protesters in Moscow"), else the places the sentence names ("clashes broke out in
    Basra ... police fired"), else the story's dateline ("BAGHDAD (Reuters) -"). Context
    naming two countries places no one.
    """
    for countries in (
        _places_of(
            [h for p in DOMESTIC_PLACES for h in grammar.prep_objects(verb, p)], mentions_at, when
        ),
        _places_of(
            [h for t in verb.sent for p in SENTENCE_PLACES for h in grammar.prep_objects_of(t, p)],
            mentions_at,
            when,
        ),
        _dateline(verb.sent, mentions_at, when),
    ):
        if countries:
            return countries.pop() if len(countries) == 1 else None
    return None


def _places_of(heads: list[Token], mentions_at: dict[int, Mention], when: date | None) -> set[str]:
    """The countries of the places that place phrases' objects name ("in Moscow")."""
    return {
        place.actor.code
        for head in heads
        for place_head in grammar.coordinated(head)  # "in Kiev and Minsk"
        if (place := resolve(place_head, mentions_at, when)) is not None
        and place.actor.code
        and place.actor.sector != "IGO"
    }


def _dateline(sentence: Token, mentions_at: dict[int, Mention], when: date | None) -> set[str]:
    """The country of a wire dateline opening the sentence ("BAGHDAD (Reuters) -")."""
    words = [token.text for token in sentence[:DATELINE_WORDS]]
    if "(" not in words or ")" not in words or words.index(")") + 1 >= len(words):
        return set()
    close = words.index(")")
    if words[close + 1] not in ("-", "--", "—", "–") or words.index("(") == 0:
        return set()
    countries = set()
    for token in sentence[: words.index("(")]:
        mention = mentions_at.get(token.i)
        if mention is not None and mention.entry.kind in PLACE_KINDS:
            countries.add(mention.entry.resolve(when).code)
    return countries


def domestic(
    verb: Token,
    pattern: Pattern,
    sources: list[ResolvedActor],
    mentions_at: dict[int, Mention],
    when: date | None,
) -> list[tuple[ResolvedActor, ResolvedActor]]:
    """A state's act on its own ground: "imposed a curfew in Cizre", "arrested opponents".

    When a pattern matched but its target names no other actor, the act falls on the
    source's own country: a place there, or an unnamed object (people, a ban, a curfew),
    whose sector the object's head gives ("opponents" OPP). Statements and meetings need a
    counterpart; a place in another country is not a target of a cooperative act.
    """
    if pattern.code[:2] in NEEDS_COUNTERPART and pattern.code[:3] != "018":
        # Condolences for a shooting at home are the one statement a place receives.
        return []
    if grammar.double_object(verb) is not None:
        return []  # "gave officials 30 days": a recipient named, but no actor; not one's own ground
    # An organisation has no ground of its own to act on.
    named = [s for s in sources if s.actor.code and s.actor.sector != "IGO"]
    countries = {s.actor.code for s in named}
    if len(countries) != 1:
        return []
    (country,) = countries
    places = [
        place
        for preposition in DOMESTIC_PLACES
        for head in grammar.prep_objects(verb, preposition)
        if (place := resolve(head, mentions_at, when)) is not None and place.actor.code
    ]
    if any(place.actor.code != country for place in places):
        return []
    if clauses.foreign_in_clause(verb, country, mentions_at, named):
        return []
    heads = nominal.role_heads(verb, pattern.target) or nominal.role_heads(verb, "object")
    heads = [h for h in heads if not is_pronoun(h) and h.pos_ in ("NOUN", "PROPN", "ADJ")]
    if not heads and not places and pattern.code[:2] != "08":
        # Only yielding ("resigned", "surrendered") is an act on one's own ground by itself.
        return []
    if heads:
        found = resolve(heads[0], mentions_at, when)
        if found is not None and found.actor.code and found.actor.code != country:
            return []
        if (
            pattern.code[:2] in clauses.NOMINAL_ROOTS
            and (found is None or not found.actor.sector)
            and not places
            and not clauses.people_in_clause(verb, mentions_at)
        ):
            # Violence falls on people: "fired missiles into the sea" has no victim.
            return []
        sector = found.actor.sector if found is not None else ""
        start, end = (found.start, found.end) if found else (heads[0].i, heads[0].i + 1)
    elif places:
        sector, start, end = "", places[0].start, places[0].end
    else:
        sector, start, end = "", named[0].start, named[0].end
    target = ResolvedActor(Actor(country, sector), start, end, ("rule:domestic-target",))
    return [(s, target) for s in named]


BOMBING = replace(nominal.DEMAND, code="183", key="rule:bomb-clause")
BLASTS = word_class("blast")
# Where a bomb strikes what it harms: "tore through the embassy", "rammed into the bank".
BLAST_PREPS = ("through", "into", "at", "on")


def bombings(
    sentence: Any,
    mentions_at: dict[int, Mention],
    when: date | None,
    coded_verbs: set[tuple[int, int]],
) -> Iterator[nominal.Candidate]:
    """ "A car bomb tore through a market in Omagh, killing 28 people": a bomb that acts with
    no named bomber is a bombing (183) by the place where it went off, against whom it hit
    (named victims, else the place's own people)."""
    for verb in sentence:
        if verb.pos_ != "VERB" or verb.lemma_.lower() not in BLASTS:
            continue
        bomb = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if bomb is None or bomb.lemma_.lower() not in clauses.BOMBS:
            continue
        base = sentence.start_char
        if (verb.idx - base, verb.idx + len(verb) - base) in coded_verbs:
            continue
        if any(a.actor.code for a in resolve_all(bomb, mentions_at, when)):
            continue  # a named bomber: the verb's own pattern codes it
        country = place_country(verb, mentions_at, when)
        if country is None:
            continue
        hit = [
            grammar.object_of(verb),
            *(h for p in BLAST_PREPS for h in grammar.prep_objects(verb, p)),
        ]
        hit += [
            grammar.object_of(result)
            for result in verb.children
            if result.dep_ in ("advcl", "conj") and result.tag_ == "VBG"
        ]
        found = nominal.actors_of([h for h in hit if h is not None], mentions_at, when)
        targets = [t for t in found if t.actor.code and t.actor.code != country]
        source = ResolvedActor(Actor(country, ""), bomb.i, bomb.i + 1, ("rule:place-as-source",))
        if not targets:
            targets = [ResolvedActor(Actor(country, "CVL"), verb.i, verb.i + 1, ())]
        mode = grammar.modality(verb)
        yield from (nominal.Candidate(BOMBING, verb, source, t, mode) for t in targets)

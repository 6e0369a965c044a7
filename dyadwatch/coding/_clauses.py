"""What the rule coder reads off a parsed clause: whose a thing is, what a measure measures,
whether a clause plans or states, and which actors make a codable dyad; and the CAMEO code
tables for refusals and planned acts. Pure functions over spaCy tokens and resolved actors."""

from __future__ import annotations

from collections.abc import Iterable

from dyadwatch.coding import grammar
from dyadwatch.coding.actors import Mention, ResolvedActor, Token
from dyadwatch.coding.lexicon import Pattern
from dyadwatch.coding.rules import code_table, most_specific_code
from dyadwatch.coding.words import word_class
from dyadwatch.records import Actor, Event, Modality

# A planned or promised act is coded as the intent (cooperation, 03x) or the threat (13x)
# of that act, as CAMEO's codebook asks (tables in data/rules.toml).
INTENT_CODES = code_table("intent-codes")
THREAT_CODES = code_table("threat-codes")


# Actors named only by a kind of agent still count when the kind is non-state.
STATELESS_OK = frozenset({"REB", "OPP", "CVL", "MED", "BUS"})


# Modifiers that make a war or an attack a figure of speech: "a trade war", "a price war".
FIGURATIVE = word_class("figurative")


# Refusing a cooperative act is rejecting it (CAMEO 12): the most specific prefix wins.
REJECTIONS = code_table("rejections")


# Nouns that measure an amount: "$5 million in aid", "tons of grain".
MEASURES = word_class("measure")


# Auxiliaries that make a clause a plan ("should cooperate", "will meet").
PLANNING = word_class("planning")


# Weapons that make violence a bombing (CAMEO 183) rather than a battle (190).
BOMBS = word_class("bomb")


# Prepositions that name whose a thing is: "an offer from Kabul", "the rights of Palestinians".
OWNER_PREPS = word_class("owner-preposition")


# A list of more than four actors doing something "together" is a list of attendees.
MAX_JOINT = 4


# Roots coded from event nouns alone (attacks); other nouns are too often planned or denied.
NOMINAL_ROOTS = frozenset({"18", "19", "20"})


def home(target: ResolvedActor, sources: list[ResolvedActor], local: bool) -> ResolvedActor:
    """Give an unnamed agent ("the government", "police", "protesters") the single source's
    country: any agent when the clause names no other country (``local``), else only
    the state's own (government, military).
    """
    countries = {s.actor.code for s in sources if s.actor.code}
    if target.actor.code or len(countries) != 1 or "rule:foreign" in target.entries:
        return target
    if not local and target.actor.sector not in ("GOV", "MIL"):
        return target
    actor = Actor(countries.pop(), target.actor.sector)
    return ResolvedActor(actor, target.start, target.end, target.entries)


def located(actor: ResolvedActor, country: str | None) -> ResolvedActor:
    """Give an agent named only by its kind ("police") the country its act takes place in."""
    if actor.actor.code or not country or not actor.actor.sector or "rule:foreign" in actor.entries:
        return actor
    return ResolvedActor(
        Actor(country, actor.actor.sector), actor.start, actor.end, (*actor.entries, "rule:place")
    )


def authorities(place: ResolvedActor) -> ResolvedActor:
    """The government of a place or actor's country: whom a protest there is aimed at."""
    return ResolvedActor(Actor(place.actor.code, "GOV"), place.start, place.end, place.entries)


def distinct(source: ResolvedActor, target: ResolvedActor, domestic: bool = False) -> bool:
    """Whether two actors make a codable dyad: different, and each pinned down enough."""
    a, b = source.actor, target.actor
    if a == b or not (a.code or b.code):
        return False
    if not a.code and a.sector not in STATELESS_OK:
        return False
    if not b.code and b.sector not in STATELESS_OK:
        return False
    # Within one country, only between two named sectors (government vs. opposition), or
    # a protest by anyone but the government against its own authorities.
    if domestic and b.sector == "GOV" and a.sector != "GOV":
        return True
    if "rule:place-as-source" in source.entries and b.sector and not a.sector:
        return True  # unnamed attackers of the place against its named people
    return a.code != b.code or bool(a.sector and b.sector)


def most_specific(events: list[Event]) -> list[Event]:
    """Keep one event per dyad and root: "threatened to attack" is one threat, not two."""
    best: dict[tuple[str, str, str, bool], Event] = {}
    for event in events:
        key = (str(event.source), str(event.target), event.code[:2], event.negated)
        current = best.get(key)
        if current is None or specificity(event) > specificity(current):
            best[key] = event
    kept = [event for event in events if event in best.values()]
    # "pledged to expel X", "agreed to lift sanctions on X": the planned act (an intent or
    # threat) says more than the generic pledge whose target was borrowed from it.
    planned = {
        (str(e.source), str(e.target))
        for e in kept
        if e.modality == "intent" and e.code[:2] != "03"
    }
    return [
        event
        for event in kept
        if not (
            event.code[:2] == "03"
            and event.modality == "asserted"
            and (str(event.source), str(event.target)) in planned
        )
    ]


def specificity(event: Event) -> tuple[int, int]:
    return (len(event.code.rstrip("0")), event.modality == "asserted")


# An ``objects`` entry that a state named as the object satisfies ("suspended Mali").
STATE_OBJECT = "&state"


def pattern_object(verb: Token, pattern: Pattern) -> Token | None:
    """The noun a pattern's ``objects`` constrain: the direct object, or for a particle
    parsed as a preposition ("call for talks", "agree to a ceasefire") that preposition's object.
    """
    if pattern.particle:
        found = grammar.prep_objects(verb, pattern.particle)
        if found:
            return found[0]
    given = grammar.double_object(verb)
    if given is not None:
        return given[1]  # "handed the IAEA a dossier": the dossier, not the IAEA
    return grammar.object_of(verb)


def object_fits(direct: Token | None, pattern: Pattern) -> bool:
    """Whether the direct object is one the pattern asks for ("joint naval drills")."""
    if direct is None:
        return False
    if any(object_fits(inner, pattern) for inner in measured(direct)):
        return True  # "70 million dollars of aid", "$500 million in military aid"
    if any(object_fits(other, pattern) for other in direct.children if other.dep_ == "conj"):
        return True  # "aerial photographs and other military intelligence"
    words, lemma, text = grammar.object_words(direct)
    if pattern.code[:2] in NOMINAL_ROOTS and words & FIGURATIVE:
        return False
    for wanted in pattern.objects:
        if wanted == STATE_OBJECT:
            continue  # a mention, not a word: see ``state_object_fits``
        parts = wanted.split()
        if parts[-1] in (lemma, text) and all(part in words for part in parts[:-1]):
            return True
        if len(parts) > 1 and parts[-1].rstrip("s") == lemma and set(parts[:-1]) <= words:
            return True
    return False


def state_object_fits(
    direct: Token | None, pattern: Pattern, mentions_at: dict[int, Mention]
) -> bool:
    """Whether a pattern that takes a state (``&state``) has one as its object: "the African
    Union suspended Mali"."""
    if direct is None or STATE_OBJECT not in pattern.objects:
        return False
    mention = mentions_at.get(direct.i)
    return mention is not None and mention.entry.kind == "country"


def rejection(code: str) -> str | None:
    """The rejection (12) that refusing a cooperative act (03-09) amounts to, if any."""
    return most_specific_code(REJECTIONS, code)


def measured(noun: Token) -> list[Token]:
    """What a measure noun measures: "tons of food", "$5 million in aid"."""
    if noun.lemma_.lower() not in MEASURES and noun.pos_ != "NUM" and noun.lower_ != "$":
        return prep_children(noun, ("of",))
    return prep_children(noun, ("of", "in"))


def states_a_view(clause: Token) -> bool:
    """Whether a that-clause states how things are ("there was an urgent need") rather than
    what someone will do ("their countries should cooperate")."""
    planned = any(c.dep_ == "aux" and c.lower_ in PLANNING for c in clause.children)
    return not planned and clause.lemma_.lower() in ("be", "have", "remain", "exist")


def by_bomb(verb: Token) -> bool:
    """Whether the verb's clause says the violence was done with a bomb."""
    return any(token.pos_ == "NOUN" and token.lemma_.lower() in BOMBS for token in verb.subtree)


def purpose_targets(verb: Token) -> list[Token]:
    """Nouns a purpose clause ("to protest against X", "to show disapproval of X") acts on."""
    found: list[Token] = []
    for clause in verb.children:
        if clause.dep_ not in ("advcl", "xcomp") or not any(
            c.dep_ == "aux" and c.lower_ == "to" for c in clause.children
        ):
            continue
        things = [t for t in (grammar.object_of(clause),) if t is not None]
        things += prep_children(clause, ("against", "at", "of", "over", "for"))
        for thing in things:
            found += [thing, *owners(thing)]
    return found


def prep_children(head: Token, prepositions: Iterable[str]) -> list[Token]:
    """The objects of the given prepositions attached to ``head``, in that order."""
    return [
        obj
        for preposition in prepositions
        for prep in head.children
        if prep.dep_ == "prep" and prep.lower_ == preposition
        for obj in prep.children
        if obj.dep_ == "pobj"
    ]


def owners(thing: Token) -> list[Token]:
    """Whose a thing is: its possessor, its author ("a treaty proposed by Azerbaijan"), then
    its of/from/by/for objects, two levels deep."""
    found = [c for c in thing.children if c.dep_ == "poss"]
    found += [
        o
        for acl in thing.children
        if acl.dep_ == "acl"
        for agent in acl.children
        if agent.dep_ == "agent"
        for o in agent.children
        if o.dep_ == "pobj"
    ]
    frontier = [thing]
    for _ in range(2):
        following = []
        for node in frontier:
            for prep in node.children:
                if prep.dep_ == "prep" and prep.lower_ in OWNER_PREPS:
                    objects = [c for c in prep.children if c.dep_ == "pobj"]
                    found += objects
                    following += objects
        frontier = following
    return found


def people_in_clause(verb: Token, mentions_at: dict[int, Mention]) -> bool:
    """Whether the verb's clause, its subject aside, names people ("to disperse protesters")."""
    subject = grammar.subject_of(verb)
    skip = {t.i for t in subject.subtree} if subject is not None else set()
    return any(
        (mention := mentions_at.get(token.i)) is not None and bool(mention.entry.sector)
        for token in verb.subtree
        if token.i not in skip
    )


def foreign_in_clause(
    verb: Token, country: str, mentions_at: dict[int, Mention], sources: list[ResolvedActor]
) -> bool:
    """Whether the verb's clause names an actor of another country than ``country``, the
    sources' own words aside ("a Russian strike on Kyiv killed civilians" names Ukraine).
    """
    skip = {i for s in sources for i in range(s.start, s.end)}
    for token in verb.subtree:
        mention = mentions_at.get(token.i)
        if token.i in skip or mention is None or not mention.entry.named:
            continue
        code = mention.entry.resolve(None).code
        if code and code != country:
            return True
    return False


def planned_code(code: str, modality: Modality) -> str:
    """The code of an act as coded: a planned or promised act (``intent``) is the intent to
    do it (03x) or the threat of it (13x), most specific match first."""
    if modality != "intent":
        return code
    table = INTENT_CODES if int(code[:2]) <= 9 else THREAT_CODES
    return most_specific_code(table, code) or code

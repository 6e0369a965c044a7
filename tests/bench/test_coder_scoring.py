"""Tests of the coder benchmark's scorer (bench/_gold.py) and its gold-set loaders."""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(__file__).resolve().parents[2].parent / "shared"
ANCHORS = SHARED / "anchors"


def _load(name: str, filename: str) -> ModuleType:
    """Import a bench/ script (not a package) by file path, once."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO / "bench" / filename)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while defined
    spec.loader.exec_module(module)
    return module


gold = _load("bench_gold", "_gold.py")


def _record(*events: tuple[str | None, str | None, str], text: str = "text") -> Any:
    return gold.Record(
        key="r1",
        text=text,
        date=None,
        events=tuple(gold.GoldEvent(*event) for event in events),
    )


def _pred(source: str, target: str, code: str, modality: str = "asserted") -> Any:
    return gold.Prediction(source, target, code, modality=modality)


def _kinds(result: Any) -> list[str]:
    return sorted(kind for kind, _, _ in result.failures)


# --- scorer ---------------------------------------------------------------------------------


def test_perfect_match_scores_one_at_both_levels() -> None:
    result = gold.score_record(_record(("USA", "CHN", "042")), [_pred("USA", "CHN", "042")])
    assert (result.tp_root, result.tp_strict, result.failures) == (1, 1, [])
    totals, _ = gold.score([_record(("USA", "CHN", "042"))], {"r1": [_pred("USA", "CHN", "042")]})
    assert totals.root == (1.0, 1.0, 1.0)
    assert totals.strict == (1.0, 1.0, 1.0)


def test_joint_gold_event_matches_either_direction() -> None:
    record = _record(("BRA", "USA", "031"), ("USA", "BRA", "031"))
    assert gold.joint_flags(record.events) == [True, True]
    swapped_first = gold.score_record(
        record, [_pred("USA", "BRA", "031"), _pred("BRA", "USA", "031")]
    )
    assert swapped_first.tp_root == 2
    one = gold.score_record(record, [_pred("USA", "BRA", "031")])
    assert (one.tp_root, _kinds(one)) == (1, ["missed"])


def test_swapped_actors_on_non_joint_event_is_wrong_direction() -> None:
    result = gold.score_record(_record(("ISR", "PSE", "190")), [_pred("PSE", "ISR", "190")])
    assert result.tp_root == 0
    assert _kinds(result) == ["wrong direction"]


def test_wrong_root_with_right_actors_is_wrong_code() -> None:
    result = gold.score_record(_record(("UKR", "RUS", "145")), [_pred("UKR", "RUS", "112")])
    assert (result.tp_root, _kinds(result)) == (0, ["wrong code"])


def test_right_root_with_other_country_is_wrong_actor() -> None:
    result = gold.score_record(_record(("RWA", "FRA", "110")), [_pred("RWA", "BEL", "111")])
    assert (result.tp_root, _kinds(result)) == (0, ["wrong actor"])


def test_prediction_without_gold_counterpart_is_extra() -> None:
    result = gold.score_record(
        _record(("USA", "IRN", "044")), [_pred("USA", "IRN", "044"), _pred("CHN", "JPN", "190")]
    )
    assert (result.tp_root, _kinds(result)) == (1, ["extra"])
    totals, _ = gold.score(
        [_record(("USA", "IRN", "044"))],
        {"r1": [_pred("USA", "IRN", "044"), _pred("CHN", "JPN", "190")]},
    )
    assert totals.root == pytest.approx((0.5, 1.0, 2 / 3))


def test_extra_on_a_negated_record_without_gold_events_is_its_own_kind() -> None:
    negated = _record(text="Russia did not attack Ukraine.")
    result = gold.score_record(negated, [_pred("RUS", "UKR", "190")])
    assert _kinds(result) == ["extra on negated sentence"]
    plain = gold.score_record(
        _record(text="Russia attacked Ukraine."), [_pred("RUS", "UKR", "190")]
    )
    assert _kinds(plain) == ["extra"]


def test_gold_event_with_nothing_close_is_missed() -> None:
    result = gold.score_record(_record(("GEO", "GEO", "194")), [])
    assert (result.tp_root, result.gold, _kinds(result)) == (0, 1, ["missed"])
    totals, _ = gold.score([_record(("GEO", "GEO", "194"))], {})
    assert totals.root == (0.0, 0.0, 0.0)


def test_strict_level_needs_the_three_digit_code() -> None:
    result = gold.score_record(_record(("ISR", "PSE", "0352")), [_pred("ISR", "PSE", "0342")])
    assert (result.tp_root, result.tp_strict) == (1, 0)
    assert _kinds(result) == ["root right, code wrong"]
    four_digits = gold.score_record(_record(("USA", "RUS", "1124")), [_pred("USA", "RUS", "1122")])
    assert (four_digits.tp_root, four_digits.tp_strict) == (1, 1)


def test_matching_is_one_to_one_and_prefers_the_strict_pair() -> None:
    record = _record(("USA", "CHE", "042"))
    result = gold.score_record(record, [_pred("USA", "CHE", "040"), _pred("USA", "CHE", "042")])
    assert (result.tp_root, result.tp_strict, result.predicted) == (1, 1, 2)
    assert _kinds(result) == ["extra"]
    assert result.failures[0][2].code == "040"


def test_only_asserted_and_intent_count_and_flags_are_tallied() -> None:
    preds = [
        _pred("USA", "RUS", "190", "negated"),
        _pred("USA", "RUS", "138", "hypothetical"),
        _pred("USA", "RUS", "036", "intent"),
    ]
    result = gold.score_record(_record(("USA", "RUS", "036")), preds)
    assert (result.tp_root, result.predicted) == (1, 1)
    assert result.flagged == {"negated": 1, "hypothetical": 1}


def test_gold_actor_none_matches_any_and_empty_needs_empty() -> None:
    icews = _record((None, None, "042"))
    assert gold.score_record(icews, [_pred("TWN", "RUS", "042")]).tp_root == 1
    rebels = _record(("", "SYR", "190"))
    assert gold.score_record(rebels, [_pred("", "SYR", "190")]).tp_root == 1
    assert gold.score_record(rebels, [_pred("SYR", "SYR", "190")]).tp_root == 0


def test_plover_records_match_on_type_and_have_no_strict_level() -> None:
    record = gold.Record(
        key="p1",
        text="t",
        date=None,
        events=(gold.GoldEvent("USA", "JOR", "AGREE"),),
        scheme="plover",
    )
    right = gold.Prediction("USA", "JOR", "057", plover="SUPPORT")
    agree = gold.Prediction("USA", "JOR", "031", plover="AGREE")
    assert gold.score_record(record, [right]).tp_root == 0
    result = gold.score_record(record, [agree])
    assert (result.tp_root, result.tp_strict) == (1, None)
    totals, _ = gold.score([record], {"p1": [agree]})
    assert totals.strict is None


def test_by_root_counts_tp_fn_under_gold_root_and_fp_under_predicted_root() -> None:
    totals, _ = gold.score([_record(("UKR", "RUS", "145"))], {"r1": [_pred("UKR", "RUS", "112")]})
    assert totals.by_root["14"]["fn"] == 1
    assert totals.by_root["11"]["fp"] == 1
    assert totals.failures["wrong code"] == 1


def test_actor_codes_reduce_to_country_or_igo() -> None:
    assert gold.petrarch_actor("USAGOV") == "USA"
    assert gold.petrarch_actor("---REB") == ""
    assert gold.petrarch_actor("---") == ""
    assert gold.petrarch_actor("IMGMUSISI") == ""
    assert gold.petrarch_actor("IGOUNOMIL") == "UN"
    assert gold.petrarch_actor("IGOEUREEC") == "EUR"
    assert gold.petrarch_actor("IGOWSTNAT") == "NATO"
    assert gold.petrarch_actor("IGOCOPITP") == "INTERPOL"
    assert gold.petrarch_actor("IGOUNODEVWBK") == "WB"
    assert gold.plover_actor({"code": "IGO", "actorText": "U.N. Security Council"}) == "UN"
    assert gold.plover_actor({"code": "JAP", "actorText": "Tokyo"}) == "JPN"
    assert (
        gold.plover_actor({"code": "IGO", "actorText": "Asia-Pacific Economic Cooperation"}) is None
    )
    assert gold.plover_gold_type("DEMAND") == "REQUEST"
    assert gold.plover_gold_type("COERCE", "destroy") == "ASSAULT"


def test_report_tables_render_from_a_stand_in_coder() -> None:
    bench = _load("bench_coder", "coder.py")

    def event(source: str, target: str, code: str) -> SimpleNamespace:
        return SimpleNamespace(
            source=SimpleNamespace(code=source, sector=""),
            target=SimpleNamespace(code=target, sector=""),
            code=code,
            modality="asserted",
            plover="",
        )

    class StandIn:
        def code_texts(self, items: Any) -> Any:
            for key, _text, _date in items:
                yield key, [event("USA", "CHN", "042")] if key == "r1" else []

    records = [
        gold.Record(
            "r1",
            "The US leader visited China.",
            date(2008, 8, 4),
            _record(("USA", "CHN", "042")).events,
        ),
        gold.Record("r2", "Russia attacked Georgia.", None, _record(("RUS", "GEO", "190")).events),
    ]
    result = bench.measure("petr2", records, StandIn(), {"04": "CONSULT"})
    assert result.totals.tp_root == 1
    text = "\n\n".join(bench.sections([result], worst=15))
    assert "| dyadwatch | petr2 | 2 | 2 | 1 | 1.000 | 0.500 | 0.667 |" in text
    assert "RUS→GEO 190" in text


# --- loaders on the real files --------------------------------------------------------------

needs_anchors = pytest.mark.skipif(
    not ANCHORS.exists(), reason=f"needs the gold sets in {ANCHORS} (../shared/anchors)"
)


@pytest.mark.shared
@needs_anchors
def test_petr2_loader_reads_78_records() -> None:
    records = gold.load_petr2(ANCHORS / gold.PETR2_FILE)
    assert len(records) == 78
    assert sum(1 for record in records if not record.events) == 12
    first = records[0]
    assert first.key == "AFP0808020625_4"
    assert first.date == date(2008, 8, 4)
    assert first.events == (gold.GoldEvent("USA", "CHN", "042"),)
    assert first.text.startswith("The stopover came as the US leader")
    by_key = {record.key: record for record in records}
    assert gold.GoldEvent("", "SYR", "190") in by_key["SYRIA_0"].events


@pytest.mark.shared
@needs_anchors
def test_plover_loader_reads_322_records_with_2021_types() -> None:
    records = gold.load_plover(ANCHORS / gold.PLOVER_FILE)
    assert len(records) == 322
    kinds = {record.category for record in records}
    assert not kinds & {"DEMAND", "DISAPPROVE", "FIGHT", "INVESTIGATE"}
    by_key = {record.key: record for record in records}
    assert set(by_key["PLOVER-GSR01-AGREE-0003"].events) == {
        gold.GoldEvent("USA", "JOR", "AGREE"),
        gold.GoldEvent("JOR", "USA", "AGREE"),
    }


@pytest.mark.shared
@needs_anchors
def test_icews_loader_and_crosswalk() -> None:
    records = gold.load_icews(ANCHORS / gold.ICEWS_FILE)
    assert len(records) == 277
    assert all(len(record.events) == 1 for record in records)
    assert not any("Note:" in record.text for record in records)
    assert any("Moscow’s will" in record.text for record in records)  # mis-decoding repaired
    crosswalk = gold.load_crosswalk(ANCHORS / gold.CROSSWALK_FILE)
    assert gold.plover_type("042", crosswalk) == "CONSULT"
    assert gold.plover_type("0871", crosswalk) == "RETREAT"
    assert gold.plover_type("1712", crosswalk) == "ASSAULT"
    assert gold.plover_type("010", crosswalk) == ""


@pytest.mark.shared
@needs_anchors
def test_petrarch_baseline_rescores_on_its_49_records() -> None:
    baseline = gold.load_baseline(ANCHORS / gold.BASELINE_FILE)
    assert len(baseline.predictions) == 49
    records = [
        record
        for record in gold.load_petr2(ANCHORS / gold.PETR2_FILE)
        if record.key in baseline.predictions
    ]
    assert len(records) == 49
    totals, _ = gold.score(records, baseline.predictions)
    assert totals.gold == 43
    assert totals.root[2] > 0.8


def test_plover_gold_type_matches_any_root_the_crosswalk_gives_it() -> None:
    crosswalk = {"080": "CONCEDE", "0813": "RETREAT", "081": "CONCEDE", "190": "ASSAULT"}
    roots = gold.type_roots(crosswalk)
    assert roots["CONCEDE"] == frozenset({"08"})
    record = gold.Record("r1", "text", None, (gold.GoldEvent("SRB", "MNE", "CONCEDE"),), "plover")
    lifted_curfew = gold.Prediction("SRB", "MNE", "0813", plover="RETREAT")
    by_root = gold.score_record(record, [lifted_curfew], roots)
    assert by_root.tp_root == 1
    by_type = gold.score_record(record, [lifted_curfew])
    assert by_type.tp_root == 0 and _kinds(by_type) == ["wrong code"]
    attack = gold.Prediction("SRB", "MNE", "190", plover="ASSAULT")
    assert gold.score_record(record, [attack], roots).tp_root == 0


def test_wire_sentences_load_with_their_events() -> None:
    records = gold.load_wire(REPO / "bench" / "data" / "wire.jsonl")
    assert len(records) >= 60
    assert len({record.key for record in records}) == len(records)
    assert sum(1 for record in records if not record.events) >= 3  # negated, hypothetical
    for record in records:
        assert record.date is not None and record.text
        for event in record.events:
            assert event.code.isdigit() and 3 <= len(event.code) <= 4


@pytest.mark.slow
def test_the_coder_keeps_its_scores_on_our_wire_sentences() -> None:
    """A regression gate that needs no ../shared: our hand-written wire sentences scored as
    `python bench/coder.py` scores them (root F1 0.955, strict 0.833 when set); a change to
    the coder that loses or breaks events fails here."""
    from dyadwatch.coding.coder import RuleCoder

    bench = _load("bench_coder", "coder.py")
    records = gold.load_wire(REPO / "bench" / "data" / "wire.jsonl")
    result = bench.measure("wire", records, RuleCoder(), {})
    root_f1, strict_f1 = result.totals.root[2], result.totals.strict[2]
    assert root_f1 >= 0.95 and strict_f1 >= 0.83, (root_f1, strict_f1)


# --- dev_gold.jsonl format: codes, symmetric, optional, sectors -----------------------------


def _coded(*events: Any, key: str = "n1", text: str = "text") -> Any:
    return gold.Record(key=key, text=text, date=None, events=tuple(events))


def _ev(
    source: str,
    target: str,
    *codes: str,
    symmetric: bool = False,
    optional: bool = False,
    sectors: tuple[str, str] = ("GOV", "GOV"),
) -> Any:
    return gold.GoldEvent(
        source,
        target,
        codes[0],
        codes=codes,
        symmetric=symmetric,
        optional=optional,
        source_sector=sectors[0],
        target_sector=sectors[1],
    )


def _sp(source: str, target: str, code: str, sectors: tuple[str, str] = ("GOV", "GOV")) -> Any:
    return gold.Prediction(source, target, code, source_sector=sectors[0], target_sector=sectors[1])


def test_load_coded_reads_events_split_and_names_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    lines = [
        '{"id": "t1005", "date": "2004-08-24", "text": "The  United States suspended flights.",'
        ' "events": [{"source": "USA", "source_sector": "GOV", "target": "JPN",'
        ' "target_sector": "", "codes": ["083", "080"], "symmetric": false, "note": "n"},'
        ' {"source": "JPN", "source_sector": "CVL", "target": "USA", "target_sector": "MIL",'
        ' "codes": ["141"], "symmetric": true, "optional": true, "note": "n"}], "tags": []}',
        '{"id": "t1006", "date": "2004-08-25", "text": "Stocks rose.", "events": [], "tags": []}',
        '{"id": "t1007", "text": "Cairo cut the internet and imposed a curfew.", "events": ['
        ' {"source": "EGY", "source_sector": "GOV", "target": "EGY", "target_sector": "CVL",'
        ' "codes": ["172"], "note": "blackout"}, {"source": "EGY", "source_sector": "GOV",'
        ' "target": "EGY", "target_sector": "CVL", "codes": ["172"], "note": "curfew"}]}',
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    records = gold.load_coded(path)
    assert [record.key for record in records] == ["t1005", "t1006", "t1007"]
    assert len(records[2].required) == 2  # two acts coded alike stay two gold events
    assert records[2].date is None
    first = records[0]
    assert first.date == date(2004, 8, 24)
    assert first.text == "The United States suspended flights."
    required, optional = first.events
    assert required == gold.GoldEvent(
        "USA", "JPN", "083", codes=("083", "080"), source_sector="GOV", target_sector=""
    )
    assert optional.optional and optional.symmetric and optional.target_sector == "MIL"
    assert first.required == (required,)
    assert [r.key for r in gold.load_coded(path, gold.synthetic_dev)] == ["t1005"]
    path.write_text(lines[1] + '\n{"id": "t2", "text": "x", "events": [{"codes": []}]}\n')
    with pytest.raises(ValueError, match=r"gold\.jsonl:2: 'codes' must be"):
        gold.load_coded(path)


def test_synthetic_dev_split_is_ids_divisible_by_five() -> None:
    assert [gold.synthetic_dev(key) for key in ("t1005", "t1010", "t1001", "t8200")] == [
        True,
        True,
        False,
        True,
    ]


def test_root_level_accepts_any_listed_code_and_strict_any_three_digits() -> None:
    record = _coded(_ev("USA", "JPN", "083", "080", "112"))
    lifted = gold.score_record(record, [_sp("USA", "JPN", "081")])
    assert (lifted.tp_root, lifted.tp_strict) == (1, 0)
    accused = gold.score_record(record, [_sp("USA", "JPN", "112")])
    assert (accused.tp_root, accused.tp_strict) == (1, 1)
    assert gold.score_record(record, [_sp("USA", "JPN", "190")]).tp_root == 0


def test_symmetric_event_matches_either_order_and_others_only_their_own() -> None:
    met = _coded(_ev("FRA", "DEU", "040", symmetric=True))
    assert gold.score_record(met, [_sp("DEU", "FRA", "042")]).tp_root == 1
    one_way = _coded(_ev("FRA", "DEU", "040"))
    assert gold.score_record(one_way, [_sp("DEU", "FRA", "042")]).tp_root == 0
    # Missed: the target's country as source is one actor right only when symmetric.
    other_guest = [_sp("DEU", "ITA", "042")]
    assert gold.score_record(met, other_guest).misses[0][0] == "one actor wrong"
    assert gold.score_record(one_way, other_guest).misses[0][0] == "other"


def test_prediction_on_an_optional_event_is_neither_true_nor_false() -> None:
    record = _coded(_ev("USA", "JPN", "083"), _ev("JPN", "USA", "141", optional=True))
    result = gold.score_record(record, [_sp("USA", "JPN", "083"), _sp("JPN", "USA", "141")])
    assert (result.gold, result.predicted, result.tp_root, result.ignored) == (1, 1, 1, 1)
    assert result.false_positives == []
    totals, _ = gold.score([record], {"n1": [_sp("JPN", "USA", "141")]})
    assert (totals.gold, totals.predicted, totals.ignored) == (1, 0, 1)
    assert totals.root == (0.0, 0.0, 0.0)
    assert totals.misses == {"other": 1}  # something was coded, just not this event


def test_optional_events_are_matched_one_to_one_after_the_required() -> None:
    # 036 could be the optional 03x or the required 030/036: the required takes one, the
    # optional the other; a third prediction of that root is a false positive (a repeat).
    record = _coded(
        _ev("PSE", "PSE", "036", sectors=("REB", "GOV")),
        _ev("PSE", "PSE", "030", optional=True, sectors=("REB", "GOV")),
    )
    preds = [_sp("PSE", "PSE", code, ("REB", "GOV")) for code in ("036", "031", "030")]
    result = gold.score_record(record, preds)
    assert (result.tp_root, result.tp_strict, result.ignored, result.predicted) == (1, 1, 1, 2)
    assert [kind for kind, _ in result.false_positives] == ["repeat"]


def test_a_prediction_both_could_take_goes_to_the_optional_only_when_free() -> None:
    # The 190 fits both events; the 112 fits only the required one: the 112 takes it, and
    # the 190 the optional one, so nothing is a false positive.
    record = _coded(
        _ev("ISR", "PSE", "112", "190"),
        _ev("ISR", "PSE", "190", optional=True),
    )
    result = gold.score_record(record, [_sp("ISR", "PSE", "190"), _sp("ISR", "PSE", "112")])
    assert (result.tp_root, result.ignored, result.predicted) == (1, 1, 1)
    assert result.false_positives == []


def test_sector_accuracy_counts_matched_events_both_sectors_and_per_actor() -> None:
    records = [
        _coded(_ev("RUS", "LTU", "194", sectors=("MIL", "CVL")), key="a"),
        _coded(_ev("RUS", "LTU", "163", sectors=("GOV", "GOV")), key="b"),
        _coded(_ev("PHL", "PHL", "042", symmetric=True, sectors=("REB", "GOV")), key="c"),
        _coded(_ev("USA", "IRQ", "190", sectors=("MIL", "")), key="d"),
    ]
    predictions = {
        "a": [_sp("RUS", "LTU", "190", ("MIL", "CVL"))],  # both right
        "b": [_sp("RUS", "LTU", "163", ("", "GOV"))],  # one right
        "c": [_sp("PHL", "PHL", "043", ("GOV", "REB"))],  # symmetric: the other order
        "d": [_sp("IRQ", "USA", "190", ("MIL", ""))],  # not matched: not counted
    }
    totals, _ = gold.score(records, predictions)
    assert (totals.sectors_checked, totals.sectors_right) == (3, 2)
    assert totals.sector_accuracy == pytest.approx(2 / 3)
    assert totals.sector_side_accuracy == pytest.approx(5 / 6)
    legacy, _ = gold.score([_record(("USA", "CHN", "042"))], {"r1": [_pred("USA", "CHN", "042")]})
    assert legacy.sector_accuracy is None


def test_missed_gold_events_are_named_by_the_closest_prediction() -> None:
    record = _coded(
        _ev("UKR", "RUS", "145"),  # right actors, 112 instead
        _ev("USA", "IRN", "172"),  # root right, target wrong
        _ev("FRA", "MLI", "190"),  # nothing near it
    )
    preds = [_sp("UKR", "RUS", "112"), _sp("USA", "IRQ", "172")]
    result = gold.score_record(record, preds)
    kinds = {event.code: kind for kind, event in result.misses}
    assert kinds == {
        "145": "right actors, wrong root",
        "172": "one actor wrong",
        "190": "other",
    }
    nothing = gold.score_record(record, [])
    assert {kind for kind, _ in nothing.misses} == {"nothing coded"}
    assert sorted(kind for kind, _ in result.false_positives) == ["wrong actors", "wrong root"]


def test_false_positives_on_a_no_event_sentence_are_their_own_kind() -> None:
    record = _coded(_ev("JPN", "USA", "141", optional=True), text="Tokyo stocks rose.")
    result = gold.score_record(record, [_sp("JPN", "USA", "141"), _sp("JPN", "CHN", "042")])
    assert (result.gold, result.ignored, result.predicted) == (0, 1, 1)
    assert [kind for kind, _ in result.false_positives] == ["on a no-event sentence"]


# --- PLV rows --------------------------------------------------------------------------------


def _plv_row(gold_type: str = "ACCUSE", key: str = "400") -> Any:
    return gold.PlvRow(key, 399, "Tehran condemned the US court.", "Tehran", "the court", gold_type)


def _typed(source: str, target: str, code: str, plover: str, modality: str = "asserted") -> Any:
    return gold.Prediction(source, target, code, plover=plover, modality=modality)


def test_plv_row_needs_the_type_and_then_the_countries_in_order() -> None:
    row = _plv_row()
    right = gold.score_plv_row(row, "IRN", "USA", [_typed("IRN", "USA", "111", "ACCUSE")])
    assert (right.type_found, right.dyad_found, right.miss) == (True, True, None)
    swapped = gold.score_plv_row(row, "IRN", "USA", [_typed("USA", "IRN", "111", "ACCUSE")])
    assert (swapped.type_found, swapped.dyad_found, swapped.miss) == (True, False, "other")
    one = gold.score_plv_row(row, "IRN", "USA", [_typed("IRN", "GBR", "111", "ACCUSE")])
    assert one.miss == "one actor wrong"
    wrong_type = gold.score_plv_row(row, "IRN", "USA", [_typed("IRN", "USA", "042", "CONSULT")])
    assert (wrong_type.type_found, wrong_type.miss) == (False, "right actors, wrong root")
    hypothetical = [_typed("IRN", "USA", "111", "ACCUSE", "hypothetical")]
    assert gold.score_plv_row(row, "IRN", "USA", hypothetical).miss == "nothing coded"


def test_plv_span_without_a_country_leaves_only_the_type_to_match_on_that_side() -> None:
    row = _plv_row()
    found = gold.score_plv_row(row, "IRN", None, [_typed("IRN", "", "111", "ACCUSE")])
    assert found.dyad_found
    assert not gold.score_plv_row(row, "IRN", None, [_typed("IRQ", "", "111", "ACCUSE")]).dyad_found


def test_plv_yield_is_concede_or_retreat_and_totals_give_both_rates() -> None:
    rows = [_plv_row("YIELD", "1"), _plv_row("YIELD", "2"), _plv_row("ACCUSE", "3")]
    preds = [
        [_typed("IRN", "USA", "0813", "RETREAT")],
        [_typed("IRN", "IRQ", "081", "CONCEDE")],
        [],
    ]
    totals = gold.PlvTotals()
    for row, pred in zip(rows, preds, strict=True):
        totals.add(row, gold.score_plv_row(row, "IRN", "USA", pred), "IRN", "USA")
    assert (totals.rows, totals.type_found, totals.dyad_found) == (3, 2, 1)
    assert totals.type_rate == pytest.approx(2 / 3)
    assert totals.dyad_rate == pytest.approx(1 / 3)
    assert totals.misses == {"one actor wrong": 1, "nothing coded": 1}
    assert totals.by_type["YIELD"] == {"rows": 2, "type": 2, "dyad": 1}


def test_load_plv_leaves_out_the_cameo_manual_rows(tmp_path: Path) -> None:
    head = "uid\tsentence_id\tgold_penta\tgold_root\tsentence\tmarked_sentence\tsource\ttarget"
    rows = [
        '335\t334\t4\tASSAULT\tSerb forces "cleansed" Kosovo.\tm\tSerb forces\tKosovo',
        "336\t335\t3\tACCUSE\tIran condemned the US.\tm\tIran\tthe US",
    ]
    path = tmp_path / "PLV_test.tsv"
    path.write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")
    loaded, left_out = gold.load_plv(path)
    assert left_out == 1
    assert loaded == [gold.PlvRow("336", 335, "Iran condemned the US.", "Iran", "the US", "ACCUSE")]
    path.write_text("uid\tsentence\n1\tx\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing columns sentence_id"):
        gold.load_plv(path)


# --- the report -------------------------------------------------------------------------------


class _StandInCoder:
    """Codes fixed events by text, as ``RuleCoder.code_texts`` yields them."""

    def __init__(self, events: dict[str, list[Any]]) -> None:
        self.events = events
        self.calls = 0

    def code_texts(self, items: Any) -> Any:
        self.calls += 1
        for key, text, _date in items:
            yield key, self.events.get(text, [])


def _event(source: str, target: str, code: str, sectors: tuple[str, str] = ("", "")) -> Any:
    return SimpleNamespace(
        source=SimpleNamespace(code=source, sector=sectors[0]),
        target=SimpleNamespace(code=target, sector=sectors[1]),
        code=code,
        modality="asserted",
        plover="",
    )


def test_side_by_side_table_has_every_set_with_sectors_kinds_and_plv() -> None:
    bench = _load("bench_coder", "coder.py")
    crosswalk = {"111": "ACCUSE", "042": "CONSULT"}
    text = "Iran condemned the US."
    coder = _StandInCoder(
        {
            "Russian troops shelled Kyiv.": [_event("RUS", "UKR", "195", ("MIL", "CVL"))],
            "Stocks rose.": [_event("USA", "JPN", "042")],
            text: [_event("IRN", "USA", "111")],
        }
    )
    shelled = _ev("RUS", "UKR", "190", sectors=("MIL", "CVL"))
    records = [
        _coded(shelled, key="a", text="Russian troops shelled Kyiv."),
        _coded(key="b", text="Stocks rose."),
    ]
    result = bench.measure("agnews", records, coder, crosswalk)
    rows = [gold.PlvRow(str(i), 400, text, "Iran", "the US", "ACCUSE") for i in range(2)]
    plv = bench.measure_plv(rows, coder, crosswalk, {"Iran": "IRN", "the US": None}, 336)
    assert coder.calls == 2  # one call per set; the PLV sentence coded once for both rows
    assert (plv.totals.type_found, plv.totals.dyad_found, plv.predicted) == (2, 2, 1)
    table = "\n\n".join(bench.sections([result, plv], skipped=["synthetic: x not found."]))
    assert (
        "| agnews | 2 | 1 | 2 | 0.500 | 1.000 | 0.667 | 0.000 | 1.000 / 1.000 (1) "
        "| 0 | 0 | 0 | 0 | 1 | 0 | 0 | 0 |"
    ) in table
    assert "| plv | 2 | 2 | 1 | — | 1.000 | — | — | — | 0 | 0 | 0 | 0 | — | — | — | — |" in table
    assert "| **all** | 2 | 2 | 1.000 | 2 | 1.000 |" in table
    assert "336 rows with sentence_id < 335" in table
    assert "target: 2 rows" in table  # the US: no country
    assert "Skipped synthetic: x not found." in table
    assert "- plv: gold events = labelled rows" in table
    assert "- plv:" not in "\n\n".join(bench.sections([result]))


def test_a_named_set_whose_file_is_absent_is_an_error_and_all_skips_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bench = _load("bench_coder", "coder.py")
    assert bench.main(["--set", "agnews", "--shared", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "error: gold data not found" in err and "dev_gold.jsonl" in err
    absent = bench._absent(["agnews", "plv", "wire"], tmp_path)
    assert set(absent) == {"agnews", "plv"}  # wire lives in the repository


@pytest.mark.slow
def test_span_countries_come_from_our_actor_recogniser() -> None:
    from dyadwatch.coding.coder import RuleCoder

    bench = _load("bench_coder", "coder.py")
    spans = ["Iran's foreign minister", "a U.S. federal court ruling"]
    countries = bench.span_countries(RuleCoder(), [*spans, "the ACLU", "Tokyo"])
    assert countries == {spans[0]: "IRN", spans[1]: "USA", "the ACLU": None, "Tokyo": "JPN"}

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

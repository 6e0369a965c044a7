"""The coder's named rules, each alone: it fires on its own small sentence, is recorded on the
event, and with it switched off that event is gone; and the rule table's checks."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from dyadwatch.coding import RuleCoder
from dyadwatch.coding import rules as rules_module
from dyadwatch.coding.lexicon import read_table
from dyadwatch.coding.rules import RULES, code_table, load_rule_table
from dyadwatch.coding.words import word_class, word_list
from dyadwatch.errors import CoderError
from dyadwatch.records import Event

pytestmark = pytest.mark.slow

# rule -> (sentence, the event it yields as (source, target, code))
EXAMPLES: dict[str, tuple[str, tuple[str, str, str]]] = {
    "alternate-preposition": ("Japan sent aid for Romania.", ("JPN", "ROU", "070")),
    "owner-of-prep-object": (
        "Serbia opened an investigation into crimes committed by Croatian forces.",
        ("SRB", "HRVMIL", "090"),
    ),
    "object-preposition": ("France endorsed an agreement with Germany.", ("FRA", "DEU", "051")),
    "owner-of-object": ("Russia rejected a proposal made by Iran.", ("RUS", "IRN", "120")),
    "object-named-for-owner": ("Syria agreed to Russian mediation.", ("SYR", "RUS", "038")),
    "complement-target": (
        "Iran demanded that Israel release the prisoners.",
        ("IRN", "ISR", "100"),
    ),
    "threat-condition": (
        "Russia threatened to halt the talks unless Ukraine withdrew.",
        ("RUS", "UKR", "130"),
    ),
    "anti-protest": ("Anti-American protesters demonstrated.", ("---OPP", "USA", "141")),
    "protest-purpose": (
        "Farmers in France blocked a road to show their disapproval of German policies.",
        ("FRACVL", "DEU", "144"),
    ),
    "place-target": ("Students demonstrated in Serbia.", ("SRBCVL", "SRBGOV", "141")),
    "force-purpose": ("Iran mobilised reservists for a war against Iraq.", ("IRN", "IRQ", "154")),
    "own-authorities": (
        "Thousands of Kenyan students protested on Monday.",
        ("KENCVL", "KENGOV", "140"),
    ),
    "participle-subject": (
        "Turkey closed its border on Friday, accusing Syria of shelling its villages.",
        ("TUR", "SYR", "112"),
    ),
    "protesters-at-home": (
        "Protesters rallied against the Algerian government.",
        ("DZAOPP", "DZAGOV", "141"),
    ),
    "violent-place": (
        "Three American soldiers were killed by a roadside bomb near Baghdad.",
        ("IRQ", "USAMIL", "183"),
    ),
    "unnamed-attacker": (
        "Armed men killed twenty villagers near Algiers on Friday.",
        ("DZA", "DZACVL", "190"),
    ),
    "place-country": ("Police arrested twenty protesters in Moscow.", ("RUSGOV", "RUSOPP", "173")),
    "own-government": ("Russian students met with the government.", ("RUSCVL", "RUSGOV", "040")),
    "domestic-target": ("Turkey imposed a curfew in Istanbul.", ("TUR", "TUR", "1723")),
    "counterpart-home": (
        "Opposition leaders accused the Ukrainian president of fraud on Monday.",
        ("UKROPP", "UKRGOV", "112"),
    ),
    "drilling-together": (
        "French and Egyptian warships launched war games.",
        ("FRAMIL", "EGYMIL", "062"),
    ),
    "agreeing-on-a-view": (
        "France and Germany agreed that there was an urgent need for progress.",
        ("FRA", "DEU", "019"),
    ),
    "bomb-attack": (
        "Rebels wounded two Indian soldiers in a bomb attack.",
        ("INDREB", "INDMIL", "183"),
    ),
    "planned-act": ("Japan will send aid to Haiti.", ("JPN", "HTI", "033")),
    "refusal": ("Israel refused to meet Syrian officials.", ("ISR", "SYRGOV", "125")),
    "obligation": ("Russia said Sudan must return the helicopter.", ("RUS", "SDN", "100")),
    "nominal-attack": ("An Israeli air strike on Gaza killed five people.", ("ISR", "PSE", "190")),
    "bomb-blast": (
        "A car bomb tore through a crowded market in Moscow on Saturday, killing 28 people.",
        ("RUS", "RUSCVL", "183"),
    ),
    "nominal-event": (
        "Russia announced a suspension of air links with Georgia.",
        ("RUS", "GEO", "160"),
    ),
    "allegation": ("The United States claimed that Iran attacked Iraq.", ("USA", "IRN", "112")),
}


@cache
def coder(disabled: str = "") -> RuleCoder:
    return RuleCoder(disabled={disabled} if disabled else ())


def code(coder: RuleCoder, text: str) -> list[Event]:
    ((_, events),) = list(coder.code_texts([("s", text, None)]))
    return events


def triple(event: Event) -> tuple[str, str, str]:
    return str(event.source), str(event.target), event.code


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_rule_fires_alone_on_its_sentence(name: str) -> None:
    text, expected = EXAMPLES[name]
    fired = [e for e in code(coder(), text) if f"rule:{name}" in e.evidence.entries]
    assert expected in [triple(e) for e in fired]
    assert expected not in [triple(e) for e in code(coder(name), text)]


def test_every_rule_has_an_example_and_a_row() -> None:
    table = load_rule_table()
    assert sorted(table.names) == sorted(RULES) == sorted(EXAMPLES)


def test_a_disabled_rule_is_switched_off_and_an_unknown_one_is_an_error() -> None:
    table = load_rule_table({"bomb-attack"})
    assert not table.enabled("bomb-attack")
    assert "bomb-attack" not in [row.name for row in table.stage("rewrite")]
    with pytest.raises(CoderError, match=r"unknown rule.*'no-such-rule'.*bomb-attack"):
        RuleCoder(disabled={"no-such-rule"})


def test_rows_apply_to_their_roots_only() -> None:
    table = load_rule_table()
    names = [row.name for row in table.stage("target", "141")]
    assert "anti-protest" in names and "threat-condition" not in names
    assert [row.name for row in table.stage("rewrite", "193")] == ["bomb-attack"]
    assert table.stage("target")[0].name == "alternate-preposition"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[[target]]\nrule = "no-such-rule"\n', "not registered"),
        ('[[target]]\nrule = "bomb-attack"\n', "belongs to stage 'rewrite'"),
    ],
)
def test_a_bad_rule_table_is_an_error_naming_the_row(
    monkeypatch: pytest.MonkeyPatch, toml: str, message: str
) -> None:
    import tomllib

    monkeypatch.setattr(rules_module, "read_table", lambda name: tomllib.loads(toml))
    rules_module._rows.cache_clear()
    try:
        with pytest.raises(CoderError, match=rf"rules.toml \[\[target\]\] #1: .*{message}"):
            load_rule_table()
    finally:
        monkeypatch.undo()
        rules_module._rows.cache_clear()


def test_every_code_the_rules_write_is_a_cameo_code() -> None:
    cameo = {str(row["code"]) for row in read_table("cameo.toml")["code"]}
    written = {row.to for row in load_rule_table().stage("rewrite")}
    for name in ("intent-codes", "threat-codes", "rejections"):
        written |= set(code_table(name).values())
    assert written - cameo == set()


def test_word_classes_come_from_data() -> None:
    assert "barrel" in word_class("&measure") and "ied" in word_class("bomb")
    assert word_list("event-place")[0] == "against"
    with pytest.raises(CoderError, match=r"no word class '&weapons'.*measure"):
        word_class("&weapons")


def test_without_switches_rules_off_on_a_twin_sharing_the_parses() -> None:
    base = coder()
    text, expected = EXAMPLES["bomb-attack"]
    twin = base.without({"bomb-attack"})
    assert twin._parses is base._parses and base.rules.enabled("bomb-attack")
    assert expected not in [triple(e) for e in code(twin, text)]
    assert expected in [triple(e) for e in code(base, text)]


def test_the_design_doc_describes_every_rule() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "coder-design.md").read_text("utf-8")
    assert [name for name in RULES if f"`{name}`" not in doc] == []

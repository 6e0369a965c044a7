"""Every lexicon entry loads and resolves; codes, sectors and dates are valid."""

from __future__ import annotations

import tomllib
from datetime import date
from importlib import resources

import pytest

from dyadwatch.coding import RuleCoder
from dyadwatch.coding.lexicon import Lexicon
from dyadwatch.records import SECTORS, Actor, quad_class

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return RuleCoder().lexicon


def _data(name: str) -> dict[str, object]:
    text = resources.files("dyadwatch.coding.data").joinpath(name).read_text("utf-8")
    return tomllib.loads(text)


def test_lexicon_every_cameo_code_has_goldstein_quad_class_and_plover(lexicon: Lexicon) -> None:
    assert len(lexicon.cameo) >= 280
    for code, info in lexicon.cameo.items():
        assert code.isdigit() and 2 <= len(code) <= 4
        assert -10 <= info.goldstein <= 10
        assert quad_class(code) in (1, 2, 3, 4)
    assert lexicon.cameo["042"].goldstein == pytest.approx(1.9)
    assert lexicon.cameo["190"].plover == "ASSAULT"


def test_lexicon_every_root_has_verb_patterns(lexicon: Lexicon) -> None:
    roots = {pattern.code[:2] for patterns in lexicon.patterns.values() for pattern in patterns}
    assert roots >= {f"{root:02d}" for root in range(1, 21)}


def test_lexicon_every_name_resolves_to_a_valid_actor(lexicon: Lexicon) -> None:
    known = {row["code"] for row in _data("countries.toml")["country"]}  # type: ignore[index]
    known |= {row["code"] for row in _data("igos.toml")["igo"]}  # type: ignore[index]
    for when in (None, date(2005, 1, 1), date(2022, 6, 1)):
        for entry in lexicon.names.values():
            actor = entry.resolve(when)
            assert isinstance(actor, Actor)
            assert actor.sector in SECTORS
            assert actor.code in known or (entry.kind == "agent" and actor.code == ""), entry.key


def test_lexicon_covers_every_un_member(lexicon: Lexicon) -> None:
    codes = {entry.code for entry in lexicon.names.values() if entry.kind == "country"}
    assert len(codes) >= 195
    for code in ("RUS", "CHN", "USA", "UKR", "TWN", "HKG", "PSE", "XKX", "VAT"):
        assert code in codes


def test_lexicon_metonyms_and_capitals_are_government(lexicon: Lexicon) -> None:
    for name, code, sector in [
        (("kremlin",), "RUS", "GOV"),
        (("beijing",), "CHN", "GOV"),
        (("white", "house"), "USA", "GOV"),
        (("pentagon",), "USA", "MIL"),
        (("kyiv",), "UKR", "GOV"),
    ]:
        assert lexicon.names[name].resolve(None) == Actor(code, sector)


def test_lexicon_roles_follow_the_dates(lexicon: Lexicon) -> None:
    putin = lexicon.names[("putin",)]
    assert putin.resolve(date(2010, 1, 1)) == Actor("RUS", "GOV")
    taliban = lexicon.names[("taliban",)]
    assert taliban.resolve(date(2015, 1, 1)) == Actor("AFG", "REB")
    assert taliban.resolve(date(2022, 1, 1)) == Actor("AFG", "GOV")
    trump = lexicon.names[("donald", "trump")]
    assert trump.resolve(date(2018, 1, 1)) == Actor("USA", "GOV")
    assert trump.resolve(date(2023, 1, 1)).sector != "GOV"


def test_lexicon_every_nominalization_names_a_verb_with_patterns(lexicon: Lexicon) -> None:
    assert len(lexicon.nominal_verbs) >= 80
    for noun, verb in lexicon.nominal_verbs.items():
        assert lexicon.patterns.get(verb), f"{noun} -> {verb}"


def test_lexicon_historical_states_resolve_to_their_successors(lexicon: Lexicon) -> None:
    for name, code in [
        (("soviet", "union"), "RUS"),
        (("yugoslavia",), "SRB"),
        (("czechoslovakia",), "CZE"),
        (("european", "community"), "EUR"),
    ]:
        assert lexicon.names[name].resolve(None).code == code

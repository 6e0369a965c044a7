"""The rule coder, one test per grammatical phenomenon, on hand-written wire sentences."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import pytest

from dyadwatch.coding import RuleCoder
from dyadwatch.records import Event

pytestmark = pytest.mark.slow

DAY = date(2019, 4, 29)


@pytest.fixture(scope="module")
def coder() -> RuleCoder:
    return RuleCoder()


def code(coder: RuleCoder, text: str, when: date | None = DAY) -> list[Event]:
    ((_, events),) = list(coder.code_texts([("s", text, when)]))
    return events


def triples(events: list[Event], *, sectors: bool = False) -> set[tuple[str, str, str]]:
    if sectors:
        return {(str(e.source), str(e.target), e.code[:2]) for e in events}
    return {(e.source.code, e.target.code, e.code[:2]) for e in events}


def asserted(events: list[Event]) -> list[Event]:
    return [e for e in events if e.modality in ("asserted", "intent")]


def test_code_subject_verb_object(coder: RuleCoder) -> None:
    events = code(coder, "The Kremlin criticized Washington over the new sanctions.")
    assert triples(events, sectors=True) == {("RUSGOV", "USAGOV", "11")}
    (event,) = events
    assert event.modality == "asserted" and event.goldstein < 0 and event.quad_class == 3


def test_code_prepositional_target(coder: RuleCoder) -> None:
    events = code(coder, "The United States imposed new sanctions on Iran on Monday.")
    assert triples(events) == {("USA", "IRN", "16")}


def test_code_passive_with_by_agent(coder: RuleCoder) -> None:
    events = code(coder, "Chinese Vice-Premier Zhang Gaoli was received by Russia in Moscow.")
    assert ("RUS", "CHN", "04") in triples(events)


def test_code_passive_without_agent_invents_no_source(coder: RuleCoder) -> None:
    events = code(coder, "The Chinese ambassador was summoned on Tuesday.")
    assert all(event.target.code != "CHN" or event.source.code for event in events)
    assert not [e for e in events if e.source.code == "CHN"]


def test_code_coordinated_actors_multiply_events(coder: RuleCoder) -> None:
    events = code(coder, "The US, Russia and Switzerland met in Geneva yesterday.")
    assert {(s, t) for s, t, _ in triples(events)} == {
        ("USA", "RUS"), ("RUS", "USA"), ("USA", "CHE"), ("CHE", "USA"),
        ("RUS", "CHE"), ("CHE", "RUS"),
    }  # fmt: skip


def test_code_joint_action_holds_both_ways(coder: RuleCoder) -> None:
    events = code(coder, "Russia and China held joint naval drills in the East China Sea.")
    assert triples(events) == {("RUS", "CHN", "06"), ("CHN", "RUS", "06")}


def test_code_reported_speech_codes_the_embedded_event(coder: RuleCoder) -> None:
    events = code(coder, "Ukraine's foreign ministry said Russian troops shelled Kyiv.")
    assert ("RUS", "UKR", "19") in triples(events)
    assert not [e for e in events if e.code.startswith("01")]


def test_code_accuse_is_itself_an_event(coder: RuleCoder) -> None:
    events = code(coder, "Ukraine accused Russia of shelling civilian areas near Kharkiv.")
    assert ("UKR", "RUS", "11") in triples(events)


def test_code_received_aid_from_reverses_the_roles(coder: RuleCoder) -> None:
    events = code(coder, "Syria received weapons from Iran last year.")
    assert triples(events) == {("IRN", "SYR", "07")}


@pytest.mark.parametrize(
    "text",
    [
        "China did not condemn Russia over the invasion.",
        "China refused to condemn Russia over the invasion.",
        "Russia never attacked Ukraine, the minister claimed.",
    ],
)
def test_code_negated_and_refused_acts_are_not_asserted(coder: RuleCoder, text: str) -> None:
    events = code(coder, text)
    condemned = [e for e in events if e.code[:2] in ("11", "19")]
    assert condemned and all(event.modality == "negated" for event in condemned)
    # A refusal may itself be coded, as a rejection (12x), never as the refused act.
    assert all(e.code.startswith("12") for e in asserted(events))


def test_code_counterfactual_is_hypothetical(coder: RuleCoder) -> None:
    events = code(coder, "China vetoed a resolution that would have condemned Russia.")
    assert not [e for e in asserted(events) if e.code.startswith("11")]


def test_code_future_cooperation_is_an_intent(coder: RuleCoder) -> None:
    (event,) = code(coder, "China will send humanitarian aid to Syria.")
    assert event.code.startswith("03") and event.modality == "intent"


def test_code_future_attack_is_a_threat(coder: RuleCoder) -> None:
    events = code(coder, "Russia threatened to attack Ukraine.")
    assert {(e.source.code, e.target.code, e.code[:2], e.modality) for e in events} == {
        ("RUS", "UKR", "13", "intent")
    }


def test_code_metonymy_and_capitals_mean_government(coder: RuleCoder) -> None:
    events = code(coder, "Beijing welcomed the Kremlin's proposal on Monday.")
    assert all(e.source == events[0].source for e in events)
    events = code(coder, "Moscow condemned Kyiv for the attack.")
    assert triples(events, sectors=True) == {("RUSGOV", "UKRGOV", "11")}


def test_code_adjectives_and_agents_give_country_and_sector(coder: RuleCoder) -> None:
    events = code(coder, "Chinese troops clashed with Indian soldiers on the border.")
    assert triples(events, sectors=True) == {("CHNMIL", "INDMIL", "19"), ("INDMIL", "CHNMIL", "19")}


def test_code_titles_without_names(coder: RuleCoder) -> None:
    events = code(coder, "The Russian foreign minister met the Chinese defence minister.")
    assert ("RUSGOV", "CHNGOV", "04") in triples(events, sectors=True)


def test_code_dated_roles(coder: RuleCoder) -> None:
    text = "Donald Trump met Kim Jong Un in Hanoi."
    in_office = triples(code(coder, text, date(2019, 2, 27)), sectors=True)
    assert ("USAGOV", "PRKGOV", "04") in in_office
    out_of_office = triples(code(coder, text, date(2023, 2, 27)), sectors=True)
    assert ("USA", "PRKGOV", "04") in out_of_office


def test_code_sentence_without_two_actors_is_not_parsed(coder: RuleCoder) -> None:
    assert not coder.worth_parsing("The weather was fine and the markets rose on Monday.")
    assert coder.worth_parsing("Russia and China signed an energy agreement.")


def test_code_evidence_points_at_the_words(coder: RuleCoder) -> None:
    text = "The Kremlin criticized Washington over the new sanctions."
    (event,) = code(coder, text)
    evidence = event.evidence
    assert evidence.text == text
    assert text[slice(*evidence.verb_span)] == "criticized"
    assert evidence.source_span and "Kremlin" in text[slice(*evidence.source_span)]
    assert evidence.target_span and text[slice(*evidence.target_span)] == "Washington"
    assert evidence.coder == "rule.v1"
    assert any(entry.startswith("verbs.toml") for entry in evidence.entries)


def test_code_us_pronoun_is_not_the_united_states(coder: RuleCoder) -> None:
    events = code(coder, "Russia told us that China attacked nobody.")
    assert not [e for e in events if "USA" in (e.source.code, e.target.code)]


def test_code_attack_named_by_a_noun(coder: RuleCoder) -> None:
    events = code(coder, "A Russian missile strike on Kyiv killed five civilians on Monday.")
    assert ("RUS", "UKR", "19") in triples(events)


def test_code_acts_done_together_are_joint(coder: RuleCoder) -> None:
    events = code(coder, "Russia and China launched a naval drill together in the Yellow Sea.")
    assert triples(events) == {("RUS", "CHN", "06"), ("CHN", "RUS", "06")}


def test_code_target_of_an_agreed_act_sits_in_the_complement(coder: RuleCoder) -> None:
    events = asserted(code(coder, "The United States agreed to lift sanctions on Iran."))
    assert {(e.source.code, e.target.code) for e in events} == {("USA", "IRN")}


def test_code_subject_of_a_bare_complement_is_the_object(coder: RuleCoder) -> None:
    events = code(coder, "Russia is helping China build an early warning system.")
    assert triples(events) == {("RUS", "CHN", "07")}


def test_code_protest_without_target_is_aimed_at_own_authorities(coder: RuleCoder) -> None:
    events = code(coder, "Thousands of Egyptian demonstrators rioted in Cairo on Friday.")
    assert ("EGY", "EGY", "14") in triples(events)


def test_code_act_on_own_ground_targets_the_sources_country(coder: RuleCoder) -> None:
    events = code(coder, "Turkish authorities imposed a curfew in the town of Cizre on Tuesday.")
    (event,) = events
    assert (event.source.code, event.target.code, event.code[:2]) == ("TUR", "TUR", "17")
    assert "rule:domestic-target" in event.evidence.entries


def test_code_no_domestic_target_when_the_clause_names_another_country(
    coder: RuleCoder,
) -> None:
    events = code(coder, "Russia closed its border crossings with Finland on Friday.")
    assert all(event.target.code != "RUS" for event in events)


def test_code_unnamed_agents_belong_to_the_place_of_the_act(coder: RuleCoder) -> None:
    events = code(coder, "Police arrested 20 opposition activists in Moscow on Saturday.")
    assert triples(events, sectors=True) == {("RUSGOV", "RUSOPP", "17")}


def test_code_what_another_must_do_is_a_demand(coder: RuleCoder) -> None:
    events = asserted(code(coder, "Russia said on Tuesday that Sudan must return the helicopter."))
    assert triples(events) == {("RUS", "SDN", "10")}
    should = asserted(code(coder, "Germany said Japan should open its rice market."))
    assert triples(should) == {("DEU", "JPN", "02")}


def test_code_threat_aimed_at_the_party_named_in_its_condition(coder: RuleCoder) -> None:
    text = "Iran threatened to launch a new offensive unless Baghdad accepted its conditions."
    assert ("IRN", "IRQ", "13") in triples(asserted(code(coder, text)))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Italy announced a suspension of air links with Serbia.", ("ITA", "SRB", "16")),
        ("The US announced the withdrawal of its troops from Syria.", ("USA", "SYR", "08")),
    ],
)
def test_code_act_named_by_a_noun_under_a_carrier_verb(
    coder: RuleCoder, text: str, expected: tuple[str, str, str]
) -> None:
    events = code(coder, text)
    assert expected in triples(events)
    assert any("+noun:" in e.evidence.entries[0] for e in events)


def test_code_relations_cut_with_a_partner(coder: RuleCoder) -> None:
    events = code(coder, "Italy suspended air links with Serbia on Wednesday.")
    assert triples(events) == {("ITA", "SRB", "16")}


def test_code_adjective_agent_does_not_make_a_thing_an_actor(coder: RuleCoder) -> None:
    text = "Iran threatened to launch a military offensive unless Baghdad accepted its terms."
    events = asserted(code(coder, text))
    assert ("IRN", "IRQ", "13") in triples(events)
    assert not [e for e in events if e.source == e.target]


def test_code_ethnic_group_protesting_takes_the_place(coder: RuleCoder) -> None:
    events = code(coder, "Up to 100 ethnic Albanians demonstrated on Tuesday in Serbia.")
    assert {(e.source.code, e.target.code, e.code[:2]) for e in events} == {("SRB", "SRB", "14")}


def test_code_forces_of_two_states_drilling_cooperate(coder: RuleCoder) -> None:
    text = "French and Egyptian warships on Monday launched ten days of war games at sea."
    assert triples(code(coder, text)) == {("FRA", "EGY", "06"), ("EGY", "FRA", "06")}


def test_code_recipient_as_object_with_the_thing_given(coder: RuleCoder) -> None:
    events = code(coder, "The United States provided Israel with precision-guided munitions.")
    assert triples(events) == {("USA", "ISR", "07")}


def test_code_amount_in_aid_to_a_recipient(coder: RuleCoder) -> None:
    events = asserted(
        code(coder, "Germany pledged 500 million euros in humanitarian aid to Ukraine.")
    )
    assert ("DEU", "UKR", "03") in triples(events)


def test_code_act_urged_on_another_is_theirs_and_not_done(coder: RuleCoder) -> None:
    events = code(coder, "Turkey's foreign minister called on Sweden to crack down on militants.")
    assert ("TUR", "SWE", "02") in triples(asserted(events))
    assert all(e.source.code != "TUR" or e.code[:2] == "02" for e in asserted(events))


def test_code_missiles_fired_into_the_sea_have_no_victim(coder: RuleCoder) -> None:
    events = code(coder, "North Korea fired two ballistic missiles into the sea on Sunday.")
    assert not [e for e in events if e.code[:2] in ("18", "19", "20")]


def test_code_troops_sent_to_a_border_point_at_the_neighbour(coder: RuleCoder) -> None:
    events = code(coder, "Poland deployed additional troops to its border with Belarus.")
    assert triples(events) == {("POL", "BLR", "15")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The rebels refused to allow United Nations planes to land.", ("UN", "12")),
        ("Israel's president refused to meet Jordan's King Abdullah.", ("JOR", "12")),
        ("Obama said he would not provide support to Israel.", ("ISR", "12")),
    ],
)
def test_code_refusing_a_cooperative_act_is_a_rejection(
    coder: RuleCoder, text: str, expected: tuple[str, str]
) -> None:
    events = asserted(code(coder, text))
    assert {(e.target.code, e.code[:2]) for e in events} == {expected}


def test_code_future_refusal_names_the_rule(coder: RuleCoder) -> None:
    (event,) = asserted(code(coder, "Obama said he would not provide support to Israel."))
    assert "rule:refusal" in event.evidence.entries


def test_code_act_not_done_is_not_a_rejection(coder: RuleCoder) -> None:
    assert asserted(code(coder, "Obama did not provide support to Israel last year.")) == []


def test_code_predicate_adjectives_are_comments(coder: RuleCoder) -> None:
    text = "Ozal said he was confident that the United States would remove the irritants."
    assert ("TUR", "USA", "01") in triples(code(coder, text, date(1990, 1, 1)))
    assert triples(code(coder, "Japan is concerned about China's military buildup.")) == {
        ("JPN", "CHN", "01")
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Palestinian riots against Israeli policies continued on Friday.", ("PSE", "ISR", "14")),
        ("Mass Iranian protests against the United States erupted.", ("IRN", "USA", "14")),
    ],
)
def test_code_protest_named_by_a_noun(
    coder: RuleCoder, text: str, expected: tuple[str, str, str]
) -> None:
    assert triples(code(coder, text)) == {expected}


def test_code_clause_demanding_is_its_issuers_demand(coder: RuleCoder) -> None:
    text = "The PKK issued a declaration demanding that the Turkish government free its leader."
    assert ("TUR", "TUR", "10") in triples(code(coder, text))


def test_code_anti_prefix_names_the_opponent_not_the_actor(coder: RuleCoder) -> None:
    assert triples(code(coder, "Anti-American protesters rallied in Cairo.")) == {
        ("EGY", "USA", "14")
    }
    text = "An anti-Syria journalist was killed by a car bomb in Beirut."
    assert not [e for e in code(coder, text) if "SYR" in (e.source.code, e.target.code)]


def test_code_unclaimed_violence_against_foreigners_comes_from_its_place(
    coder: RuleCoder,
) -> None:
    events = code(coder, "Three US servicemen were killed by a roadside bomb outside Basra.")
    assert triples(events) == {("IRQ", "USA", "18")}
    assert "rule:place-as-source" in events[0].evidence.entries


def test_code_engaged_in_is_done_by_its_subject(coder: RuleCoder) -> None:
    text = "Serb forces were engaged in ethnic cleansing against Albanians in Kosovo."
    assert {e.source.code for e in code(coder, text)} == {"SRB"}


def test_code_residents_are_placed_by_where_they_live(coder: RuleCoder) -> None:
    text = "The Albanians of southern Serbia demanded autonomy from Serbian authorities."
    assert triples(code(coder, text), sectors=True) == {("SRBCVL", "SRBGOV", "10")}


def test_code_protest_aimed_at_whom_its_purpose_names(coder: RuleCoder) -> None:
    text = "Demonstrators in Baghdad blocked a road to show their anger at US policies."
    assert triples(code(coder, text)) == {("IRQ", "USA", "14")}


def test_code_particle_reading_wins_without_a_counterpart(coder: RuleCoder) -> None:
    events = code(coder, "The teachers' union in Nigeria said it has called off its strike.")
    assert {e.code[:3] for e in events} == {"082"}


def test_code_prepared_to_act_is_an_intent(coder: RuleCoder) -> None:
    (event,) = code(coder, "Iraq's government announced it is prepared to impose martial law.")
    assert event.modality == "intent" and event.code.startswith("13")


def test_code_act_demanded_in_a_that_clause_is_not_done(coder: RuleCoder) -> None:
    text = "The State Department demanded that Russia release the detained journalist."
    events = code(coder, text)
    assert triples(asserted(events)) == {("USA", "RUS", "10")}
    assert {e.modality for e in events if e.code[:2] == "08"} <= {"hypothetical"}


def test_code_foreign_people_are_not_the_locals(coder: RuleCoder) -> None:
    (event,) = code(coder, "The Taliban detained two foreign aid workers in Kabul.")
    assert (event.source.code, event.target.code) == ("AFG", "")


def test_code_protest_at_a_symbol_targets_its_owner(coder: RuleCoder) -> None:
    text = "Protesters in Tehran burned American flags outside the former embassy."
    assert triples(code(coder, text)) == {("IRN", "USA", "14")}


def test_code_refused_treaty_targets_its_author(coder: RuleCoder) -> None:
    text = "Armenia refused to sign the peace treaty proposed by Azerbaijan."
    assert triples(asserted(code(coder, text))) == {("ARM", "AZE", "12")}


def test_code_wanting_another_to_act_is_an_appeal(coder: RuleCoder) -> None:
    events = code(coder, "Obama wants Putin to attack Switzerland.")
    assert triples(asserted(events)) == {("USA", "RUS", "02")}
    assert [e.modality for e in events if e.code[:2] == "19"] == ["hypothetical"]


def test_code_wanting_to_act_oneself_is_an_intent(coder: RuleCoder) -> None:
    events = code(coder, "United Nations inspectors want to re-examine the refineries in Iran.")
    assert [(e.target.code, e.modality) for e in events] == [("IRN", "intent")]


def test_code_evidence_presented_against_is_an_accusation(coder: RuleCoder) -> None:
    assert triples(code(coder, "The US presented evidence against Russia.")) == {
        ("USA", "RUS", "11")
    }


def test_code_ratifying_is_one_sided(coder: RuleCoder) -> None:
    events = code(coder, "Ukraine ratified a sweeping agreement with the European Union.")
    assert triples(events) == {("UKR", "EUR", "05")}


def test_code_claiming_another_did_harm_is_an_accusation(coder: RuleCoder) -> None:
    events = code(coder, "Russia claimed that Ukraine shelled the nuclear plant.")
    assert triples(events) == {("RUS", "UKR", "11")}


def test_code_claiming_ones_own_attack_is_claiming_responsibility(coder: RuleCoder) -> None:
    events = code(coder, "The US claimed that they had attacked Iraq.")
    assert {e.code for e in events if e.code.startswith("01")} == {"015"}


def test_code_first_name_misparsed_as_a_preposition(coder: RuleCoder) -> None:
    text = "Barack Obama and Vladimir Putin will meet in Zurich next week."
    events = code(coder, text, date(2015, 3, 1))
    assert triples(events) == {("USA", "RUS", "03"), ("RUS", "USA", "03")}


def test_code_counted_people_coordinate(coder: RuleCoder) -> None:
    text = "Security forces in Guinea tortured scores of Sierra Leonean and Liberian refugees."
    assert {e.target.code for e in code(coder, text)} == {"SLE", "LBR"}


def test_code_arabic_article_variants_name_the_same_person(coder: RuleCoder) -> None:
    text = "President Omar El Bashir shortened the nightly curfew imposed in Sudan."
    assert triples(code(coder, text, date(1990, 1, 1))) == {("SDN", "SDN", "08")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Albania on Friday denounced as an ugly crime Serbia's suppression of the unrest.",
            ("ALB", "SRB", "11"),
        ),
        (
            "Britain mobilized army reservists for a possible war against Iraq.",
            ("GBR", "IRQ", "15"),
        ),
        (
            "The US is providing photographs and military intelligence to Macedonia.",
            ("USA", "MKD", "06"),
        ),
    ],
)
def test_code_shifted_objects_purposes_and_coordinated_objects(
    coder: RuleCoder, text: str, expected: tuple[str, str, str]
) -> None:
    assert triples(code(coder, text)) == {expected}


def test_code_conjunct_after_a_passive_shares_its_subject(coder: RuleCoder) -> None:
    text = "Montenegro's prime minister has been indicted by a UN court and will resign."
    events = code(coder, text)
    assert not [e for e in events if e.source.code == "UN" and e.code[:2] == "08"]


def test_code_participle_acts_for_the_noun_it_modifies(coder: RuleCoder) -> None:
    text = "Liberian riot police dispersed demonstrators protesting election results in Monrovia."
    assert ("LBR", "LBR", "14") in triples(code(coder, text))
    helicopter = "A Serbian jet shot down a helicopter carrying EC monitors."
    assert not [e for e in code(coder, helicopter) if e.code[:2] == "08"]


def test_code_conjuncts_in_a_complement_share_its_modality(coder: RuleCoder) -> None:
    text = (
        "The UN passed a resolution that aims to tighten sanctions and impose a blockade on Serbia."
    )
    assert all(e.modality != "asserted" for e in code(coder, text) if e.target.code == "SRB")


def test_code_investigation_into_acts_of_another(coder: RuleCoder) -> None:
    text = "Serbian police launched an investigation into crimes committed by Croat forces."
    assert triples(code(coder, text)) == {("SRB", "HRV", "09")}
    against = "Chilean judges opened fraud investigations against officials in Santiago."
    assert triples(code(coder, against)) == {("CHL", "CHL", "09")}


def test_code_being_opposed_to_is_a_rejection(coder: RuleCoder) -> None:
    text = "Israel is opposed to French mediation in the talks with Syria."
    assert triples(code(coder, text)) == {("ISR", "FRA", "12")}


def test_code_led_forces_and_fire_against_coordinated_objects(coder: RuleCoder) -> None:
    text = (
        "Vietnamese-led forces launched artillery, mortar, and rocket fire "
        "against Kampuchean camps."
    )
    assert triples(code(coder, text)) == {("VNM", "KHM", "19")}


def test_code_threat_of_violence_in_a_country(coder: RuleCoder) -> None:
    text = "Hamas threatened to resume attacks in Israel."
    assert ("PSE", "ISR", "13") in triples(code(coder, text))


def test_code_troops_on_alert_in_a_place(coder: RuleCoder) -> None:
    text = "Israeli troops remained on alert in the occupied West Bank."
    assert triples(code(coder, text)) == {("ISR", "PSE", "15")}


def test_code_assurances_received_come_from_the_giver(coder: RuleCoder) -> None:
    text = "Kyiv received security guarantees from Washington on Monday."
    assert triples(code(coder, text)) == {("USA", "UKR", "03")}


def test_code_intended_joint_act_is_the_speakers_intent(coder: RuleCoder) -> None:
    text = "France said it was determined to mend its damaged ties with Rwanda."
    events = code(coder, text)
    assert [(e.source.code, e.target.code, e.modality) for e in events] == [
        ("FRA", "RWA", "intent")
    ]


def test_code_violence_done_with_a_bomb_is_a_bombing(coder: RuleCoder) -> None:
    text = "Irish guerrillas wounded two British soldiers in a bomb attack on Thursday."
    assert {e.code for e in code(coder, text)} == {"183"}
    assert {e.code for e in code(coder, "Israeli troops killed two gunmen in Jenin.")} <= {"190"}


def test_code_agreeing_on_a_view_is_accord_and_on_a_plan_is_intent(coder: RuleCoder) -> None:
    view = "Reagan and Mubarak agreed today there was an urgent need for progress."
    assert {e.code for e in code(coder, view, date(1985, 1, 1))} == {"019"}
    plan = "Hungarian and Romanian officials agreed that their countries should cooperate."
    assert {e.code[:2] for e in code(coder, plan)} == {"03"}


def test_code_accepting_mediation_names_the_mediator(coder: RuleCoder) -> None:
    text = "Israel's prime minister has agreed to US mediation in the talks."
    assert triples(code(coder, text)) == {("ISR", "USA", "03")}


def test_code_effort_named_for_its_act(coder: RuleCoder) -> None:
    text = "Qatar's emir launched a mediation effort between the Emirates and Saudi Arabia."
    assert triples(code(coder, text)) == {("QAT", "ARE", "04"), ("QAT", "SAU", "04")}


def test_code_welcome_given_is_hosting_and_defence_against_criticism(coder: RuleCoder) -> None:
    welcome = "Mitterrand gave a warm welcome on Thursday to South African leader de Klerk."
    assert triples(code(coder, welcome, date(1990, 5, 1))) == {("FRA", "ZAF", "04")}
    defence = "Arafat defended Iraq and Libya on Friday against Western criticism."
    assert triples(code(coder, defence, date(1990, 5, 1))) == {
        ("PSE", "IRQ", "05"),
        ("PSE", "LBY", "05"),
    }


def test_code_promised_reform_is_an_intent_to_reform(coder: RuleCoder) -> None:
    (event,) = code(coder, "Serbia's president promised to democratize Serbia.")
    assert (event.code, event.modality) == ("0344", "intent")


def test_code_people_affiliated_with_a_group_take_its_country(coder: RuleCoder) -> None:
    text = "Workers affiliated with the Serbian Workers' Union stopped work on Monday."
    assert triples(code(coder, text)) == {("SRB", "SRB", "14")}


def test_code_unnamed_protesters_belong_to_the_government_they_oppose(
    coder: RuleCoder,
) -> None:
    text = "Islamic fundamentalists continued their hunger strike to demand the resignation of "
    text += "the Algerian president."
    assert triples(code(coder, text)) == {("DZA", "DZA", "14")}


def test_code_condolences_for_a_shooting_at_home(coder: RuleCoder) -> None:
    text = "President Obama expressed sorrow for the shootings in South Carolina."
    assert triples(code(coder, text, date(2015, 6, 18))) == {("USA", "USA", "01")}


def test_code_curly_apostrophes_in_names(coder: RuleCoder) -> None:
    text = (
        "In 1949 the Soviet Union and the People’s Republic of China opened diplomatic relations."
    )
    assert {e.target.code for e in code(coder, text)} == {"CHN", "RUS"}


def test_code_access_denied_to_someone_is_a_rejection(coder: RuleCoder) -> None:
    events = code(coder, "Hungary denied access to Ukrainian officials.")
    assert triples(events) == {("HUN", "UKR", "12")}


def test_code_figurative_war_is_not_a_fight(coder: RuleCoder) -> None:
    events = code(coder, "The United States waged a trade war with China for two years.")
    assert not [e for e in events if e.code[:2] in ("18", "19", "20")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russia and China held joint naval drills on Monday.", date(2024, 4, 29)),
        ("China accused Japan yesterday of provocations.", date(2024, 4, 30)),
        ("Putin visited Beijing on April 12.", date(2024, 4, 12)),
        ("Putin visited Beijing.", date(2024, 5, 1)),
    ],
)
def test_code_event_date_reads_relative_days_against_publication(
    coder: RuleCoder, text: str, expected: date
) -> None:
    events = code(coder, text, date(2024, 5, 1))  # a Wednesday
    assert events and {event.date for event in events} == {expected}


def test_a_reposted_sentence_is_parsed_once_and_coded_with_its_own_ids(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from dyadwatch.coding import coder as coder_module

    monkeypatch.setattr(coder_module, "PARSE_CACHE", 8)  # chunks of 2: evictions mid-call
    coder = RuleCoder()
    parsed: list[str] = []
    pipe = coder.nlp.pipe

    def counting_pipe(texts: list[str], **options: object) -> object:
        parsed.extend(texts)
        return pipe(texts, **options)

    monkeypatch.setattr(coder.nlp, "pipe", counting_pipe)
    countries = ["Russia", "China", "India", "Japan", "France", "Brazil", "Turkey", "Iran"]
    texts = [f"{a} signed an agreement with {b}." for a, b in pairwise(countries)]
    first = dict(coder.code_texts((f"a{n}", t, date(2024, 5, 1)) for n, t in enumerate(texts)))
    again = dict(coder.code_texts((f"b{n}", t, date(2024, 6, 1)) for n, t in enumerate(texts)))
    assert sorted(parsed) == sorted(texts)  # each text parsed once, the repost from the cache
    for n in range(len(texts)):
        ones, twos = first[f"a{n}"], again[f"b{n}"]
        assert ones and [(e.source, e.target, e.code) for e in ones] == [
            (e.source, e.target, e.code) for e in twos
        ]
        assert {e.sentence_id for e in ones} == {f"a{n}"} and {e.sentence_id for e in twos} == {
            f"b{n}"
        }
        assert not {e.event_id for e in ones} & {e.event_id for e in twos}
        assert {e.date for e in twos} == {date(2024, 6, 1)}


def test_code_unnamed_agents_are_placed_by_the_dateline(coder: RuleCoder) -> None:
    text = "BAGHDAD (Reuters) - Police arrested dozens of protesters on Monday."
    events = code(coder, text)
    assert ("IRQGOV", "IRQOPP", "17") in triples(events, sectors=True)
    assert "rule:place" in events[0].evidence.entries


def test_code_unnamed_agents_are_placed_by_the_sentence_places(coder: RuleCoder) -> None:
    # The place hangs off the first clause; the arrests in the second happen there too.
    text = "Clashes broke out in Kiev on Sunday and riot police detained dozens of protesters."
    assert ("UKRGOV", "UKROPP", "17") in triples(code(coder, text), sectors=True)


def test_code_the_place_of_the_act_outranks_the_dateline(coder: RuleCoder) -> None:
    text = "MOSCOW (Reuters) - Police detained dozens of protesters in Kiev on Sunday."
    assert triples(code(coder, text)) == {("UKR", "UKR", "17")}


def test_code_places_in_two_countries_place_no_one(coder: RuleCoder) -> None:
    text = "Clashes broke out in Kiev and Minsk on Sunday and riot police detained protesters."
    assert not code(coder, text)


def test_code_attackers_and_unions_are_agents_placed_by_context(coder: RuleCoder) -> None:
    attack = code(coder, "BAGHDAD (Reuters) - Attackers killed two policemen on Monday.")
    assert {(str(e.source), str(e.target)) for e in attack} == {("IRQREB", "IRQGOV")}
    strike = "Unions in Nigeria staged a general strike against the government on Monday."
    assert ("NGACVL", "NGAGOV", "14") in triples(code(coder, strike), sectors=True)


def test_code_ferrying_relief_supplies_is_humanitarian_aid(coder: RuleCoder) -> None:
    text = "Japan ferried relief supplies to Indonesia on Tuesday."
    assert ("JPN", "IDN", "07") in triples(code(coder, text))


def test_code_double_object_the_thing_fits_the_pattern_and_the_recipient_is_the_target(
    coder: RuleCoder,
) -> None:
    # "handed the IAEA a dossier": the dossier is what is shared (064), the IAEA receives it.
    text = "Iran handed the International Atomic Energy Agency a dossier on Thursday."
    assert {(e.source.code, e.target.code, e.code) for e in code(coder, text)} == {
        ("IRN", "UN", "064")
    }


def test_code_an_object_parsed_far_off_is_no_double_object(coder: RuleCoder) -> None:
    # spaCy hangs "air strikes" on "signed": not a thing given to the agreement.
    text = (
        "Iraq and the United Nations signed an agreement in Baghdad on Monday giving weapons"
        " inspectors access to eight sites, a deal that averted, at least for now, U.S. and"
        " British air strikes that had appeared imminent."
    )
    assert ("IRQ", "UN", "05") in triples(code(coder, text))


def test_code_a_deadline_given_to_another_party_is_an_ultimatum(coder: RuleCoder) -> None:
    text = "Taiwan gave Manila 72 hours on Saturday to apologise or face sanctions."
    assert {(e.source.code, e.target.code, e.code) for e in code(coder, text)} == {
        ("TWN", "PHL", "139")
    }


def test_code_a_deadline_given_to_ones_own_officials_is_no_domestic_ultimatum(
    coder: RuleCoder,
) -> None:
    text = "BANGKOK (Reuters) - The Thai prime minister gave officials 30 days to end the epidemic."
    assert not [e for e in code(coder, text) if e.code.startswith("13")]


def test_code_signing_a_truce_is_signing_an_agreement(coder: RuleCoder) -> None:
    text = "Uganda and Sudan signed a truce in Juba on Saturday."
    assert ("UGA", "SDN", "05") in triples(code(coder, text))


def test_code_a_body_suspending_a_state_reduces_relations_with_it(coder: RuleCoder) -> None:
    # The pattern's ``&state`` object is a country mention, not a word.
    text = "The African Union suspended the Central African Republic on Monday."
    assert {(e.source.code, e.target.code, e.code) for e in code(coder, text)} == {
        ("AU", "CAF", "160")
    }
    assert not code(coder, "China suspended Bo Xilai from the Politburo on Tuesday.")


def test_code_relief_flown_in_is_humanitarian_aid(coder: RuleCoder) -> None:
    text = "Cuba and Venezuela flew doctors, food and fuel into Port-au-Prince on Wednesday."
    assert {("CUB", "HTI", "073"), ("VEN", "HTI", "073")} <= {
        (e.source.code, e.target.code, e.code) for e in code(coder, text)
    }
    assert ("RUS", "VEN", "07") not in triples(code(coder, "Russia flew bombers to Venezuela."))


def test_code_taking_in_refugees_is_granting_refuge(coder: RuleCoder) -> None:
    text = "Uzbekistan has taken in about 75,000 refugees from southern Kyrgyzstan."
    assert ("UZB", "KGZ", "07") in triples(code(coder, text))
    # "in" a preposition, not the particle: no refuge.
    assert not code(coder, "A European Union force took over peacekeeping in Bosnia from Nato.")


def test_resolving_any_noun_of_a_sentence_ends(coder: RuleCoder) -> None:
    """A mention reached from a head that does not govern it climbs to the root and stops.

    spaCy makes a new ``Token`` per ``.head`` access, so an identity test never saw the root
    as its own head: resolving "villagers" here looped for ever."""
    import signal

    from dyadwatch.coding.actors import find_mentions, resolve

    text = (
        "Shining Path guerrillas hacked and shot to death 62 villagers, many of them Ashaninka "
        "Indians, in a raid on settlements in the central jungle province of Satipo, police said."
    )
    doc = coder.nlp(text)
    mentions_at = {
        i: mention
        for mention in find_mentions(doc, coder.lexicon)
        for i in range(mention.start, mention.end)
    }

    def too_long(*_: object) -> None:
        raise TimeoutError("resolve looped")

    previous = signal.signal(signal.SIGALRM, too_long)
    signal.alarm(10)
    try:
        resolved = [resolve(token, mentions_at, None) for token in doc if token.pos_ == "NOUN"]
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert any(found is not None and found.actor.code == "PER" for found in resolved)

"""GDELT and ICEWS files in, GDELT and PLOVER out: on hand-written rows and the public samples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dyadwatch.analysis.alerts import find_alerts
from dyadwatch.analysis.series import dyad_series
from dyadwatch.interop import export_events, import_files
from dyadwatch.interop.gdelt import read_gdelt
from dyadwatch.interop.icews import read_icews
from dyadwatch.records import Event, Skipped
from dyadwatch.store import Store


def gdelt_row(
    event_id: int,
    day: str,
    a1: tuple[str, str, str],
    a2: tuple[str, str, str],
    code: str,
    goldstein: str,
    url: str,
) -> str:
    row = [""] * 61
    row[0], row[1] = str(event_id), day
    row[5], row[7], row[12] = a1[0], a1[1], a1[2]
    row[15], row[17], row[22] = a2[0], a2[1], a2[2]
    row[26], row[30], row[60] = code, goldstein, url
    return "\t".join(row)


def test_gdelt_rows_keep_codes_as_strings_and_name_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "20240101.export.CSV"
    path.write_text(
        "\n".join(
            [
                gdelt_row(
                    1,
                    "20240101",
                    ("RUSGOV", "RUS", "GOV"),
                    ("CHN", "CHN", ""),
                    "42",
                    "1.9",
                    "https://example.org/a",
                ),
                gdelt_row(
                    2,
                    "20240102",
                    ("USAMIL", "USA", "MIL"),
                    ("IRN", "IRN", ""),
                    "",
                    "-10",
                    "https://example.org/b",
                ),
                gdelt_row(3, "20240102", ("", "", ""), ("", "", ""), "190", "-10", ""),
                "1\t2\t3",
            ]
        ),
        encoding="utf-8",
    )
    items = list(read_gdelt(path))
    events = [i for i in items if isinstance(i, Event)]
    skipped = [i for i in items if isinstance(i, Skipped)]
    (event,) = events
    assert (event.source.code, event.source.sector, event.target.code) == ("RUS", "GOV", "CHN")
    assert event.code == "042" and event.quad_class == 1 and event.evidence.coder == "gdelt"
    assert [s.item for s in skipped] == [f"{path.name}:2", f"{path.name}:3", f"{path.name}:4"]
    assert "no CAMEO code" in skipped[0].reason and "columns" in skipped[2].reason


ICEWS_HEADER = (
    "Event ID\tEvent Date\tSource Name\tSource Sectors\tSource Country\tEvent Text\tCAMEO Code\t"
    "Intensity\tTarget Name\tTarget Sectors\tTarget Country\tStory ID\tSentence Number\tPublisher"
)


def test_icews_names_become_codes_and_duplicate_ids_stay_apart(tmp_path: Path) -> None:
    path = tmp_path / "events.2018.tab"
    rows = [
        "1\t2018-06-01\tGovernment (Japan)\tGovernment\tJapan\tConsult\t040\t1\t"
        "Vietnam\tNA\tVietnam\t10\t1\tKyodo",
        "1\t2018-06-02\tMilitary (United States)\tMilitary\tUnited States\tFight\t190\t-10\t"
        "Syria\tNA\tSyria\t11\t2\tAFP",
        "2\t2018-06-02\tSomeone\tNA\tNA\tSay\t\t0\tSomeone\tNA\tNA\t12\t1\tAFP",
    ]
    path.write_text("\n".join([ICEWS_HEADER, *rows]) + "\n", encoding="utf-8")
    items = list(read_icews(path))
    first, second, bad = items
    assert isinstance(first, Event) and isinstance(second, Event)
    assert (first.source.code, first.source.sector, first.target.code) == ("JPN", "GOV", "VNM")
    assert (second.source.code, second.source.sector, second.code) == ("USA", "MIL", "190")
    assert first.event_id != second.event_id  # ICEWS reuses Event ID 1
    assert isinstance(bad, Skipped) and "no CAMEO code" in bad.reason


def test_gdelt_export_reads_back_as_the_same_events(tmp_path: Path) -> None:
    source = tmp_path / "in.export.CSV"
    source.write_text(
        "\n".join(
            gdelt_row(
                n,
                f"202401{d:02d}",
                ("RUS", "RUS", ""),
                ("UKR", "UKR", "MIL"),
                code,
                g,
                f"https://example.org/{n}",
            )
            for n, d, code, g in [(1, 1, "190", "-10"), (2, 3, "042", "1.9"), (3, 9, "0874", "9")]
        ),
        encoding="utf-8",
    )
    with Store(tmp_path / "a.duckdb") as store:
        summary = import_files(store, "gdelt", [source])
        assert (summary.read, summary.added) == (3, 3)
        assert import_files(store, "gdelt", [source]).added == 0  # re-import adds nothing
        exported = export_events(store, tmp_path / "out", "gdelt")
        before = {
            (e["date"], e["source"], e["target"], e["code"], e["goldstein"]) for e in store.events()
        }
    assert all(len(line.split("\t")) == 61 for line in exported.read_text().splitlines())
    with Store(tmp_path / "b.duckdb") as again:
        import_files(again, "gdelt", [exported])
        after = {
            (e["date"], e["source"], e["target"], e["code"], e["goldstein"]) for e in again.events()
        }
    assert after == before


def test_plover_export_has_types_modes_and_actors(tmp_path: Path) -> None:
    source = tmp_path / "in.export.CSV"
    source.write_text(
        gdelt_row(7, "20240105", ("USA", "USA", "GOV"), ("IRN", "IRN", ""), "163", "-8", "u"),
        encoding="utf-8",
    )
    with Store(tmp_path / "p.duckdb") as store:
        import_files(store, "gdelt", [source])
        path = export_events(store, tmp_path, "plover")
    (record,) = [json.loads(line) for line in path.read_text().splitlines()]
    assert record["event"] == "COERCE" and record["cameo"] == "163" and record["mode"] == ""
    assert record["source"] == {"code": "USA", "sector": "GOV"} and record["date"] == "2024-01-05"


@pytest.mark.parametrize(
    ("kind", "sample", "dyad"),
    [
        ("icews", "icews/events.2018.sample.tab", ("USA", "PRK")),
        ("gdelt", "UNDP-BCPR-Project/aug2012.csv", ("GEO", "RUS")),
        ("gdelt", "gdelt_fetcher/20240819130000.export.csv", ("RUS", "USA")),
    ],
)
def test_public_samples_import_with_series_and_alerts(
    anchors_dir: Path, tmp_path: Path, kind: str, sample: str, dyad: tuple[str, str]
) -> None:
    path = anchors_dir / sample
    with Store(tmp_path / "sample.duckdb") as store:
        summary = import_files(store, kind, [path])
        assert summary.read > 20 and summary.added > 0
        series = dyad_series(store, *dyad, freq="day")
        assert series.points and all(0 < p.share <= 1 for p in series.points)
        store.save_alerts(find_alerts(store, freq="day"))
        assert store.save_alerts(find_alerts(store, freq="day")) == 0
        assert all(alert["events"] for alert in store.alerts())
        exported = export_events(store, tmp_path / "out", "gdelt")
        plover = export_events(store, tmp_path / "out", "plover")
        assert len(plover.read_text(encoding="utf-8").splitlines()) == len(store.events())
    with Store(tmp_path / "back.duckdb") as back:
        assert import_files(back, "gdelt", [exported]).added == summary.added


def test_one_bad_gdelt_row_is_skipped_not_its_file(tmp_path: Path) -> None:
    path = tmp_path / "20240103.export.CSV"
    good = gdelt_row(
        11, "20240103", ("RUSGOV", "RUS", "GOV"), ("CHN", "CHN", ""), "42", "1.9", "https://a.org/1"
    )
    lower = gdelt_row(
        12,
        "20240103",
        ("usagov", "usa", "gov"),
        ("irn", "irn", ""),
        "190",
        "-10",
        "https://a.org/2",
    )
    bad = gdelt_row(13, "20240103", ("U$A", "U$A", ""), ("CHN", "CHN", ""), "42", "1", "")
    huge = gdelt_row(
        14, "20240103", ("RUS", "RUS", ""), ("CHN", "CHN", ""), "42", "1", "x" * 200_000
    )
    after = gdelt_row(15, "20240104", ("FRA", "FRA", ""), ("DEU", "DEU", ""), "57", "4", "")
    path.write_text("\n".join([good, lower, bad, huge, after]) + "\n", encoding="utf-8")
    with Store(tmp_path / "rows.duckdb") as store:
        summary = import_files(store, "gdelt", [path])
        events = {(e["source"], e["target"], e["code"]) for e in store.events()}
        skipped = {s.item: s.reason for s in store.skipped_rows()}
    assert events == {("RUS", "CHN", "042"), ("USA", "IRN", "190"), ("FRA", "DEU", "057")}
    assert (summary.read, summary.added, summary.skipped) == (3, 3, 2)
    assert skipped[f"{path.name}:3"].startswith("bad actor code (Actor.code must be")
    assert skipped[f"{path.name}:4"] == ("unreadable row (field larger than field limit (131072))")


def test_an_importer_error_skips_the_row_and_a_flood_of_bad_rows_is_capped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dyadwatch.interop import gdelt

    real = gdelt._event

    def fragile(row: list[str], where: str) -> Event | str:
        if row[0] == "2":
            raise ZeroDivisionError("odd row")
        return real(row, where)

    monkeypatch.setattr(gdelt, "_event", fragile)
    path = tmp_path / "flood.CSV"
    rows = [
        gdelt_row(
            n, "20240105", ("RUS", "RUS", ""), ("CHN", "CHN", ""), "42" if n < 3 else "", "1", ""
        )
        for n in range(1, 301)
    ]
    path.write_text("\n".join(rows), encoding="utf-8")
    with Store(tmp_path / "flood.duckdb") as store:
        summary = import_files(store, "gdelt", [path])
        stored = store.skipped_rows()
    assert (summary.read, summary.skipped) == (1, 299)
    assert summary.skipped_by_reason == {
        "unexpected error: ZeroDivisionError: odd row": 1,
        "no CAMEO code": 298,
    }
    reasons = {item.item: item.reason for item in stored}
    assert len(stored) == len(summary.listed) == 101
    assert reasons[f"{path.name}:2"] == "unexpected error: ZeroDivisionError: odd row"
    assert reasons[f"{path.name}:101"].startswith("no CAMEO code")
    assert reasons[path.name].startswith("… and 199 more items skipped (not listed one by one)")

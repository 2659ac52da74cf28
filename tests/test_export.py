"""Transparency exports: the files, their metadata, their safety, and the round trip."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import fetch, mutated_sample, run_ingest, sample_line
from test_history import _later_publication_of_58102
from test_ingest import poa

from poa_etl.publish.export import DATASETS
from schemas import TABLES

EXPECTED = Path(__file__).parent / "expected"
ROWS = {  # dataset -> rows in 2022, 2023, 2024, worked out from the dump
    "reports": (1, 1, 3),
    "report_alignments": (3, 4, 13),
    "metas": (6, 6, 20),
    "progress": (48, 48, 160),
    "progress_wide": (6, 6, 20),
    "signatures": (3, 3, 9),
    "quality_issues": (2, 3, 10),
}
WIDE = [
    "report_id", "fiscal_year", "unit_code", "meta_id", "ene_mar_p", "ene_mar_a", "abr_jun_p",
    "abr_jun_a", "jul_sep_p", "jul_sep_a", "oct_dic_p", "oct_dic_a",
]  # fmt: skip


@pytest.fixture(scope="module")
def exported(sample_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export")
    code, stdout, stderr = poa("export", "--out", str(out), "--warehouse", str(sample_warehouse))
    assert (code, stderr) == (0, "")
    assert stdout.endswith(
        f"21 CSV file(s), 375 rows, with diccionario_de_datos.csv and datapackage.json in {out}.\n"
    )
    return out


def test_every_file_with_its_header_and_row_count(exported: Path) -> None:
    files = sorted(p.name for p in exported.iterdir())
    assert files == sorted(
        ["datapackage.json", "diccionario_de_datos.csv"]
        + [f"{name}_{year}.csv" for name in ROWS for year in (2022, 2023, 2024)]
    )
    for name, counts in ROWS.items():
        header = ",".join(WIDE if name == "progress_wide" else TABLES[name].column_names)
        for year, count in zip((2022, 2023, 2024), counts, strict=True):
            lines = (exported / f"{name}_{year}.csv").read_bytes().split(b"\r\n")
            assert lines[0].decode() == header, (name, year)
            assert lines[-1] == b"" and len(lines) - 2 == count, (name, year)


def test_one_file_byte_for_byte(exported: Path) -> None:
    assert (exported / "metas_2023.csv").read_bytes() == (EXPECTED / "metas_2023.csv").read_bytes()


def test_frictionless_validates_the_package(exported: Path) -> None:
    frictionless = Path(sys.executable).parent / "frictionless"
    result = subprocess.run(
        [str(frictionless), "validate", "--json", str(exported / "datapackage.json")],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    report = json.loads(result.stdout)
    assert (result.returncode, report["valid"]) == (0, True), report
    assert len(report["tasks"]) == 22


def test_the_package_describes_every_file(exported: Path) -> None:
    package = json.loads((exported / "datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"][0]["name"] == "Libre-Uso-MX"
    assert "Términos de Libre Uso MX" in package["description"]
    metas = next(r for r in package["resources"] if r["name"] == "metas-2024")
    assert metas["schema"]["primaryKey"] == ["report_id", "meta_id"]
    assert metas["schema"]["foreignKeys"] == [
        {
            "fields": ["report_id"],
            "reference": {"resource": "reports-2024", "fields": ["report_id"]},
        }
    ]
    assert metas["bytes"] == (exported / "metas_2024.csv").stat().st_size
    assert metas["hash"].startswith("sha256:") and len(metas["hash"]) == 7 + 64
    fields = {f["name"]: f for f in metas["schema"]["fields"]}
    assert fields["annual_target"] == {
        "name": "annual_target", "type": "number",
        "description": "Meta anual autorizada. / Authorised annual target.",
        "constraints": {"required": True},
    }  # fmt: skip


def test_the_dictionary_describes_every_column(exported: Path) -> None:
    rows = (exported / "diccionario_de_datos.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "dataset,column,type,description_es,description_en,example"
    assert len(rows) - 1 == sum(len(d.columns) for d in DATASETS)
    assert (
        "progress_wide,jul_sep_a,number,Alcanzado (A) en Jul-Sep; vacío si la celda está en "
        "blanco.,Achieved (A) in Jul-Sep; blank when the cell is blank.,7"
    ) in rows


def test_reading_the_csvs_back_gives_the_warehouse_values(
    exported: Path, sample_warehouse: Path
) -> None:
    with duckdb.connect(str(sample_warehouse), read_only=True) as con:
        for dataset in DATASETS:
            types = {c.name: c.type for c in dataset.columns}
            for year in (2022, 2023, 2024):
                path = str(exported / f"{dataset.name}_{year}.csv")
                back = con.execute(
                    "SELECT * FROM read_csv(?, header = true, columns = ?) ORDER BY ALL",
                    [path, types],
                ).fetchall()
                source = dataset.source if dataset.source in TABLES else f"{dataset.source} w"
                expected = con.execute(
                    f"SELECT {', '.join(types)} FROM {source} WHERE fiscal_year = {year}"
                    " ORDER BY ALL"
                ).fetchall()
                assert back == expected, (dataset.name, year)


def test_formulas_are_neutralised_in_text_cells_only(tmp_path: Path) -> None:
    formula = '=HYPERLINK("http://example.com","clic")'
    warehouse = tmp_path / "poa.duckdb"
    run_ingest(
        [mutated_sample(tmp_path / "in", {
            32: sample_line(32).replace("101. SEGUIMIENTO AL GASTO DE SERVICIOS PERSONALES.",
                                        f"101. {formula}"),
            33: sample_line(33).replace("102.CELEBRAR", "102.- - CELEBRAR"),
        })],
        warehouse,
    )  # fmt: skip
    assert fetch(warehouse, "SELECT description FROM metas WHERE meta_id IN (101, 102)") == [
        (formula,),
        ("- CELEBRAR SESIONES DEL ÓRGANO DE GOBIERNO CONFORME A LO ESTABLECIDO EN ACUERDO DE "
         "CREACIÓN.",),
    ]  # fmt: skip
    out = tmp_path / "out"
    assert poa("export", "--year", "2023", "--out", str(out), "--warehouse", str(warehouse))[0] == 0
    lines = (out / "metas_2023.csv").read_text(encoding="utf-8").splitlines()
    assert lines[2].startswith(
        '2023-58101-20240930,2023,58101,101,4.6.1,"\'=HYPERLINK(""http://example.com"",""clic"")",'
        "NÓMINA,30,21,70,,"
    )
    assert lines[3].startswith(
        "2023-58101-20240930,2023,58101,102,3.2.2,'- CELEBRAR SESIONES DEL ÓRGANO"
    )


def test_excel_files_start_with_a_bom_and_default_files_do_not(
    sample_warehouse: Path, tmp_path: Path
) -> None:
    for flags, bom in (([], False), (["--excel"], True)):
        out = tmp_path / ("excel" if bom else "plain")
        assert (
            poa("export", *flags, "--out", str(out), "--warehouse", str(sample_warehouse))[0] == 0
        )
        for path in out.glob("*.csv"):
            assert path.read_bytes().startswith(b"\xef\xbb\xbf") == bom, path.name
        package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
        assert {r["encoding"] for r in package["resources"]} == {"utf-8-sig" if bom else "utf-8"}


def test_latest_only_and_no_stale_files(tmp_path: Path) -> None:
    warehouse = tmp_path / "poa.duckdb"
    folder = tmp_path / "in"
    mutated_sample(folder, {})
    _later_publication_of_58102(folder)
    run_ingest([folder], warehouse)
    out = tmp_path / "out"
    args = ("--out", str(out), "--warehouse", str(warehouse))
    assert poa("export", *args)[0] == 0
    assert len((out / "reports_2024.csv").read_text().splitlines()) == 1 + 4  # both 58102 kept
    assert poa("export", "--latest-only", "--year", "2024", *args)[0] == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["datapackage.json", "diccionario_de_datos.csv", *(f"{n}_2024.csv" for n in ROWS)]
    )  # the 2022 and 2023 files of the first export are gone
    reports = (out / "reports_2024.csv").read_text().splitlines()
    assert [line.split(",")[0] for line in reports[1:]] == [
        "2024-58102-20241231", "2024-58201-20240930", "2024-58202-20240930",
    ]  # fmt: skip


def test_a_year_not_in_the_warehouse(sample_warehouse: Path, tmp_path: Path) -> None:
    assert poa("export", "--year", "2030", "--out", str(tmp_path),
               "--warehouse", str(sample_warehouse)) == (
        1, "", "error: no reports for fiscal year 2030 in the warehouse (it holds 2022, 2023, "
        "2024)\n",
    )  # fmt: skip


def test_another_packages_files_are_never_deleted(sample_warehouse: Path, tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    (folder / "budget.csv").write_text("a,b\r\n1,2\r\n")
    manifest = {"name": "city-budget", "resources": [{"name": "b", "path": "budget.csv"}]}
    (folder / "datapackage.json").write_text(json.dumps(manifest))
    args = ("--year", "2023", "--warehouse", str(sample_warehouse))
    assert poa("export", "--out", str(folder), *args) == (
        1, "", f"error: {folder / 'datapackage.json'} belongs to another data package "
        "('city-budget'); export into an empty folder or into a previous poa export's "
        "folder\n",
    )  # fmt: skip
    assert sorted(p.name for p in folder.iterdir()) == ["budget.csv", "datapackage.json"]
    (folder / "datapackage.json").write_text("{not json")
    code, _, stderr = poa("export", "--out", str(folder), *args)
    assert code == 1
    assert stderr.startswith(f"error: {folder / 'datapackage.json'} is not valid JSON (")
    assert (folder / "budget.csv").exists()
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    assert poa("export", "--out", str(a_file), *args) == (
        1, "", f"error: {a_file} is a file, not a folder\n",
    )  # fmt: skip

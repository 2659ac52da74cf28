"""CSV exports for the open-data portal: the files, their metadata, their safety, and the
round trip; the usage errors every format shares."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import fetch, mutated_sample, run_ingest, sample_line, shared
from test_history import _later_publication_of_58102
from test_ingest import poa

from poa_etl.publish.datasets import DATASETS
from poa_etl.store import warehouse
from schemas import TABLES

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


@pytest.fixture(scope=shared("module"))
def exported(sample_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export")
    code, stdout, stderr = poa("export", "--out", str(out), "--warehouse", str(sample_warehouse))
    assert (code, stderr) == (0, "")
    assert stdout.endswith(
        f"22 CSV file(s), 376 rows, with diccionario_de_datos.csv and datapackage.json in {out}.\n"
    )  # 21 files of 375 rows as before, and no_cargados.csv with the quarantined meta 200
    return out


def test_every_file_with_its_header_and_row_count(exported: Path) -> None:
    files = sorted(p.name for p in exported.iterdir())
    assert files == sorted(
        ["datapackage.json", "diccionario_de_datos.csv", "no_cargados.csv"]
        + [f"{name}_{year}.csv" for name in ROWS for year in (2022, 2023, 2024)]
    )
    for name, counts in ROWS.items():
        header = ",".join(WIDE if name == "progress_wide" else TABLES[name].column_names)
        for year, count in zip((2022, 2023, 2024), counts, strict=True):
            lines = (exported / f"{name}_{year}.csv").read_bytes().split(b"\r\n")
            assert lines[0].decode() == header, (name, year)
            assert lines[-1] == b"" and len(lines) - 2 == count, (name, year)


# metas_2023.csv written by hand from lines 31 to 36 of the dump: RFC 4180 quoting (only
# meta 100's description holds a comma), CRLF, numbers as printed, a blank as nothing (no
# observations; no OCR confidence, the dump is text).
METAS_2023 = (
    "report_id,fiscal_year,unit_code,meta_id,pmd_code,description,unit_of_measure,annual_target,"
    "reported_absolute,reported_relative_pct,observations,source_location,ocr_min_confidence\r\n"
    '2023-58101-20240930,2023,58101,100,3.2,"FOMENTAR LA AFLUENCIA Y DERRAMA TURÍSTICA DEL '
    "MUNICIPIO A TRÁVES DE LA GESTIÓN DE PROYECTOS E INVERSIONES PÚBLICAS Y PRIVADAS, "
    'CONTRIBUYENDO ASÍ AL DESARROLLO ECONÓMICO DE LA REGIÓN.",INFORME,2,1,50,,'
    "ctcm_poa_avance_2022_2024.txt line 31,\r\n"
    "2023-58101-20240930,2023,58101,101,4.6.1,SEGUIMIENTO AL GASTO DE SERVICIOS PERSONALES.,"
    "NÓMINA,30,21,70,,ctcm_poa_avance_2022_2024.txt line 32,\r\n"
    "2023-58101-20240930,2023,58101,102,3.2.2,CELEBRAR SESIONES DEL ÓRGANO DE GOBIERNO CONFORME "
    "A LO ESTABLECIDO EN ACUERDO DE CREACIÓN.,SESIÓN,4,3,75,,ctcm_poa_avance_2022_2024.txt "
    "line 33,\r\n"
    "2023-58101-20240930,2023,58101,103,3.2.2,REALIZAR REUNIONES ANTE LAS DEPENDENCIAS DE "
    "GOBIERNO E INICIATIVA PRIVADA PARA GESTIONAR PROYECTOS QUE INCREMENTEN EL DESARROLLO "
    "ECONOMICO DEL SECTOR TURISTICO DEL MUNICIPIO.,REUNIÓN,36,27,75,,"
    "ctcm_poa_avance_2022_2024.txt line 34,\r\n"
    "2023-58101-20240930,2023,58101,104,3.2.2,IMPLEMENTAR UN PROGRAMA DE LA OFERTA Y DESARROLLO "
    "DE PRODUCTOS TURÍSTICOS DEL MUNICIPIO.,PROGRAMA,1,1,100,,ctcm_poa_avance_2022_2024.txt "
    "line 35,\r\n"
    "2023-58101-20240930,2023,58101,105,3.2.2,LLEVAR A CABO REUNIONES DE TRABAJO CON LAS "
    "JEFATURAS DE DEPARTAMENTO DE MANERA TRIMESTRAL PARA VIGILAR EL CUMPLIMIENTO DEL PROGRAMA "
    "ANUAL DE TRABAJO.,MINUTA,4,3,75,,ctcm_poa_avance_2022_2024.txt line 36,\r\n"
)


def test_one_file_byte_for_byte(exported: Path) -> None:
    assert (exported / "metas_2023.csv").read_bytes() == METAS_2023.encode("utf-8")


def test_frictionless_validates_the_package(exported: Path) -> None:
    frictionless = Path(sys.executable).parent / "frictionless"
    result = subprocess.run(
        [str(frictionless), "validate", "--json", str(exported / "datapackage.json")],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    report = json.loads(result.stdout)
    assert (result.returncode, report["valid"]) == (0, True), report
    assert len(report["tasks"]) == 23


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
        "name": "annual_target", "type": "number", "title": "Meta anual autorizada",
        "description": "Meta anual autorizada. / Authorised annual target.",
        "constraints": {"required": True},
    }  # fmt: skip
    assert fields["unit_code"]["title"] == "Clave de la unidad ejecutora"
    assert package["poa-etl"] == {
        "format": "csv", "fiscal_years": [2022, 2023, 2024], "latest_only": False,
    }  # fmt: skip
    no_cargados = next(r for r in package["resources"] if r["name"] == "no-cargados")
    assert (no_cargados["path"], no_cargados["title"]) == ("no_cargados.csv", "Lo que no se cargó")
    assert [f["name"] for f in no_cargados["schema"]["fields"]] == [
        "kind", "fiscal_year", "unit_code", "report_id", "file", "location", "raw", "reason_es",
        "reason",
    ]  # fmt: skip


def test_the_dictionary_describes_every_column(exported: Path) -> None:
    rows = (exported / "diccionario_de_datos.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "dataset,column,title,type,description_es,description_en,example"
    assert len(rows) - 1 == sum(len(d.columns) for d in DATASETS) + 9  # and no_cargados' 9
    assert (
        "progress_wide,jul_sep_a,Jul-Sep alcanzado (A),number,Alcanzado (A) en Jul-Sep; vacío si "
        "la celda está en blanco.,Achieved (A) in Jul-Sep; blank when the cell is blank.,7"
    ) in rows
    assert (
        'no_cargados,reason_es,Motivo,string,"Por qué no se cargó, en español.","Why it was '
        'not loaded, in Spanish.",9 valores de periodo donde caben 8 (P y A de cuatro '
        "trimestres): …"
    ) in rows


def test_no_cargados_holds_the_quarantined_meta_with_its_reason(exported: Path) -> None:
    lines = (exported / "no_cargados.csv").read_bytes().decode().split("\r\n")
    assert lines[0] == "kind,fiscal_year,unit_code,report_id,file,location,raw,reason_es,reason"
    raw = sample_line(73)  # meta 200 of 2024-58102: nine period values
    assert lines[1:] == [
        f"renglón,2024,58102,2024-58102-20240930,ctcm_poa_avance_2022_2024.txt,"
        f'ctcm_poa_avance_2022_2024.txt línea 73,"{raw}",'
        '"9 valores de periodo donde caben 8 (P y A de cuatro trimestres): los valores no '
        'coinciden con las columnas, así que ninguno puede asignarse a un trimestre",'
        '"9 period values where 8 belong (P and A for four quarters): the values do not line '
        'up with the columns, so none of them can be assigned to a quarter"',
        "",
    ]


def test_reading_the_csvs_back_gives_the_warehouse_values(
    exported: Path, sample_warehouse: Path
) -> None:
    with duckdb.connect(str(sample_warehouse), read_only=True) as con:
        for dataset in DATASETS:  # no_cargados is not a table: test_no_cargados_… reads it
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
    assert poa("export", "--latest-only", "--year", "2024", *args) == (
        1, "", f"error: {out} holds fiscal year(s) 2022, 2023 that this export (2024) would "
        "remove: export them too, or give --replace to publish only these\n",
    )  # fmt: skip
    assert len(list(out.glob("*_2022.csv"))) == len(ROWS)  # nothing removed silently
    assert poa("export", "--latest-only", "--year", "2024", "--replace", *args)[0] == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["datapackage.json", "diccionario_de_datos.csv", "no_cargados.csv",
         *(f"{n}_2024.csv" for n in ROWS)]
    )  # fmt: skip
    reports = (out / "reports_2024.csv").read_text().splitlines()
    assert [line.split(",")[0] for line in reports[1:]] == [
        "2024-58102-20241231", "2024-58201-20240930", "2024-58202-20240930",
    ]  # fmt: skip


@pytest.mark.parametrize("command", [["export", "--format", "xlsx"], ["export"], ["quality"]])
def test_a_year_not_in_the_warehouse_is_a_usage_error(
    command: list[str], sample_warehouse: Path, tmp_path: Path
) -> None:
    out = ["--out", str(tmp_path / "out")] if command[0] == "export" else []
    assert poa(*command, "--year", "2030", *out, "--warehouse", str(sample_warehouse)) == (
        2, "", "error: no reports for fiscal year 2030 in the warehouse (it holds 2022, 2023, "
        "2024)\n",
    )  # fmt: skip
    assert not (tmp_path / "out").exists()


def test_an_empty_warehouse_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "poa.duckdb"
    with warehouse.connect(empty):
        pass
    for format in ("csv", "xlsx", "sipot"):
        out = tmp_path / format
        assert poa("export", "--format", format, "--out", str(out), "--warehouse", str(empty)) == (
            1, "", "error: the warehouse holds no reports yet: load publications with poa "
            "ingest\n",
        )  # fmt: skip
        assert not out.exists()


def test_another_packages_files_are_never_deleted(sample_warehouse: Path, tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    (folder / "budget.csv").write_text("a,b\r\n1,2\r\n")
    manifest = {"name": "city-budget", "resources": [{"name": "b", "path": "budget.csv"}]}
    (folder / "datapackage.json").write_text(json.dumps(manifest))
    args = ("--year", "2023", "--warehouse", str(sample_warehouse))
    assert poa("export", "--out", str(folder), *args) == (
        1, "", f"error: {folder / 'datapackage.json'} belongs to another data package "
        "('city-budget'); export into an empty folder or a previous poa export's folder, or "
        "give --replace to replace it\n",
    )  # fmt: skip
    assert sorted(p.name for p in folder.iterdir()) == ["budget.csv", "datapackage.json"]
    (folder / "datapackage.json").write_text("{not json")
    code, _, stderr = poa("export", "--out", str(folder), *args)
    assert code == 1
    assert stderr.startswith(f"error: {folder / 'datapackage.json'} is not valid JSON (")
    assert stderr.endswith("); give --replace to replace it\n")
    assert (folder / "budget.csv").exists()
    (folder / "datapackage.json").unlink()
    assert poa("export", "--out", str(folder), *args) == (
        1, "", f"error: {folder} holds files that are not part of a poa export (budget.csv): "
        "export into an empty or new folder, or give --replace to replace them\n",
    )  # fmt: skip
    assert sorted(p.name for p in folder.iterdir()) == ["budget.csv"]
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    assert poa("export", "--out", str(a_file), *args) == (
        1, "", f"error: {a_file} is a file, not a folder\n",
    )  # fmt: skip

# ruff: noqa: E501 — one published row per line reads best against the dump.
"""The five reports of the sample text dump, loaded exactly as published, cell by cell.

Expected values are transcribed from data/raw/ctcm_poa_avance_2022_2024.txt.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import fetch

R2023_101 = "2023-58101-20240930"
R2024_102 = "2024-58102-20240930"
R2024_201 = "2024-58201-20240930"
R2024_202 = "2024-58202-20240930"
R2022_203 = "2022-58203-20240930"
AYUNTAMIENTO = "XXIV AYUNTAMIENTO DE MEXICALI DE BAJA CALIFORNIA"
COMITE = "COMITE DE TURISMO Y CONVENCIONES DEL MUNICIPIO DE MEXICALI, BAJA CALIFORNIA"
PROMOCION = "PROMOCIÓN Y CONSERVACIÓN DE LOS RECURSOS TURÍSTICOS"
SEP30 = date(2024, 9, 30)
TURISMO = ("3.7", "TURISMO", "3.7.1", "TURISMO")  # función, subfunción: the same in all five
NANCY = "NANCY PAOLA MINOR IBARRA"


def test_reports_every_header_field(sample_warehouse: Path) -> None:
    rows = fetch(
        sample_warehouse,
        "SELECT report_id, fiscal_year, cut_off_date, form_code, ayuntamiento, ramo_code,"
        " ramo_name, program_code, program_name, unit_code, unit_code_raw, unit_name,"
        " finalidad_code, finalidad_name, funcion_code, funcion_name, subfuncion_code,"
        " subfuncion_name FROM reports ORDER BY report_id",
    )
    assert rows == [
        (R2022_203, 2022, SEP30, "TMM-F004", AYUNTAMIENTO, "58", COMITE.replace("COMITE", "COMITÉ"),
         "582", PROMOCION, "58203", "58203", "GERENCIA DE MERCADOTECNIA",
         "3.7.1", "TURISMO", *TURISMO),
        (R2023_101, 2023, SEP30, "TMM-F004", AYUNTAMIENTO, "58", COMITE,
         "511", "GESTION ADMINISTRATIVA", "58101", "101", "DIRECCION GENERAL",
         "3.7.1", "TURISMO", *TURISMO),
        (R2024_102, 2024, SEP30, "TMM-F004", AYUNTAMIENTO, "58", COMITE,
         "511", "GESTION ADMINISTRATIVA", "58102", "58102", "GERENCIA ADMINISTRATIVA",
         "3", "DESARROLLO ECONOMICO", *TURISMO),
        (R2024_201, 2024, SEP30, "TMM-F004", AYUNTAMIENTO, "58", COMITE,
         "582", PROMOCION, "58201", "58201", "GERENCIA DE PROMOCION E INFORMACIÓN",
         "3.7.1", "TURISMO", *TURISMO),
        (R2024_202, 2024, SEP30, "TMM-F004", AYUNTAMIENTO, "58", COMITE,
         "511", PROMOCION, "58202", "202", "GERENCIA DE RELACIONES PUBLICAS",
         "3.7.1", "TURISMO", *TURISMO),
    ]  # fmt: skip


def test_every_report_comes_from_the_sample_file(sample_warehouse: Path) -> None:
    assert fetch(
        sample_warehouse,
        "SELECT DISTINCT s.path, s.media_type, s.bytes, s.pages, s.status, s.error"
        " FROM reports r JOIN sources s USING (source_id)",
    ) == [(str(Path(__file__).resolve().parent.parent / "data/raw/ctcm_poa_avance_2022_2024.txt"),
           "text", 10844, None, "loaded", None)]  # fmt: skip


def test_alignments_every_entry(sample_warehouse: Path) -> None:
    rows = fetch(
        sample_warehouse,
        "SELECT report_id, position, level, code, name FROM report_alignments"
        " ORDER BY report_id, position",
    )
    mesura = "MESURA EN EL EJERCICIO DE LOS RECURSOS PUBLICOS"
    vocaciones = "PROMOCION DE VOCACIONES TURISTICAS ALTERNATIVAS"
    assert rows == [
        (R2022_203, 1, "eje", "3", "MEXICALI CRECE"),
        (R2022_203, 2, "linea", "3.2.2", vocaciones),
        (R2022_203, 3, "linea", "4.6.1", "MESURA EN EL EJERCICIO DE LOS ECURSOS PUBLICOS"),
        (R2023_101, 1, "eje", "3", "MEXICALI CRECE"),
        (R2023_101, 2, "eje", "4", "GOBERNAR PARA SERVIR"),
        (R2023_101, 3, "linea", "3.2.2", vocaciones),
        (R2023_101, 4, "linea", "4.6.1", mesura),
        (R2024_102, 1, "eje", "4", "GOBERNAR PARA SERVIR"),
        (R2024_102, 2, "linea", "4.6.1", mesura),
        # One printed line holds two entries: "…ALTERNATIVAS,3.3.2 FORMACION,CAPACITACION…".
        (R2024_201, 1, "eje", "3", "MEXICALI CRECE"),
        (R2024_201, 2, "eje", "4", "GOBERNAR PARA SERVIR"),
        (R2024_201, 3, "eje", "2", "BIENESTAR PARA TODOS"),
        (R2024_201, 4, "linea", "3.2.2", vocaciones),
        (R2024_201, 5, "linea", "3.3.2", "FORMACION,CAPACITACION E INCUBACION"),
        (R2024_201, 6, "linea", "4.6.1", mesura),
        (R2024_201, 7, "estrategia", "5.1", "SENSIBILIZACION EN MATERIA DE GENERO Y DIVERSIDAD"),
        # All labels first, then all values: the three values past EJE DE GOBIERNO are alignments.
        (R2024_202, 1, "eje", "4", "GOBERNAR PARA SERVIR"),
        (R2024_202, 2, "eje", "3", "MEXICALI CRECE"),
        (R2024_202, 3, "linea", "4.6.1", mesura),
        (R2024_202, 4, "linea", "3.2.2", "PROMOCION DE LAS VOCACIONES TURÍSTICAS ALTERNATIVAS"),
    ]


def test_signatures_in_all_three_layouts(sample_warehouse: Path) -> None:
    rows = fetch(
        sample_warehouse,
        "SELECT report_id, position, role, title, name FROM signatures ORDER BY report_id, position",
    )
    unidad, programa, ramo = (
        "RESPONSABLE DE LA UNIDAD EJECUTORA", "RESPONSABLE DEL PROGRAMA", "RESPONSABLE DEL RAMO",
    )  # fmt: skip
    assert rows == [
        (R2022_203, 1, "ELABORÓ", unidad, "CRISITHAN GIOVANY RAMIREZ LOPEZ"),
        (R2022_203, 2, "REVISÓ", programa, NANCY),
        (R2022_203, 3, "AUTORIZÓ", ramo, NANCY),
        # No roles printed.
        (R2023_101, 1, None, unidad, NANCY),
        (R2023_101, 2, None, programa, NANCY),
        (R2023_101, 3, None, ramo, NANCY),
        (R2024_102, 1, "ELABORÓ", unidad, "KAREN LIZBETH LIZARRAGA RODRIGUEZ"),
        (R2024_102, 2, "REVISÓ", programa, NANCY),
        (R2024_102, 3, "AUTORIZÓ", ramo, NANCY),
        (R2024_201, 1, "ELABORÓ", ramo, "PATRICIA HERNANDEZ MOTA"),
        (R2024_201, 2, "REVISÓ", "RESPONSABLE DE LA META", NANCY),
        (R2024_201, 3, "AUTORIZÓ", ramo, NANCY),
        # All three roles first, then the title/name pairs.
        (R2024_202, 1, "ELABORÓ", unidad, NANCY),
        (R2024_202, 2, "REVISÓ", programa, NANCY),
        (R2024_202, 3, "AUTORIZÓ", ramo, NANCY),
    ]


N = None
# report, meta, P.M.D., description, unit of measure, target,
# (Q1 P, Q1 A, Q2 P, Q2 A, Q3 P, Q3 A, Q4 P, Q4 A), absolute, relative %, line in the file
METAS = [
    (R2023_101, 100, "3.2", "FOMENTAR LA AFLUENCIA Y DERRAMA TURÍSTICA DEL MUNICIPIO A TRÁVES DE LA GESTIÓN DE PROYECTOS E INVERSIONES PÚBLICAS Y PRIVADAS, CONTRIBUYENDO ASÍ AL DESARROLLO ECONÓMICO DE LA REGIÓN.", "INFORME", 2, (N, N, 1, 1, N, N, N, N), 1, 50, 31),
    (R2023_101, 101, "4.6.1", "SEGUIMIENTO AL GASTO DE SERVICIOS PERSONALES.", "NÓMINA", 30, (7, 7, 7, 7, 7, 7, 9, N), 21, 70, 32),
    (R2023_101, 102, "3.2.2", "CELEBRAR SESIONES DEL ÓRGANO DE GOBIERNO CONFORME A LO ESTABLECIDO EN ACUERDO DE CREACIÓN.", "SESIÓN", 4, (1, 1, 1, 1, 1, 1, 1, N), 3, 75, 33),
    (R2023_101, 103, "3.2.2", "REALIZAR REUNIONES ANTE LAS DEPENDENCIAS DE GOBIERNO E INICIATIVA PRIVADA PARA GESTIONAR PROYECTOS QUE INCREMENTEN EL DESARROLLO ECONOMICO DEL SECTOR TURISTICO DEL MUNICIPIO.", "REUNIÓN", 36, (9, 9, 9, 9, 9, 9, 9, N), 27, 75, 34),
    (R2023_101, 104, "3.2.2", "IMPLEMENTAR UN PROGRAMA DE LA OFERTA Y DESARROLLO DE PRODUCTOS TURÍSTICOS DEL MUNICIPIO.", "PROGRAMA", 1, (N, N, N, N, 1, 1, N, N), 1, 100, 35),
    (R2023_101, 105, "3.2.2", "LLEVAR A CABO REUNIONES DE TRABAJO CON LAS JEFATURAS DE DEPARTAMENTO DE MANERA TRIMESTRAL PARA VIGILAR EL CUMPLIMIENTO DEL PROGRAMA ANUAL DE TRABAJO.", "MINUTA", 4, (1, 1, 1, 1, 1, 1, 1, N), 3, 75, 36),
    (R2024_102, 201, "4.6.1", "SEGUIMIENTO AL GASTO DE SERVICIOS PERSONALES", "NOMINA", 30, (7, 7, 7, 7, 7, 7, 9, 0), 21, 70, 74),
    (R2024_102, 202, "4.6.1", "ELABORAR Y ENTREGAR INFORMES DE AVANCE DE GESTIÓN FINANCIERA Y CUENTA PÚBLICA CONFORME A LO ESTABLECIDO POR EL CONSEJO NACIONAL DE ARMONIZACIÓN CONTABLE (CONAC).", "INFORME DE AVANCE DE GESTION FINANCIERA", 4, (1, 1, 1, 1, 1, 1, 1, 0), 3, 75, 75),
    (R2024_102, 203, "4.6.1", "MANTENER ACTUALIZADA INFORMACIÓN DE INTERÉS PÚBLICO EN PORTAL DE INTERNET (MICRO SITIO) DE CONFORMIDAD A LO ESTABLECIDO EN ARTÍCULOS 81, 82 Y 83 DE LA LEY DE TRANSPARENCIA Y ACCESO A LA INFORMACIÓN PÚBLICA.", "ACUSE", 4, (1, 1, 1, 1, 1, 1, 1, 0), 3, 75, 76),
    (R2024_102, 204, "4.6.1", "ACTUALIZAR EL PADRÓN DE BIENES MUEBLES E INMUEBLES A TRAVÉS DEL LEVANTAMIENTO FÍSICO DE INVENTARIO.", "PADRÓN ACTUALIZADO", 2, (0, 0, 1, 1, 0, 0, 1, 0), 1, 50, 77),
    (R2024_102, 205, "4.6.1", "ELABORAR PROYECTO DE ESTIMACIÓN DE INGRESOS Y PRESUPUESTO DE EGRESOS EN BASE A LOS LINEAMIENTOS, EMITIDOS POR LA TESORERÍA MUNICIPAL.", "PROYECTO", 1, (0, 0, 0, 0, 0, 0, 1, 0), 0, 0, 78),
    (R2024_102, 206, "4.6.1", "ACTUALIZAR LOS INSTRUMENTOS NORMATIVOS", "DOCUMENTOS", 1, (0, 0, 1, 1, 0, 0, 0, 0), 1, 100, 79),
    (R2024_102, 207, "4.6.1", "GESTIONAR Y ADMINISTRAR EL ABASTECIMIENTO DE MATERIALES, SUMINISTROS, SERVICIOS Y EQUIPO NECESARIO PARA EL CUMPLIMIENTO DE LAS METAS Y OBJETIVOS DE LOS DIVERSOS DEPARTAMENTOS QUE CONFORMAN LA ENTIDAD.", "SUMINISTROS", 12, (3, 3, 3, 3, 3, 3, 3, 0), 9, 75, 80),
    (R2024_201, 300, "3.2", "INCREMENTAR LA AFLUENCIA TURÍSTICA DE MEXICALI, A TRAVÉS DE UN PLAN INTEGRAL PROMOCIONAL QUE BRINDE UNA MAYOR DIFUSIÓN, DE LOS ATRACTIVOS Y SERVICIOS TURÍSTICOS DEL MUNICIPIO", "ACCIÓN DE PROMOCIÓN", 12, (3, 3, 3, 3, 3, 3, 3, 3), 9, 75, 124),
    (R2024_201, 301, "4.6.1", "SEGUIMIENTO AL GASTO DE SERVICIOS PERSONALES", "NÓMINA", 30, (7, 7, 7, 7, 6, 6, 8, N), 20, 67, 125),
    (R2024_201, 302, "5.1.5", "FOMENTAR EL EMPODERAMIENTO DE LAS MUJERES, A TRAVÉS DE LA ACCIÓN DE PROMOCIÓN Y PARTICIPACION EN EVENTOS, PARA QUE ALIENTE LA EXPANSION Y DIVERSIFICACION DE LOS PRODUCTOS Y SERVICIOS TURISTICOS QUE OFRECEN.", "INFORME", 4, (1, 1, 1, 1, 1, 1, 1, N), 3, 75, 126),
    (R2024_201, 303, "3.2.2", "PROPICIAR LA AFLUENCIA Y DERRAMA TURÍSTICA, A TRAVÉS DE UN PROGRAMA INTEGRAL DE PROMOCIÓN DE EVENTOS Y ACTIVIDADES TURÍSTICAS.", "ACCION DE PROMOCIÓN", 12, (3, 3, 3, 3, 3, 3, 3, N), 9, 75, 127),
    (R2024_201, 304, "3.2.2", "PROPICIAR LA AFLUENCIA DE VISITANTES LOCALES ,MEDIANTE EL FOMENTO DE LA CULTURA TURÍSTICA DEL MUNICIPIO DE MEXICALI.", "CURSOS", 21, (2, 2, 9, 9, 5, 5, 5, N), 16, 76, 128),
    (R2024_201, 305, "3.2.2", "INTEGRAR INFORMACIÓN ESTADÍSTICA MENSUAL EN MATERIA DE OCUPACIÓN HOTELERA, CRUCES FRONTERIZOS, ETC", "INFORME", 12, (3, 3, 3, 3, 3, 3, 3, N), 9, 75, 129),
    (R2024_201, 306, "3.2.2", "ACTUALIZAR EL PADRÓN DE ATRACTIVOS Y SERVICIOS TURÍSTICOS CON LOS QUE CUENTA EL MUNICIPIO DE MEXICALI MEDIANTE LA INVESTIGACIÓN DE CAMPO.", "PADRÓN ACTUALIZADO", 1, (N, N, N, N, N, N, N, 1), 0, 0, 130),
    (R2024_202, 400, "3.2", "DESARROLLAR UN PROGRAMA DE ESTRATEGIAS DE RELACIONES PÚBLICAS, CON EL FIN DE POSICIONAR AL MUNICIPIO DE MEXICALI COMO UN DESTINO TURÍSTICO", "PROGRAMA", 1, (0, 0, 0, 0, 1, 1, 0, 0), 1, 100, 180),
    (R2024_202, 401, "4.6.1", "SEGUIMIENTO AL GASTO DE SERVICIOS PERSONALES", "NÓMINA", 30, (7, 7, 7, 7, 7, 7, 9, 0), 21, 70, 181),
    (R2024_202, 402, "3.2.2", "COORDINAR LOS VIAJES DE FAMILIARIZACION, GIRAS DE MEDIO Y RUEDAS DE PRENSA PARA EL FORTALECIMIENTO Y POSICIONAMIENTO DE NUESTROS DESTINOS TURISTICOS", "EVENTO", 12, (3, 3, 3, 3, 3, 3, 3, 0), 9, 75, 182),
    (R2024_202, 403, "3.2.2", "BRINDAR ASESORIA A PROMOTORES, EN MATERIA DE CONTRIBUCIONES PARA LA REALIZACION DE EVENTOS, FORTALECIMIENTO LA DERRAMA TURISTICA", "ASESORIA", 12, (3, 3, 3, 3, 3, 3, 3, 0), 9, 75, 183),
    (R2024_202, 404, "3.2.2", "ATRAER NUEVOS EVENTOS MEDIANTE LA BUSQUEDA Y NEGOCIACIONES CON PROMOTORES", "GESTIÓN", 4, (1, 1, 1, 1, 1, 1, 1, 0), 3, 75, 184),
    (R2024_202, 405, "3.3.2", "FOMENTAR LA CONSERVACIÓN Y EL MEJORAMIENTO DE LOS RECURSOS TURÍSTICOS DEL MUNICIPIO DE MEXICALI.", "GESTION", 1, (0, 0, 1, 1, 0, 0, 0, 0), 1, 100, 185),
    (R2022_203, 500, "3.2", "POTENCIALIZAR Y FORTALECER LA IMAGEN DE LOS DESTINOS DEL MUNICIPIO MEDIANTE ESTRATEGIAS DIRIGIDAS A DIFERENTES SEGMENTOS Y NUEVOS MERCADOS PARA INCREMENTAR LA AFLUENCIA Y DERRAMA TURÍSTICA.", "PROGRAMA", 1, (0, 0, 0, 0, 1, 1, 0, 0), 1, 100, 226),
    (R2022_203, 501, "4.6.1", "SEGUIMIENTO AL GASTO DE SERVICIOS PERSONALES", "NÓMINA", 30, (7, 7, 7, 7, 7, 7, 9, 0), 21, 70, 227),
    (R2022_203, 502, "3.2.2", "DESARROLLAR LAS HERRAMIENTAS DE PROMOCIÓN TURÍSTICA PARA SU COMERCIALIZACIÓN.", "HERRAMIENTA TURÍSTICA", 49, (14, 14, 12, 12, 11, 11, 12, 0), 37, 76, 228),
    (R2022_203, 503, "3.2.2", "ELABORAR CAMPAÑAS DE PROMOCIÓN Y PUBLICIDAD, ANTE LOS MERCADOS POTENCIALES NACIONALES Y EXTRANJEROS", "CAMPAÑA", 12, (3, 3, 3, 3, 3, 3, 3, 0), 9, 75, 229),
    (R2022_203, 504, "3.2.2", "PROMOVER LOS DIFERENTES DESTINOS DEL MUNICIPIO DE MEXICALI, A TRAVÉS DE ACCIONES DE E-MARKETING.", "ACCION DE PROMOCIÓN", 28, (7, 7, 6, 6, 9, 9, 6, 0), 22, 79, 230),
    (R2022_203, 505, "3.2.2", "DIRIGIR Y EJECUTAR UN PROGRAMA PROMOCIONAL DIRIGIDO AL MERCADO NACIONAL Y EXTRANJERO DE INVERSIONISTAS TURÍSTICOS POTENCIALES.", "PROGRAMA", 1, (0, 0, 0, 0, 1, 1, 0, 0), 1, 100, 231),
]  # fmt: skip
UNIT_OF = {R2023_101: "58101", R2024_102: "58102", R2024_201: "58201", R2024_202: "58202",
           R2022_203: "58203"}  # fmt: skip
YEAR_OF = {rid: int(rid[:4]) for rid in UNIT_OF}


def test_all_32_loadable_metas(sample_warehouse: Path) -> None:
    rows = fetch(
        sample_warehouse,
        "SELECT report_id, fiscal_year, unit_code, meta_id, pmd_code, description,"
        " unit_of_measure, annual_target, reported_absolute, reported_relative_pct,"
        " observations, source_location FROM metas ORDER BY report_id, meta_id",
    )
    expected = [
        (rid, YEAR_OF[rid], UNIT_OF[rid], meta, pmd, desc, uom, target, absolute, relative, None,
         f"ctcm_poa_avance_2022_2024.txt line {line}")
        for rid, meta, pmd, desc, uom, target, _, absolute, relative, line in METAS
    ]  # fmt: skip
    assert len(rows) == 32
    assert rows == sorted(expected)


def test_progress_every_p_and_a_value_null_for_blank(sample_warehouse: Path) -> None:
    rows = fetch(
        sample_warehouse,
        "SELECT report_id, fiscal_year, unit_code, meta_id, quarter, measure, value"
        " FROM progress ORDER BY report_id, meta_id, quarter, measure DESC",
    )
    expected = [
        (rid, YEAR_OF[rid], UNIT_OF[rid], meta, i // 2 + 1, "PA"[i % 2], value)
        for rid, meta, _, _, _, _, values, _, _, _ in sorted(METAS)
        for i, value in enumerate(values)
    ]
    assert len(rows) == 8 * 32
    assert rows == expected


def test_meta_200_is_quarantined_not_shifted(sample_warehouse: Path) -> None:
    raw = (
        "4.6\t200.- ADMINISTRAR EFICIENTEMENTE LOS RECURSOS HUMANOS, MATERIALES Y FINANCIEROS,"
        " MEDIANTE UN SISTEMA CONTABLE Y ADMINISTRATIVO EN APEGO A LA NORMATIVIDAD APLICABLE,"
        " PARA DAR CUMPLIMIENTO A LOS PROGRAMAS Y ACTIVIDADES DE LA ENTIDAD.\tINFORME\t5"
        "\t1\t1\t1\t1\t1\t1\t1\t2\t0\t3\t60%\t"
    )
    assert fetch(
        sample_warehouse,
        "SELECT report_id, location, raw, reason, stage FROM quarantine",
    ) == [
        (R2024_102, "ctcm_poa_avance_2022_2024.txt line 73", raw,
         "9 period values where 8 belong (P and A for four quarters): the values do not line "
         "up with the columns, so none of them can be assigned to a quarter", "table"),
    ]  # fmt: skip
    assert fetch(sample_warehouse, "SELECT count(*) FROM metas WHERE meta_id = 200") == [(0,)]
    assert fetch(sample_warehouse, "SELECT count(*) FROM progress WHERE meta_id = 200") == [(0,)]

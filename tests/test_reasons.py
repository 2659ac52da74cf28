"""Why something was not loaded, in Spanish: every class of reason the pipeline words, and
the rejected files of a real ingest as ``no_cargados`` publishes them."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLE_TXT, run_ingest
from test_ingest import poa

from poa_etl.publish import reasons

# (as the pipeline words it — copied from the raise sites, values filled in — , in Spanish)
CASES = [
    ("empty file (0 bytes)", "archivo vacío (0 bytes)"),
    ("cannot be read: Permission denied", "no se pudo leer el archivo: Permission denied"),
    ("binary data, not a text dump (NUL byte at offset 12)",
     "contiene datos binarios, no es un volcado de texto (byte nulo en la posición 12)"),
    ("binary data, not a text dump (control character '\\x07' at character 40)",
     "contiene datos binarios, no es un volcado de texto (carácter de control '\\x07' en la "
     "posición 40)"),
    ("not readable as text: neither UTF-8 nor Windows-1252",
     "no se puede leer como texto: no está en UTF-8 ni en Windows-1252"),
    ("not a TMM-F004 report: no title 'PROGRAMA OPERATIVO ANUAL <year>' found",
     "no es un informe TMM-F004: no tiene el título 'PROGRAMA OPERATIVO ANUAL <año>'"),
    ("not a PDF file: it does not start with %PDF-", "no es un archivo PDF: no empieza con %PDF-"),
    ("the PDF has 612 pages; the limit is 500 per file (--max-pages)",
     "el PDF tiene 612 páginas; el límite es 500 por archivo (--max-pages)"),
    ("reading stopped at page 40 of 90: it took longer than the limit of 300 s per file "
     "(--max-seconds)",
     "la lectura se detuvo en la página 40 de 90: tardó más que el límite de 300 s por archivo "
     "(--max-seconds)"),
    ("no text layer: the PDF holds only images (2 pages), as a scan does; OCR is not "
     "available: the OCR engine (tesserocr) is not installed; run `make setup`",
     "sin capa de texto: el PDF solo contiene imágenes (2 página(s)), como un escaneo; el OCR "
     "no está disponible: el motor de OCR (tesserocr) no está instalado; ejecute `make setup`"),
    ("a scan with an OCR text layer (1 page): its only text is invisible, laid over the page "
     "images by OCR, and does not form the TMM-F004 grid; OCR is not available: Tesseract's "
     "Spanish model (spa.traineddata) is not installed; run `make setup-ocr`, or set "
     "TESSDATA_PREFIX to a folder holding spa.traineddata",
     "un escaneo con capa de texto de OCR (1 página(s)): su único texto es invisible, puesto "
     "sobre las imágenes por un OCR, y no forma la cuadrícula del TMM-F004; el OCR no está "
     "disponible: el modelo de español de Tesseract (spa.traineddata) no está instalado; "
     "ejecute `make setup-ocr`, o indique en TESSDATA_PREFIX una carpeta que lo contenga"),
    ("page 2 cannot be read: it holds only an image (a scan, no text layer), while other pages "
     "have printed text, so the file cannot be read whole; OCR is not available: the OCR "
     "engine (tesserocr) is not installed; run `make setup`",
     "la página 2 no se puede leer: solo contiene una imagen (un escaneo, sin capa de texto), "
     "mientras otras páginas tienen texto impreso, así que el archivo no se puede leer "
     "completo; el OCR no está disponible: el motor de OCR (tesserocr) no está instalado; "
     "ejecute `make setup`"),
    ("page 3 cannot be read: its only text is an invisible OCR layer over a scanned image, "
     "while other pages have printed text, so the file cannot be read whole; OCR is not "
     "available: the OCR engine (tesserocr) is not installed; run `make setup`",
     "la página 3 no se puede leer: su único texto es una capa invisible de OCR sobre una "
     "imagen escaneada, mientras otras páginas tienen texto impreso, así que el archivo no se "
     "puede leer completo; el OCR no está disponible: el motor de OCR (tesserocr) no está "
     "instalado; ejecute `make setup`"),
    ("page 1 is a scan and OCR could not confirm the text outside the metas table (title, "
     "header, FECHA, signatures), which must be exact: 'GESTION': read 'GESTION' with "
     "confidence 41 (below 70)",
     "la página 1 es un escaneo y el OCR no pudo confirmar el texto fuera de la tabla de metas "
     "(título, encabezado, FECHA, firmas), que debe ser exacto (lectura: 'GESTION': read "
     "'GESTION' with confidence 41 (below 70))"),
    ("report 2024-58103-20240930: its header, read by OCR, has UNIDAD EJECUTORA '58103', no "
     "unit known in ramo 58 ('58101', '58102'); a misread cannot be ruled out, so the file is "
     "not loaded (load the publication from its text first if it is right)",
     "informe 2024-58103-20240930: su encabezado, leído por OCR, no coincide con lo ya cargado "
     "de texto (en inglés: has UNIDAD EJECUTORA '58103', no unit known in ramo 58 ('58101', "
     "'58102')); no se puede descartar una mala lectura, así que el archivo no se carga "
     "(cargue primero la publicación desde su texto si es correcta)"),
    ("ocr_uncertain: page 1 line 38: Abr-Jun A read '3' with confidence 47 (below 80)",
     "ocr_uncertain: página 1 línea 38: una lectura por OCR no confirmada (en inglés: Abr-Jun "
     "A read '3' with confidence 47 (below 80))"),
    ("no text in the PDF", "el PDF no contiene texto"),
    # Files that are no regular files, that changed or stopped their reader (pipeline)
    ("a FIFO (named pipe), not a regular file: it is not read",
     "una tubería con nombre (FIFO), no un archivo regular: no se lee"),
    ("a socket, not a regular file: it is not read", "un socket, no un archivo regular: no se lee"),
    ("a device, not a regular file: it is not read",
     "un dispositivo, no un archivo regular: no se lee"),
    ("a special file, not a regular file: it is not read",
     "un archivo especial, no un archivo regular: no se lee"),
    ("a broken symbolic link (to /datos/poa.txt)",
     "un enlace simbólico roto (apunta a /datos/poa.txt)"),
    ("the file changed while this run read it; the next run reads it again",
     "el archivo cambió mientras esta carga lo leía; la siguiente carga lo lee de nuevo"),
    ("the process reading it stopped abruptly (killed, out of memory, or crashed), so it was "
     "not read; the next run reads it again",
     "el proceso que lo leía se detuvo de golpe (lo terminaron, se quedó sin memoria o falló), "
     "así que no se leyó; la siguiente carga lo lee de nuevo"),
    ("too large to read in the memory available (9000000000 bytes)",
     "demasiado grande para leerse con la memoria disponible (9000000000 bytes)"),
    ("unexpected error while reading it (KeyError: 'x' at poa_etl/pipeline/read.py:52); this "
     "is a bug in poa-etl, not a known defect of the file: please report it with the file "
     "(POA_DEBUG=1 shows the traceback)",
     "error inesperado al leerlo (KeyError: 'x' at poa_etl/pipeline/read.py:52); es una falla "
     "de poa-etl, no un defecto conocido del archivo: por favor repórtela junto con el archivo "
     "(POA_DEBUG=1 muestra el detalle)"),
    ("UTF-16 text without a byte-order mark, so its byte order is unknown: save it as UTF-8, "
     "or as UTF-16 with a byte-order mark",
     "texto UTF-16 sin marca de orden de bytes, así que no se sabe en qué orden van sus bytes: "
     "guárdelo en UTF-8, o en UTF-16 con marca de orden de bytes"),
    ("not readable as UTF-16 text, though it starts with a UTF-16 byte-order mark (truncated "
     "data at byte 21458)",
     "no se puede leer como texto UTF-16, aunque empieza con la marca de orden de bytes de "
     "UTF-16 (truncated data en el byte 21458)"),
    ("Ene-Mar P: '12345678901234567890123456' has 26 digits: only numbers of up to 15 digits "
     "are held exactly, so it is not read",
     "Ene-Mar P: '12345678901234567890123456' tiene 26 dígitos: solo los números de hasta 15 "
     "dígitos se guardan con exactitud, así que no se lee"),
    ("META ANUAL AUTORIZADA: '9999999999999999999999999999999999999999…' (400 characters) has "
     "400 digits: only numbers of up to 15 digits are held exactly, so it is not read",
     "META ANUAL AUTORIZADA: '9999999999999999999999999999999999999999…' (400 caracteres) "
     "tiene 400 dígitos: solo los números de hasta 15 dígitos se guardan con exactitud, así "
     "que no se lee"),
    ("meta number '12345678901' is too large: meta numbers go up to 2147483647",
     "el número de meta '12345678901' es demasiado grande: los números de meta llegan hasta "
     "2147483647"),
    # Text dumps and spreadsheets (front ends and the accounting of every line)
    ("a reading-order text dump (as plain `pdftotext` writes): each cell is on a line of its "
     "own, so the table's columns are lost and no row can be rebuilt; make the dump with "
     "`pdftotext -layout`, or load the PDF itself",
     "un volcado de texto en orden de lectura (como lo escribe `pdftotext` sin opciones): cada "
     "celda está en su propio renglón, así que se perdieron las columnas de la tabla y ningún "
     "renglón puede reconstruirse; haga el volcado con `pdftotext -layout`, o cargue el PDF "
     "mismo"),
    ("line 94: the metas table goes on to page 4 without its header; a text dump lays out "
     "each page on its own, so the columns cannot be matched across the page break; load the "
     "PDF itself",
     "línea 94: la tabla de metas sigue en la página 4 sin su encabezado; un volcado de texto "
     "acomoda cada página por separado, así que sus columnas no pueden emparejarse entre "
     "páginas; cargue el PDF mismo"),
    ("line 156: the metas table goes on to page 6 without its header, set at a pitch of its "
     "own, and this row has 4 numbers for its 11 number columns, so a layout dump cannot "
     "tell which columns are blank; make the dump with `pdftotext -fixed 3`, or load the PDF "
     "itself",
     "línea 156: la tabla de metas sigue en la página 6 sin su encabezado, acomodada a una "
     "escala propia, y este renglón tiene 4 números para sus 11 columnas de números, así que "
     "un volcado con columnas no puede decir qué columnas están en blanco; haga el volcado "
     "con `pdftotext -fixed 3`, o cargue el PDF mismo"),
    ("page 1 line 1: 54 lines stand before the first report's title and belong to no "
     "report (a page turned upside down, or text that does not read as a TMM-F004 report); "
     "the file is not loaded, so no report of it is left out",
     "página 1 línea 1: 54 líneas están antes del título del primer reporte y no pertenecen "
     "a ningún reporte (una página de cabeza, o texto que no se lee como un reporte "
     "TMM-F004); el archivo no se carga, para no dejar fuera ninguno de sus reportes"),
    ("line 185: 'CUENTA EL MUNICIPIO DE MEXICALI MEDIANTE ACTUALIZADO' reaches column 63, "
     "past where the unit of measure's column begins (58), so a layout dump cannot tell the "
     "description's last words from the unit's; load the PDF itself",
     "línea 185: 'CUENTA EL MUNICIPIO DE MEXICALI MEDIANTE ACTUALIZADO' llega a la columna "
     "63, más allá de donde empieza la de la unidad de medida (58), así que un volcado con "
     "columnas no puede distinguir las últimas palabras de la descripción de las de la "
     "unidad; cargue el PDF mismo"),
    ("line 19: 'ADMINISTRAR / EFICIENTEMENTE LOS RECURSOS' stand apart from each other "
     "under the description's heading (as justified text, or `pdftotext -fixed` at a fine "
     "pitch, sets a description's words), so a layout dump cannot tell the description from "
     "the unit of measure; make the dump with `pdftotext -layout`, or load the PDF itself",
     "línea 19: 'ADMINISTRAR / EFICIENTEMENTE LOS RECURSOS' están separadas entre sí bajo el "
     "encabezado de la descripción (como deja las palabras de una descripción el texto "
     "justificado, o `pdftotext -fixed` con un paso fino), así que un volcado con columnas no "
     "puede distinguir la descripción de la unidad de medida; haga el volcado con `pdftotext "
     "-layout`, o cargue el PDF mismo"),
    ("line 102: meta '207.-' has no unit of measure standing apart from its description, so "
     "a layout dump cannot tell a blank unit from one set against the description's last "
     "words; load the PDF itself",
     "línea 102: la meta '207.-' no tiene unidad de medida separada de su descripción, así "
     "que un volcado con columnas no puede distinguir una unidad en blanco de una pegada a "
     "las últimas palabras de la descripción; cargue el PDF mismo"),
    ("line 29: the metas table's P and A letters stand one space apart (line 22: pdftotext "
     "crowded the table), and this row has 5 numbers for its 11 number columns, so a layout "
     "dump cannot tell which columns are blank; make the dump with `pdftotext -fixed 3`, or "
     "load the PDF itself",
     "línea 29: las letras P y A de la tabla de metas están a un espacio una de otra (línea "
     "22: pdftotext apretó la tabla), y este renglón tiene 5 números para sus 11 columnas de "
     "números, así que un volcado con columnas no puede decir qué columnas están en blanco; "
     "haga el volcado con `pdftotext -fixed 3`, o cargue el PDF mismo"),
    ("line 22: the table's header label 'UNIDAD DE' starts under 'DESCRIPCIÓN DE METAS Y "
     "ACCIONES (Subprograma Gob. Y': the dump gives each letter more room than the print does "
     "(as `pdftotext -fixed` does with small print), so the labels run into each other and a "
     "layout dump cannot tell the table's columns apart; make the dump with `pdftotext "
     "-layout`, or load the PDF itself",
     "línea 22: la etiqueta 'UNIDAD DE' del encabezado de la tabla empieza debajo de "
     "'DESCRIPCIÓN DE METAS Y ACCIONES (Subprograma Gob. Y': el volcado da a cada letra más "
     "espacio que el impreso (como hace `pdftotext -fixed` con letra pequeña), así que las "
     "etiquetas se enciman y un volcado con columnas no puede separar las columnas de la "
     "tabla; haga el volcado con `pdftotext -layout`, o cargue el PDF mismo"),
    ("line 30: 'PADRÓN' lies halfway between two rows of the metas table, so a layout dump "
     "cannot tell which it belongs to; load the PDF itself",
     "línea 30: 'PADRÓN' queda a medio camino entre dos renglones de la tabla de metas, así "
     "que un volcado con columnas no puede decir a cuál pertenece; cargue el PDF mismo"),
    ("lines 40 and 43 both hold values of one row of the metas table, so a layout dump cannot "
     "tell its rows apart; load the PDF itself",
     "las líneas 40 y 43 tienen valores de un mismo renglón de la tabla de metas, así que un "
     "volcado con columnas no puede separar sus renglones; cargue el PDF mismo"),
    ("sheet 'Notas' holds text but no report: not a TMM-F004 report: no title 'PROGRAMA "
     "OPERATIVO ANUAL <year>' found",
     "la hoja 'Notas' tiene texto pero ningún informe: no es un informe TMM-F004: no tiene el "
     "título 'PROGRAMA OPERATIVO ANUAL <año>'"),
    ("not a well-formed delimited file (as comma-separated: unexpected end of data)",
     "no es un archivo delimitado bien formado (as comma-separated: unexpected end of data)"),
    ("not a readable Excel workbook: File is not a zip file",
     "no es un libro de Excel legible: File is not a zip file"),
    ("not a readable OpenDocument spreadsheet: File is not a zip file",
     "no es una hoja de cálculo OpenDocument legible: File is not a zip file"),
    ("report 2023-58101-20240930 at line 5: 51 lines read, 50 placed (title 3, header 10, "
     "ignored 20): 1 line(s) belong to no part of the report, so it may be incomplete",
     "informe 2023-58101-20240930 en línea 5: se leyeron 51 renglones y se ubicaron 50 (title "
     "3, header 10, ignored 20): 1 renglón(es) no pertenecen a ninguna parte del informe, así "
     "que podría estar incompleto"),
    ("report 2023-58101-20240930 at line 5: 50 lines read, 51 placed (title 3): 1 line(s) "
     "were counted twice",
     "informe 2023-58101-20240930 en línea 5: se leyeron 50 renglones y se ubicaron 51 (title "
     "3): 1 renglón(es) se contaron dos veces"),
    ("report 2023-58101-20240930 at line 5: the numbered metas stop at line 36, but the table "
     "goes on at line 37 ('DEL PROGRAMA 4 1') with no meta number: the table was not read as "
     "published, so the report is not loaded",
     "informe 2023-58101-20240930 en línea 5: las metas numeradas terminan en línea 36, pero la "
     "tabla sigue en línea 37 ('DEL PROGRAMA 4 1') sin número de meta: la tabla no se leyó "
     "como se publicó, así que el informe no se carga"),
    ("report 2023-58101-20240930 at line 5: the numbered metas are missing, but the table goes "
     "on at line 31 ('SIN NUMERO 4') with no meta number: the table was not read as published, "
     "so the report is not loaded",
     "informe 2023-58101-20240930 en línea 5: faltan las metas numeradas, pero la tabla sigue "
     "en línea 31 ('SIN NUMERO 4') sin número de meta: la tabla no se leyó como se publicó, así "
     "que el informe no se carga"),
    ("report 2023-58101-20240930 at line 5: the signature block, from line 35, holds '104.- "
     "IMPLEMENTAR UN PROGRAMA', which looks like a row of the metas table: the table was not "
     "read to its end, so the report is not loaded",
     "informe 2023-58101-20240930 en línea 5: el bloque de firmas, desde línea 35, contiene "
     "'104.- IMPLEMENTAR UN PROGRAMA', que parece un renglón de la tabla de metas: la tabla no "
     "se leyó hasta su final, así que el informe no se carga"),
    ("report 2023-58101-20240930 at line 5: the signature block does not pair up: "
     "'RESPONSABLE DEL RAMO' at line 47 has no name under it, so the block was not read as "
     "published",
     "informe 2023-58101-20240930 en línea 5: el bloque de firmas no forma pares: 'RESPONSABLE "
     "DEL RAMO' en línea 47 no tiene un nombre debajo, así que el bloque no se leyó como se "
     "publicó"),
    ("report 2023-58101-20240930 at line 1: the metas table's labels 'DESCRIPCIÓN DE METAS Y "
     "ACCIONES' and 'UNIDAD DE MEDIDA' stand over one column",
     "informe 2023-58101-20240930 en línea 1: las etiquetas 'DESCRIPCIÓN DE METAS Y ACCIONES' y "
     "'UNIDAD DE MEDIDA' de la tabla de metas quedan sobre una sola columna"),
    ("the row has 6 cells where the table has 15: it stops before Abr-Jun P, so it was cut "
     "short and is not loaded",
     "el renglón tiene 6 celdas donde la tabla tiene 15: termina antes de Abr-Jun P, así que "
     "se cortó y no se carga"),
    ("encrypted PDF: the password given does not open it",
     "PDF cifrado: la contraseña dada no lo abre"),
    ("encrypted PDF: a password is needed to read it (--pdf-password)",
     "PDF cifrado: se necesita una contraseña para leerlo (--pdf-password)"),
    ("corrupt or truncated PDF: Unexpected EOF", "PDF dañado o incompleto: Unexpected EOF"),
    ("report 2024-58102-20240930: cut_off_date blank: must not be blank (check not_nullable); "
     "the header breaks the data contract, so the file is not loaded",
     "informe 2024-58102-20240930: cut_off_date en blanco: no debe estar en blanco "
     "(verificación not_nullable); el encabezado no cumple el contrato de datos, así que el "
     "archivo no se carga"),
    ("report at line 52: no form code (TMM-F004) found",
     "informe en línea 52: no se encontró la clave del formato (TMM-F004)"),
    ("report at page 1 line 3: form TMM-F005 is not TMM-F004",
     "informe en página 1 línea 3: el formato TMM-F005 no es TMM-F004"),
    ("report at line 52: no FECHA (cut-off date) found",
     "informe en línea 52: no se encontró la FECHA (fecha de corte)"),
    ("report at line 52: FECHA '31-feb-24' is not a valid date (day is out of range for month)",
     "informe en línea 52: FECHA '31-feb-24' no es una fecha válida (day is out of range for "
     "month)"),
    ("report at line 52: FECHA '30-sxp-24' has an unknown month 'sxp'",
     "informe en línea 52: FECHA '30-sxp-24' tiene un mes desconocido 'sxp'"),
    ("report at line 52: FECHA 'ayer' is not a date like 30-sep-24",
     "informe en línea 52: FECHA 'ayer' no es una fecha como 30-sep-24"),
    ("report at line 52: no UNIDAD EJECUTORA code in the header",
     "informe en línea 52: el encabezado no tiene la clave de UNIDAD EJECUTORA"),
    ("report 2024-58102-20240930 at line 52: no metas table found",
     "informe 2024-58102-20240930 en línea 52: no se encontró la tabla de metas"),
    ("report 2024-58102-20240930 at line 52: the report stops at line 80 without its signature "
     "block; the table looks cut off, so the report is incomplete",
     "informe 2024-58102-20240930 en línea 52: el informe termina en línea 80 sin su bloque de "
     "firmas; la tabla parece cortada, así que el informe está incompleto"),
    ("report 2024-58102-20240930 at line 52: the metas table has no column 'META ANUAL'",
     "informe 2024-58102-20240930 en línea 52: la tabla de metas no tiene la columna "
     "'META ANUAL'"),
    ("report 2024-58102-20240930 at line 52: the metas table has no period column(s) Oct-Dic P, "
     "Oct-Dic A",
     "informe 2024-58102-20240930 en línea 52: la tabla de metas no tiene la(s) columna(s) de "
     "periodo Oct-Dic P, Oct-Dic A"),
    ("report at line 52: no fiscal year in the title ('PROGRAMA OPERATIVO ANUAL <year>')",
     "informe en línea 52: el título no tiene el ejercicio fiscal ('PROGRAMA OPERATIVO ANUAL "
     "<año>')"),
    ("line 98: the publication 2024-58102-20240930 appears twice in the file (first at line 52)",
     "línea 98: la publicación 2024-58102-20240930 aparece dos veces en el archivo (la primera "
     "vez en línea 52)"),
    ("line 60: UNIDAD EJECUTORA is printed twice ('58102 GERENCIA' and '58103 OTRA'); the report "
     "cannot be identified",
     "línea 60: UNIDAD EJECUTORA aparece dos veces ('58102 GERENCIA' y '58103 OTRA'); no se "
     "puede identificar el informe"),
    ("9 period values where 8 belong (P and A for four quarters): the values do not line up "
     "with the columns, so none of them can be assigned to a quarter",
     "9 valores de periodo donde caben 8 (P y A de cuatro trimestres): los valores no coinciden "
     "con las columnas, así que ninguno puede asignarse a un trimestre"),
    ("17 cells where the table has 16 columns (unexpected 'x' after OBSERVACIONES)",
     "17 celdas donde la tabla tiene 16 columnas (sobra 'x' después de OBSERVACIONES)"),
    ("META ANUAL AUTORIZADA: 'treinta' is not a number",
     "META ANUAL AUTORIZADA: 'treinta' no es un número"),
    ("ACUMULADO RELATIVO: 'setenta' is not a percentage",
     "ACUMULADO RELATIVO: 'setenta' no es un porcentaje"),
    ("Jul-Sep A: '7a' is not a number", "Jul-Sep A: '7a' no es un número"),
    ("the description 'SEGUIMIENTO AL GASTO' does not start with a meta number",
     "la descripción 'SEGUIMIENTO AL GASTO' no empieza con un número de meta"),
    ("a header value with no field label before it", "un valor del encabezado sin etiqueta antes"),
    ("LINEAS DE ACCION: 'MESURA' has no code of 1 to 3 levels (eje, estrategia, línea)",
     "LINEAS DE ACCION: 'MESURA' no tiene una clave de 1 a 3 niveles (eje, estrategia, línea)"),
    ("meta_id blank: must not be blank (check not_nullable); Ene-Mar P value -1: must be 0 or "
     "more (check greater_than_or_equal_to(0))",
     "meta_id en blanco: no debe estar en blanco (verificación not_nullable); Ene-Mar P value -1: "
     "debe ser 0 o más (verificación greater_than_or_equal_to(0))"),
    ("report_id '2024-58102-20240930', meta_id 201: has no row in metas (check metas_fk)",
     "report_id '2024-58102-20240930', meta_id 201: no tiene renglón en metas (verificación "
     "metas_fk)"),
    ("report_id '2024-58102-20240930', meta_id 201: appears more than once; the first is kept "
     "(check multiple_fields_uniqueness)",
     "report_id '2024-58102-20240930', meta_id 201: aparece más de una vez; se conserva la "
     "primera (verificación multiple_fields_uniqueness)"),
    ("fiscal_year 2101: must be 2100 or less (check less_than_or_equal_to(2100))",
     "fiscal_year 2101: debe ser 2100 o menos (verificación less_than_or_equal_to(2100))"),
    ("Oct-Dic Q quarter 4: must be one of P, A (check isin(['P', 'A']))",
     "Oct-Dic Q quarter 4: debe ser uno de P, A (verificación isin(['P', 'A']))"),
    ("pmd_code '3..2': must look like 3.2.2 (check str_matches('^\\d+(\\.\\d+)*$'))",
     "pmd_code '3..2': debe tener la forma 3.2.2 (verificación str_matches('^\\d+(\\.\\d+)*$'))"),
    ("value 7: breaks dtype('float64') (check dtype('float64'))",
     "value 7: no cumple dtype('float64') (verificación dtype('float64'))"),
]  # fmt: skip


@pytest.mark.parametrize(("english", "spanish"), CASES)
def test_each_reason_in_spanish(english: str, spanish: str) -> None:
    assert reasons.reason_es(english) == spanish


def test_every_rule_has_a_case() -> None:
    for pattern, _ in reasons.COMPILED:
        assert any(pattern.search(english) for english, _ in CASES), pattern.pattern


@pytest.mark.parametrize(
    "english",
    ["a reason written after this table", "report at line 3: a reason written after this table"],
)
def test_a_reason_no_rule_knows_is_published_as_it_is(english: str) -> None:
    assert reasons.reason_es(english) == f"(en inglés) {english}"


def test_locations_in_spanish() -> None:
    assert reasons.location_es("poa2024_ramo58_ue58102.pdf page 1 line 19") == (
        "poa2024_ramo58_ue58102.pdf página 1 línea 19"
    )


def test_rejected_files_are_published_with_their_reasons(tmp_path: Path) -> None:
    """Three files rejected whole beside the sample; a fourth rejected, then fixed at the same
    path, is no longer listed once its fixed content loaded."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "vacio.txt").write_bytes(b"")
    (folder / "binario.txt").write_bytes(b"POA\x00\x01")
    (folder / "carta.txt").write_text("Estimado ciudadano:\nNo es un informe.\n")
    fixed = folder / "ctcm.txt"
    fixed.write_text("PROGRAMA OPERATIVO ANUAL 2024\n", encoding="utf-8")
    warehouse = tmp_path / "poa.duckdb"
    run_ingest([folder], warehouse)
    fixed.write_bytes(SAMPLE_TXT.read_bytes())
    run_ingest([folder], warehouse)
    out = tmp_path / "out"
    assert poa("export", "--out", str(out), "--warehouse", str(warehouse))[0] == 0
    lines = (out / "no_cargados.csv").read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith("renglón,2024,58102,2024-58102-20240930,ctcm.txt,ctcm.txt línea 73,")
    assert lines[2:] == [
        'archivo,,,,binario.txt,,,"contiene datos binarios, no es un volcado de texto (byte nulo '
        'en la posición 3)","binary data, not a text dump (NUL byte at offset 3)"',
        "archivo,,,,carta.txt,,,no es un informe TMM-F004: no tiene el título 'PROGRAMA "
        "OPERATIVO ANUAL <año>',not a TMM-F004 report: no title 'PROGRAMA OPERATIVO ANUAL "
        "<year>' found",
        "archivo,,,,vacio.txt,,,archivo vacío (0 bytes),empty file (0 bytes)",
    ]

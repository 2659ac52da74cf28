"""Why something was not loaded, in plain Spanish, for the published ``no_cargados``.

The pipeline words its reasons in English (``quarantine.reason``, ``sources.error``); the
transparency office publishes in Spanish. Each rule below matches one class of message the
pipeline produces (front ends, normalization, the data contract) and says it again in
Spanish; parts that are themselves messages (after "report at line 12: …") are translated
by the same rules. A message no rule knows is published as it is, marked "(en inglés)", so
nothing is ever hidden or guessed; the original is always published beside it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

UNTRANSLATED = "(en inglés) "

# Group names whose text is itself a message (translated again) or a location.
_NESTED = {"rest", "first", "reason"}
_LOCATIONS = {"where", "last", "firstat"}

_RULES: tuple[tuple[str, str], ...] = (
    # Whole files (sources.error)
    (r"empty file \(0 bytes\)", "archivo vacío (0 bytes)"),
    (r"cannot be read: (?P<why>.+)", "no se pudo leer el archivo: {why}"),
    (
        r"binary data, not a text dump \(NUL byte at offset (?P<n>\d+)\)",
        "contiene datos binarios, no es un volcado de texto (byte nulo en la posición {n})",
    ),
    (
        r"binary data, not a text dump \(control character (?P<c>.+) at character (?P<n>\d+)\)",
        "contiene datos binarios, no es un volcado de texto (carácter de control {c} en la "
        "posición {n})",
    ),
    (
        r"not readable as text: neither UTF-8 nor Windows-1252",
        "no se puede leer como texto: no está en UTF-8 ni en Windows-1252",
    ),
    (
        r"not a TMM-F004 report: no title 'PROGRAMA OPERATIVO ANUAL <year>' found",
        "no es un informe TMM-F004: no tiene el título 'PROGRAMA OPERATIVO ANUAL <año>'",
    ),
    (r"not a PDF file: it does not start with %PDF-", "no es un archivo PDF: no empieza con %PDF-"),
    (
        r"the PDF has (?P<n>\d+) pages; the limit is (?P<m>\d+) per file \(--max-pages\)",
        "el PDF tiene {n} páginas; el límite es {m} por archivo (--max-pages)",
    ),
    (
        r"reading stopped at page (?P<p>\d+) of (?P<t>\d+): it took longer than the limit of "
        r"(?P<s>\S+) s per file \(--max-seconds\)",
        "la lectura se detuvo en la página {p} de {t}: tardó más que el límite de {s} s por "
        "archivo (--max-seconds)",
    ),
    (
        r"no text layer: the PDF holds only images \((?P<n>\d+) pages?\), as a scan does; "
        r"(?P<reason>OCR is not available: .+)",
        "sin capa de texto: el PDF solo contiene imágenes ({n} página(s)), como un escaneo; "
        "{reason}",
    ),
    (
        r"a scan with an OCR text layer \((?P<n>\d+) pages?\): its only text is invisible, "
        r"laid over the page images by OCR, and does not form the TMM-F004 grid; "
        r"(?P<reason>OCR is not available: .+)",
        "un escaneo con capa de texto de OCR ({n} página(s)): su único texto es invisible, "
        "puesto sobre las imágenes por un OCR, y no forma la cuadrícula del TMM-F004; {reason}",
    ),
    (
        r"page (?P<p>\d+) cannot be read: it holds only an image \(a scan, no text layer\), "
        r"while other pages have printed text, so the file cannot be read whole; "
        r"(?P<reason>OCR is not available: .+)",
        "la página {p} no se puede leer: solo contiene una imagen (un escaneo, sin capa de "
        "texto), mientras otras páginas tienen texto impreso, así que el archivo no se puede "
        "leer completo; {reason}",
    ),
    (
        r"page (?P<p>\d+) cannot be read: its only text is an invisible OCR layer over a "
        r"scanned image, while other pages have printed text, so the file cannot be read "
        r"whole; (?P<reason>OCR is not available: .+)",
        "la página {p} no se puede leer: su único texto es una capa invisible de OCR sobre una "
        "imagen escaneada, mientras otras páginas tienen texto impreso, así que el archivo no "
        "se puede leer completo; {reason}",
    ),
    (
        r"OCR is not available: the OCR engine \(tesserocr\) is not installed; run `make setup`",
        "el OCR no está disponible: el motor de OCR (tesserocr) no está instalado; ejecute "
        "`make setup`",
    ),
    (
        r"OCR is not available: Tesseract's Spanish model \(spa.traineddata\) is not "
        r"installed; run `make setup-ocr`, or set TESSDATA_PREFIX to a folder holding "
        r"spa.traineddata",
        "el OCR no está disponible: el modelo de español de Tesseract (spa.traineddata) no "
        "está instalado; ejecute `make setup-ocr`, o indique en TESSDATA_PREFIX una carpeta "
        "que lo contenga",
    ),
    (
        r"page (?P<p>\d+) is a scan and OCR could not confirm the text outside the metas "
        r"table \(title, header, FECHA, signatures\), which must be exact: (?P<what>.+)",
        "la página {p} es un escaneo y el OCR no pudo confirmar el texto fuera de la tabla de "
        "metas (título, encabezado, FECHA, firmas), que debe ser exacto (lectura: {what})",
    ),
    (
        r"report (?P<rid>\S+): its header, read by OCR, (?P<what>.+); a misread cannot be "
        r"ruled out, so the file is not loaded \(load the publication from its text first if "
        r"it is right\)",
        "informe {rid}: su encabezado, leído por OCR, no coincide con lo ya cargado de texto "
        "(en inglés: {what}); no se puede descartar una mala lectura, así que el archivo no se "
        "carga (cargue primero la publicación desde su texto si es correcta)",
    ),
    (r"no text in the PDF", "el PDF no contiene texto"),
    # Files that are no regular files, that changed or stopped their reader (poa_etl.pipeline)
    (
        r"a FIFO \(named pipe\), not a regular file: it is not read",
        "una tubería con nombre (FIFO), no un archivo regular: no se lee",
    ),
    (
        r"a socket, not a regular file: it is not read",
        "un socket, no un archivo regular: no se lee",
    ),
    (
        r"a device, not a regular file: it is not read",
        "un dispositivo, no un archivo regular: no se lee",
    ),
    (
        r"a special file, not a regular file: it is not read",
        "un archivo especial, no un archivo regular: no se lee",
    ),
    (
        r"a broken symbolic link \(to (?P<target>.+)\)",
        "un enlace simbólico roto (apunta a {target})",
    ),
    (
        r"the file changed while this run read it; the next run reads it again",
        "el archivo cambió mientras esta carga lo leía; la siguiente carga lo lee de nuevo",
    ),
    (
        r"the process reading it stopped abruptly \(killed, out of memory, or crashed\), so it "
        r"was not read; the next run reads it again",
        "el proceso que lo leía se detuvo de golpe (lo terminaron, se quedó sin memoria o "
        "falló), así que no se leyó; la siguiente carga lo lee de nuevo",
    ),
    (
        r"too large to read in the memory available \((?P<n>\d+) bytes\)",
        "demasiado grande para leerse con la memoria disponible ({n} bytes)",
    ),
    (
        r"unexpected error while reading it \((?P<detail>.+)\); this is a bug in poa-etl, not a "
        r"known defect of the file: please report it with the file \(POA_DEBUG=1 shows the "
        r"traceback\)",
        "error inesperado al leerlo ({detail}); es una falla de poa-etl, no un defecto conocido "
        "del archivo: por favor repórtela junto con el archivo (POA_DEBUG=1 muestra el detalle)",
    ),
    (
        r"UTF-16 text without a byte-order mark, so its byte order is unknown: save it as "
        r"UTF-8, or as UTF-16 with a byte-order mark",
        "texto UTF-16 sin marca de orden de bytes, así que no se sabe en qué orden van sus "
        "bytes: guárdelo en UTF-8, o en UTF-16 con marca de orden de bytes",
    ),
    (
        r"not readable as (?P<code>UTF-\d+) text, though it starts with a (?P=code) byte-order "
        r"mark \((?P<why>.+) at byte (?P<n>\d+)\)",
        "no se puede leer como texto {code}, aunque empieza con la marca de orden de bytes de "
        "{code} ({why} en el byte {n})",
    ),
    (
        r"a reading-order text dump \(as plain `pdftotext` writes\): each cell is on a line of "
        r"its own, so the table's columns are lost and no row can be rebuilt; make the dump "
        r"with `pdftotext -layout`, or load the PDF itself",
        "un volcado de texto en orden de lectura (como lo escribe `pdftotext` sin opciones): "
        "cada celda está en su propio renglón, así que se perdieron las columnas de la tabla y "
        "ningún renglón puede reconstruirse; haga el volcado con `pdftotext -layout`, o cargue "
        "el PDF mismo",
    ),
    (
        r"(?P<where>line \d+): the metas table goes on to page (?P<p>\d+) without its header; a "
        r"text dump lays out each page on its own, so the columns cannot be matched across "
        r"the page break; load the PDF itself",
        "{where}: la tabla de metas sigue en la página {p} sin su encabezado; un volcado de "
        "texto acomoda cada página por separado, así que sus columnas no pueden emparejarse "
        "entre páginas; cargue el PDF mismo",
    ),
    (
        r"(?P<where>line \d+): the metas table goes on to page (?P<p>\d+) without its header, "
        r"set at a pitch of its own, and this row has (?P<k>\d+) numbers for its (?P<n>\d+) "
        r"number columns, so a layout dump cannot tell which columns are blank; make the dump "
        r"with `pdftotext -fixed 3`, or load the PDF itself",
        "{where}: la tabla de metas sigue en la página {p} sin su encabezado, acomodada a una "
        "escala propia, y este renglón tiene {k} números para sus {n} columnas de números, así "
        "que un volcado con columnas no puede decir qué columnas están en blanco; haga el "
        "volcado con `pdftotext -fixed 3`, o cargue el PDF mismo",
    ),
    (
        r"(?P<where>page \d+ line \d+): (?P<n>\d+) lines stand before the first report's "
        r"title and belong to no report \(a page turned upside down, or text that does not "
        r"read as a TMM-F004 report\); the file is not loaded, so no report of it is left out",
        "{where}: {n} líneas están antes del título del primer reporte y no pertenecen a "
        "ningún reporte (una página de cabeza, o texto que no se lee como un reporte "
        "TMM-F004); el archivo no se carga, para no dejar fuera ninguno de sus reportes",
    ),
    (
        r"(?P<where>line \d+): (?P<words>'.*') reaches column (?P<c>\d+), past where the unit "
        r"of measure's column begins \((?P<e>\d+)\), so a layout dump cannot tell the "
        r"description's last words from the unit's; load the PDF itself",
        "{where}: {words} llega a la columna {c}, más allá de donde empieza la de la unidad de "
        "medida ({e}), así que un volcado con columnas no puede distinguir las últimas "
        "palabras de la descripción de las de la unidad; cargue el PDF mismo",
    ),
    (
        r"(?P<where>line \d+): (?P<words>'.*') stand apart from each other under the "
        r"description's heading \(as justified text, or `pdftotext -fixed` at a fine pitch, "
        r"sets a description's words\), so a layout dump cannot tell the description from the "
        r"unit of measure; make the dump with `pdftotext -layout`, or load the PDF itself",
        "{where}: {words} están separadas entre sí bajo el encabezado de la descripción (como "
        "deja las palabras de una descripción el texto justificado, o `pdftotext -fixed` con "
        "un paso fino), así que un volcado con columnas no puede distinguir la descripción de "
        "la unidad de medida; haga el volcado con `pdftotext -layout`, o cargue el PDF mismo",
    ),
    (
        r"(?P<where>line \d+): meta (?P<meta>'.*') has no unit of measure standing apart from "
        r"its description, so a layout dump cannot tell a blank unit from one set against the "
        r"description's last words; load the PDF itself",
        "{where}: la meta {meta} no tiene unidad de medida separada de su descripción, así que "
        "un volcado con columnas no puede distinguir una unidad en blanco de una pegada a las "
        "últimas palabras de la descripción; cargue el PDF mismo",
    ),
    (
        r"(?P<where>line \d+): the metas table's P and A letters stand one space apart \(line "
        r"(?P<h>\d+): pdftotext crowded the table\), and this row has (?P<k>\d+) numbers for "
        r"its (?P<n>\d+) number columns, so a layout dump cannot tell which columns are blank; "
        r"make the dump with `pdftotext -fixed 3`, or load the PDF itself",
        "{where}: las letras P y A de la tabla de metas están a un espacio una de otra (línea "
        "{h}: pdftotext apretó la tabla), y este renglón tiene {k} números para sus {n} "
        "columnas de números, así que un volcado con columnas no puede decir qué columnas "
        "están en blanco; haga el volcado con `pdftotext -fixed 3`, o cargue el PDF mismo",
    ),
    (
        r"(?P<where>line \d+): the table's header label (?P<under>'.*') starts under "
        r"(?P<over>'.*'): the dump gives each letter more room than the print does \(as "
        r"`pdftotext -fixed` does with small print\), so the labels run into each other and a "
        r"layout dump cannot tell the table's columns apart; make the dump with `pdftotext "
        r"-layout`, or load the PDF itself",
        "{where}: la etiqueta {under} del encabezado de la tabla empieza debajo de {over}: el "
        "volcado da a cada letra más espacio que el impreso (como hace `pdftotext -fixed` con "
        "letra pequeña), así que las etiquetas se enciman y un volcado con columnas no puede "
        "separar las columnas de la tabla; haga el volcado con `pdftotext -layout`, o cargue "
        "el PDF mismo",
    ),
    (
        r"(?P<where>line \d+): (?P<text>'.*') lies halfway between two rows of the metas table, "
        r"so a layout dump cannot tell which it belongs to; load the PDF itself",
        "{where}: {text} queda a medio camino entre dos renglones de la tabla de metas, así que "
        "un volcado con columnas no puede decir a cuál pertenece; cargue el PDF mismo",
    ),
    (
        r"lines (?P<a>\d+) and (?P<b>\d+) both hold values of one row of the metas table, so a "
        r"layout dump cannot tell its rows apart; load the PDF itself",
        "las líneas {a} y {b} tienen valores de un mismo renglón de la tabla de metas, así que "
        "un volcado con columnas no puede separar sus renglones; cargue el PDF mismo",
    ),
    (
        r"sheet (?P<sheet>'.*') holds text but no report: (?P<rest>.+)",
        "la hoja {sheet} tiene texto pero ningún informe: {rest}",
    ),
    (
        r"not a well-formed delimited file \((?P<detail>.+)\)",
        "no es un archivo delimitado bien formado ({detail})",
    ),
    (r"not a readable Excel workbook: (?P<detail>.+)", "no es un libro de Excel legible: {detail}"),
    (
        r"not a readable OpenDocument spreadsheet: (?P<detail>.+)",
        "no es una hoja de cálculo OpenDocument legible: {detail}",
    ),
    (
        r"encrypted PDF: the password given does not open it",
        "PDF cifrado: la contraseña dada no lo abre",
    ),
    (
        r"encrypted PDF: a password is needed to read it \(--pdf-password\)",
        "PDF cifrado: se necesita una contraseña para leerlo (--pdf-password)",
    ),
    (r"corrupt or truncated PDF: (?P<detail>.+)", "PDF dañado o incompleto: {detail}"),
    (
        r"report (?P<rid>\S+): (?P<reason>.+); the header breaks the data contract, so the "
        r"file is not loaded",
        "informe {rid}: {reason}; el encabezado no cumple el contrato de datos, así que el "
        "archivo no se carga",
    ),
    (r"report at (?P<where>[^:]+): (?P<rest>.+)", "informe en {where}: {rest}"),
    (r"report (?P<rid>\S+) at (?P<where>[^:]+): (?P<rest>.+)", "informe {rid} en {where}: {rest}"),
    (
        r"(?P<where>[^:]+): the publication (?P<rid>\S+) appears twice in the file "
        r"\(first at (?P<firstat>.+)\)",
        "{where}: la publicación {rid} aparece dos veces en el archivo (la primera vez en "
        "{firstat})",
    ),
    (
        r"(?P<where>[^:]+): (?P<label>[^:]+) is printed twice \((?P<a>.+) and (?P<b>.+)\); the "
        r"report cannot be identified",
        "{where}: {label} aparece dos veces ({a} y {b}); no se puede identificar el informe",
    ),
    # What follows "report at …: "
    (r"no form code \((?P<code>[^)]+)\) found", "no se encontró la clave del formato ({code})"),
    (r"form (?P<form>.+) is not (?P<code>\S+)", "el formato {form} no es {code}"),
    (r"no FECHA \(cut-off date\) found", "no se encontró la FECHA (fecha de corte)"),
    (r"FECHA (?P<rest>'.+)", "FECHA {rest}"),
    (r"no (?P<label>.+) code in the header", "el encabezado no tiene la clave de {label}"),
    (r"no metas table found", "no se encontró la tabla de metas"),
    (
        r"the report stops at (?P<last>.+) without its signature block; the table looks cut "
        r"off, so the report is incomplete",
        "el informe termina en {last} sin su bloque de firmas; la tabla parece cortada, así "
        "que el informe está incompleto",
    ),
    (
        r"(?P<n>\d+) lines read, (?P<m>\d+) placed \((?P<parts>[^)]*)\): (?P<k>\d+) line\(s\) "
        r"belong to no part of the report, so it may be incomplete",
        "se leyeron {n} renglones y se ubicaron {m} ({parts}): {k} renglón(es) no pertenecen a "
        "ninguna parte del informe, así que podría estar incompleto",
    ),
    (
        r"(?P<n>\d+) lines read, (?P<m>\d+) placed \((?P<parts>[^)]*)\): (?P<k>\d+) line\(s\) "
        r"were counted twice",
        "se leyeron {n} renglones y se ubicaron {m} ({parts}): {k} renglón(es) se contaron dos "
        "veces",
    ),
    (
        r"the numbered metas stop at (?P<last>.+?), but the table goes on at (?P<where>.+?) "
        r"\((?P<text>'.*')\) with no meta number: the table was not read as published, so the "
        r"report is not loaded",
        "las metas numeradas terminan en {last}, pero la tabla sigue en {where} ({text}) sin "
        "número de meta: la tabla no se leyó como se publicó, así que el informe no se carga",
    ),
    (
        r"the numbered metas are missing, but the table goes on at (?P<where>.+?) "
        r"\((?P<text>'.*')\) with no meta number: the table was not read as published, so the "
        r"report is not loaded",
        "faltan las metas numeradas, pero la tabla sigue en {where} ({text}) sin número de "
        "meta: la tabla no se leyó como se publicó, así que el informe no se carga",
    ),
    (
        r"the signature block, from (?P<where>.+?), holds (?P<text>'.*'), which looks like a row "
        r"of the metas table: the table was not read to its end, so the report is not loaded",
        "el bloque de firmas, desde {where}, contiene {text}, que parece un renglón de la tabla "
        "de metas: la tabla no se leyó hasta su final, así que el informe no se carga",
    ),
    (
        r"the signature block does not pair up: (?P<text>'.*') at (?P<where>.+?) has no name "
        r"under it, so the block was not read as published",
        "el bloque de firmas no forma pares: {text} en {where} no tiene un nombre debajo, así "
        "que el bloque no se leyó como se publicó",
    ),
    (
        r"the metas table's labels (?P<a>'[^']*') and (?P<b>'[^']*') stand over one column",
        "las etiquetas {a} y {b} de la tabla de metas quedan sobre una sola columna",
    ),
    (
        r"the metas table has no period column\(s\) (?P<cols>.+)",
        "la tabla de metas no tiene la(s) columna(s) de periodo {cols}",
    ),
    (
        r"the metas table has no column (?P<label>.+)",
        "la tabla de metas no tiene la columna {label}",
    ),
    (
        r"no fiscal year in the title \('PROGRAMA OPERATIVO ANUAL <year>'\)",
        "el título no tiene el ejercicio fiscal ('PROGRAMA OPERATIVO ANUAL <año>')",
    ),
    # Rows of the metas table and of the header (quarantine, stages 'table' and 'header')
    (
        r"ocr_uncertain: (?P<where>page \d+ line \d+): (?P<cells>.+)",
        "ocr_uncertain: {where}: una lectura por OCR no confirmada (en inglés: {cells})",
    ),
    (
        r"(?P<found>\d+) period values where (?P<expected>\d+) belong \(P and A for four "
        r"quarters\): the values do not line up with the columns, so none of them can be "
        r"assigned to a quarter",
        "{found} valores de periodo donde caben {expected} (P y A de cuatro trimestres): los "
        "valores no coinciden con las columnas, así que ninguno puede asignarse a un trimestre",
    ),
    (
        r"(?P<used>\d+) cells where the table has (?P<width>\d+) columns \(unexpected "
        r"(?P<extra>.+) after OBSERVACIONES\)",
        "{used} celdas donde la tabla tiene {width} columnas (sobra {extra} después de "
        "OBSERVACIONES)",
    ),
    (
        r"the row has (?P<n>\d+) cells where the table has (?P<m>\d+): it stops before "
        r"(?P<label>.+), so it was cut short and is not loaded",
        "el renglón tiene {n} celdas donde la tabla tiene {m}: termina antes de {label}, así "
        "que se cortó y no se carga",
    ),
    (
        r"(?P<value>'.*') \((?P<length>\d+) characters\) has (?P<n>\d+) digits: only numbers of "
        r"up to (?P<max>\d+) digits are held exactly, so it is not read",
        "{value} ({length} caracteres) tiene {n} dígitos: solo los números de hasta {max} "
        "dígitos se guardan con exactitud, así que no se lee",
    ),
    (
        r"(?P<value>'.*') has (?P<n>\d+) digits: only numbers of up to (?P<max>\d+) digits are "
        r"held exactly, so it is not read",
        "{value} tiene {n} dígitos: solo los números de hasta {max} dígitos se guardan con "
        "exactitud, así que no se lee",
    ),
    (
        r"meta number (?P<value>'.*') is too large: meta numbers go up to (?P<max>\d+)",
        "el número de meta {value} es demasiado grande: los números de meta llegan hasta {max}",
    ),
    (r"(?P<value>'.*') is not a number", "{value} no es un número"),
    (r"(?P<value>'.*') is not a percentage", "{value} no es un porcentaje"),
    (
        r"(?P<value>'.*') has an unknown month (?P<month>'.*')",
        "{value} tiene un mes desconocido {month}",
    ),
    (r"(?P<value>'.*') is not a date like 30-sep-24", "{value} no es una fecha como 30-sep-24"),
    (
        r"(?P<value>'.*') is not a valid date \((?P<why>.+)\)",
        "{value} no es una fecha válida ({why})",
    ),
    (
        r"the description (?P<text>.+) does not start with a meta number",
        "la descripción {text} no empieza con un número de meta",
    ),
    (r"a header value with no field label before it", "un valor del encabezado sin etiqueta antes"),
    (
        r"(?P<label>[^:]+): (?P<text>.+) has no code of 1 to 3 levels \(eje, estrategia, línea\)",
        "{label}: {text} no tiene una clave de 1 a 3 niveles (eje, estrategia, línea)",
    ),
    # The data contract (quarantine stage 'contract'): "cells: expectation (check name)",
    # several joined by "; ".
    (r"(?P<first>.+? \(check .+?\)); (?P<rest>.+)", "{first}; {rest}"),
    (
        r"(?P<cells>.+?): has no row in (?P<table>\w+) \(check (?P<check>.+)\)",
        "{cells}: no tiene renglón en {table} (verificación {check})",
    ),
    (
        r"(?P<cells>.+?): appears more than once; the first is kept \(check (?P<check>.+)\)",
        "{cells}: aparece más de una vez; se conserva la primera (verificación {check})",
    ),
    (
        r"(?P<cells>.+?): must be (?P<n>\S+) or more \(check (?P<check>.+)\)",
        "{cells}: debe ser {n} o más (verificación {check})",
    ),
    (
        r"(?P<cells>.+?): must be (?P<n>\S+) or less \(check (?P<check>.+)\)",
        "{cells}: debe ser {n} o menos (verificación {check})",
    ),
    (
        r"(?P<cells>.+?): must be one of (?P<values>.+) \(check (?P<check>.+)\)",
        "{cells}: debe ser uno de {values} (verificación {check})",
    ),
    (
        r"(?P<cells>.+?): must look like (?P<example>.+) \(check (?P<check>.+)\)",
        "{cells}: debe tener la forma {example} (verificación {check})",
    ),
    (
        r"(?P<cells>.+?): must not be blank \(check (?P<check>.+)\)",
        "{cells}: no debe estar en blanco (verificación {check})",
    ),
    (
        r"(?P<cells>.+?): breaks (?P<what>\S+) \(check (?P<check>.+)\)",
        "{cells}: no cumple {what} (verificación {check})",
    ),
    # A cell error with the column it was read from: "META ANUAL AUTORIZADA: 'x' is …"
    (r"(?P<label>[^:']+): (?P<rest>'.+)", "{label}: {rest}"),
)
COMPILED = tuple((re.compile(pattern, re.DOTALL), template) for pattern, template in _RULES)
_BLANK = re.compile(r"\bblank\b")


def reason_es(message: str) -> str:
    """``message`` in plain Spanish, or marked as untranslated when no rule knows it."""
    return _translate(message) or UNTRANSLATED + message


def location_es(location: str) -> str:
    """``poa.pdf page 1 line 19`` → ``poa.pdf página 1 línea 19``; a sheet's row, ``fila``."""
    located = re.sub(r"\bsheet ('.*?') row (\d+)", r"hoja \1 fila \2", location)
    located = re.sub(r"\bpage (\d+)", r"página \1", located)
    return re.sub(r"\bline (\d+)", r"línea \1", located)


def _translate(message: str) -> str | None:
    for pattern, template in COMPILED:
        if match := pattern.fullmatch(message):
            found = match.groupdict().items()
            parts = {name: _PARTS.get(name, str)(value) for name, value in found}
            if None in parts.values():
                continue  # a nested part no rule knows: try the next rule, else untranslated
            return template.format(**parts)
    return None


# How each named part of a message is said in Spanish; any other part is kept as printed.
_PARTS: dict[str, Callable[[str], str | None]] = {
    **dict.fromkeys(_NESTED, _translate),
    **dict.fromkeys(_LOCATIONS, location_es),
    "cells": lambda cells: _BLANK.sub("en blanco", cells),
}

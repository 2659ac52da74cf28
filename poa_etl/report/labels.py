"""The labels of the form's header block, as the form prints them (without accents or
colons): what the front ends look for and what the header interpretation pairs."""

from __future__ import annotations

# Header label -> the field it names; one value each.
SINGLE_FIELDS = {
    "RAMO": "ramo",
    "PROGRAMA": "program",
    "UNIDAD EJECUTORA": "unit",
    "FINALIDAD": "finalidad",
    "FUNCION": "funcion",
    "SUBFUNCION": "subfuncion",
}
# Labels of the alignment with the municipal development plan: several values each.
ALIGNMENT_LABELS = {"EJE DE GOBIERNO", "LINEAS DE ACCION"}

"""Publishing for the transparency portal and office: CSV datasets, an xlsx workbook and
the SIPOT quarterly layout, each with a validated data package, swapped in whole
(``export`` is the entry point)."""

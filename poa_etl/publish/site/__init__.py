"""``poa report``: a static HTML site of the warehouse for analysts and the public — the
status of every meta, progress charts, quality issues, what was not loaded, comparisons
across years — self-contained (inline SVG and CSS, no script, no network), in Spanish,
printable. ``data`` reads the warehouse, ``charts`` draws, ``pages`` renders, ``build``
writes the folder."""

"""The store: the DuckDB warehouse (``warehouse``), the analysts' views (``views``), the
Parquet lake beside it (``lake``) and the run log (``runs``)."""

"""poa-etl: Mexicali's POA physical-progress reports (form TMM-F004) into DuckDB.

Built as a small compiler, one folder per stage:
``extract`` (front ends: a file → its reports in the one ``report`` form) →
``transform`` (normalize, enforce the data contract, find quality issues) →
``store`` (DuckDB warehouse, views, Parquet lake, run log) → ``publish`` (exports).
``pipeline`` ties the stages into one library call; ``cli`` is the ``poa`` command;
Prefect flows (``flows/``, outside this package) wrap the same pipeline functions.
"""

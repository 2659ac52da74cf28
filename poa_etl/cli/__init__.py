"""The ``poa`` command line. Exit status: 0 done; 1 a file rejected or a command failed;
2 usage; 3 the warehouse stayed busy; 4 loaded, but the Parquet lake not refreshed."""

from poa_etl.cli.app import app

__all__ = ["app"]

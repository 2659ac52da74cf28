"""Prefect flows: orchestration only. Every step they run is a plain poa_etl function."""

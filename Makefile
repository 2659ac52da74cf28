# poa-etl — every dependency comes from this repository's files (uv.lock), on the system Python.
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
POA := .venv/bin/poa

export UV_PYTHON := $(PYTHON)
export UV_PYTHON_DOWNLOADS := never
export UV_COMPILE_BYTECODE := 1
# Prefect: state kept in the project, no telemetry.
export PREFECT_HOME ?= $(CURDIR)/.prefect
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1
PREFECT_PORT ?= 4200

.PHONY: setup setup-ocr run test lint format bench mutation mutation-full fixtures prefect-server serve clean

# uv itself, pinned, installed with the system Python into .tools/ (not on PATH on a fresh machine).
$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/python -m pip --isolated install --quiet uv==$(UV_VERSION)

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	@touch $@

setup: .venv/.synced ## Create .venv with the locked dependencies.

# OCR of scanned PDFs: the engine (tesserocr, with libtesseract in its wheel) comes from
# uv.lock; Tesseract's Spanish model from Debian's tesseract-ocr-spa, installed here when
# it is missing (as root; else the command to run is printed and make stops).
SPA_MODEL := /usr/share/tesseract-ocr/5/tessdata/spa.traineddata
setup-ocr: setup ## Make OCR work: Debian's Spanish model for Tesseract, unless it is there.
	@if [ -n "$$TESSDATA_PREFIX" ]; then \
	  [ -f "$$TESSDATA_PREFIX/spa.traineddata" ] || { \
	    echo "TESSDATA_PREFIX=$$TESSDATA_PREFIX holds no spa.traineddata" >&2; exit 1; }; \
	elif [ -f $(SPA_MODEL) ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr-spa; \
	else \
	  echo "OCR needs Tesseract's Spanish model: run 'sudo apt-get install tesseract-ocr-spa'" >&2; \
	  exit 1; \
	fi

run: setup setup-ocr ## Ingest data/raw into the warehouse and show what was loaded.
	$(POA) ingest data/raw
	@printf '\nWhat the warehouse holds, per report:\n'
	@$(POA) sql "SELECT fiscal_year, unit_code, unit_name, cut_off_date, \
	  (SELECT count(*) FROM metas m WHERE m.report_id = r.report_id) AS metas, \
	  (SELECT count(*) FROM progress p WHERE p.report_id = r.report_id) AS progress_rows \
	  FROM reports r ORDER BY fiscal_year, unit_code"
	@printf '\nAn example query, programmed vs achieved per quarter (poa sql "..."):\n'
	@$(POA) sql "SELECT unit_code, meta_id, quarter, \
	  max(value) FILTER (measure = 'P') AS programmed, max(value) FILTER (measure = 'A') AS achieved \
	  FROM progress WHERE fiscal_year = 2024 AND unit_code = '58201' GROUP BY ALL ORDER BY ALL LIMIT 12"

test: setup setup-ocr lint ## Lint, then run the test suite.
	.venv/bin/pytest

prefect-server: setup ## A Prefect server on 127.0.0.1:$(PREFECT_PORT), UI included (Ctrl-C stops it).
	.venv/bin/prefect server start --host 127.0.0.1 --port $(PREFECT_PORT)

serve: setup ## Serve the nightly ingestion to that server (Ctrl-C stops it).
	PREFECT_API_URL=http://127.0.0.1:$(PREFECT_PORT)/api .venv/bin/poa serve

bench: setup setup-ocr ## Benchmarks at scale against baselines, into bench/results.md (a few minutes).
	.venv/bin/python -m bench.run
	.venv/bin/python -m bench.ocr

# A seeded random sample of the core's mutants, in proportion per module: all of them take
# hours on 2 cores. MUTANTS=... and MUTATION_SEED=... change the draw.
MUTANTS ?= 400
MUTATION_SEED ?= 17
mutation: setup ## Mutation testing of the core with mutmut, on a sample (about 30 min on 2 cores; docs/mutation.md).
	rm -rf mutants
	.venv/bin/python -m tests.mutation_run --sample $(MUTANTS) --seed $(MUTATION_SEED) --max-children 2 || true
	.venv/bin/python -m tests.mutation_score

mutation-full: setup ## Every mutant of the core (hours on 2 cores).
	rm -rf mutants
	.venv/bin/python -m tests.mutation_run --sample all --max-children 2 || true
	.venv/bin/python -m tests.mutation_score

fixtures: setup ## Regenerate tests/fixtures/variants with LibreOffice, Chromium, poppler, qpdf, OCR (Debian tools).
	tests/fixtures/make_variants.sh

lint: setup ## ruff: lint and formatting.
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format: setup
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

clean: ## Remove the environments, Prefect's state and the warehouse (data/raw is kept).
	rm -rf .venv .tools .prefect mutants data/warehouse/*.duckdb data/warehouse/*.wal data/warehouse/lake

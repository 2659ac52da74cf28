"""The pipeline, stage by stage: ``plan`` (what is new), ``read`` (one file, any process),
``load`` (validate and write in one transaction, log the run, refresh the lake), tied
together by ``run.ingest`` — a plain library call, with or without Prefect."""

"""Transforms, written once for every front end: the intermediate form into the warehouse
tables (``normalize``, ``header``), the data contract enforced with pandera (``contract``)
and the quality rules over the warehouse (``quality``)."""

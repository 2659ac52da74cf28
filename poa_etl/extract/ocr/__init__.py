"""OCR front end: pages that are scans (an image and no printed text, with or without an
OCR text layer) read from their image into the PDF front end's page model.

``missing_reason`` says, without loading the engine, whether OCR can run here and how to
enable it; ``ScannedPages`` reads the pages. Everything read carries the engine's
confidence and, where a second read did not confirm it, the doubt.
"""

from poa_etl.extract.ocr.engine import missing_reason
from poa_etl.extract.ocr.pages import ScannedPages

__all__ = ["ScannedPages", "missing_reason"]

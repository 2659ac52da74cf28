"""The one report form: what every front end produces (``form``), how the form's cells
are read (``cells``) and where its metas table keeps each column (``columns``)."""

"""Why a whole file is not loaded."""


class RejectedFile(Exception):
    """The file cannot be loaded at all; the message says why, in plain words.

    Raised by front ends (unreadable, not text, no report) and by normalization
    (a report that is incomplete or unidentifiable). Nothing from the file is loaded.
    """

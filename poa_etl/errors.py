"""The failures a caller is told about in plain words, by kind."""


class RejectedFile(Exception):
    """The file cannot be loaded at all; the message says why, in plain words.

    Raised by front ends (unreadable, not text, no report) and by normalization
    (a report that is incomplete or unidentifiable). Nothing from the file is loaded.
    """


class UsageError(Exception):
    """A path or option given by the caller that cannot be used at all."""


class LoadedThenInterrupted(KeyboardInterrupt):
    """Interrupted (Ctrl-C, SIGTERM) after the load committed: the files read are loaded;
    the Parquet lake and the warehouse checkpoint are finished by the next run."""

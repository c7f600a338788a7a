"""sfcoach: a command-line meeting coach for solution-focused conversations."""

__version__ = "0.1.0"

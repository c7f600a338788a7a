"""The interface languages: one module per language (see en.py)."""

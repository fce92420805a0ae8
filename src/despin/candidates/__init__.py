"""Candidate generation: where possible original wordings come from."""

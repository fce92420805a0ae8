"""Scoring models: how fluent a wording is, and how likely a spinner made a swap."""

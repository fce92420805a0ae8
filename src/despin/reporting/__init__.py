"""Reporting: what check and restore print, for people and for machines."""

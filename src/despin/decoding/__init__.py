"""Decoding: deciding which spans are spun and which restoration to choose."""

"""Option types of the command line."""
from __future__ import annotations

import math

import click


class FloatRange(click.FloatRange):
    """click's FloatRange without NaN, which passes every bound (no comparison with it is true)
    and would then make every test against the option false."""

    def convert(self, value, param, ctx):
        number = super().convert(value, param, ctx)
        if math.isnan(number):
            self.fail(f"{value!r} is not a number.", param, ctx)
        return number

"""Reasoning about policies rather than deciding subjects: coverage, comparison across
organisations and invariants."""

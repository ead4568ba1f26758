"""Benchmarks: each script prints the figures quoted in the README."""

from __future__ import annotations

"""Importing the exports animators already have: read, recognise, validate, load."""

from __future__ import annotations

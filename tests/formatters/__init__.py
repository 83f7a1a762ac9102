"""Tests of the CI output formats."""

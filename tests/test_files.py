"""Paths relative to the filter's root, worked out per folder, are what os.path.relpath says."""
from __future__ import annotations

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from policylint.files import FileFilter

_PART = st.sampled_from(["a", "b", "policy.md", "..", ".", "", "x y", "é"])


@given(root=st.lists(_PART, max_size=4), path=st.lists(_PART, min_size=1, max_size=5), absolute=st.booleans())
@settings(max_examples=500, deadline=None)
def test_relative_paths_are_what_relpath_says(root: list[str], path: list[str], absolute: bool) -> None:
    base = os.path.join(os.sep, *root)
    given_path = os.path.join(os.sep if absolute else "", *path) or "."
    file_filter = FileFilter(root=base)
    expected = os.path.relpath(os.path.abspath(given_path), file_filter.root).replace(os.sep, "/")
    assert file_filter._relative(given_path) == expected, (base, given_path)

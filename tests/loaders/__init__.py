"""Tests of extractors.loaders (a package, so that its conftest does not clash with other test folders)."""

"""Warta: search and analysis for Indonesian news archives."""

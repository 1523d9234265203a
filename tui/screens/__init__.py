"""Screens: search (main), reader, welcome, saved searches, help."""

"""Widgets, one module per area of the screen."""

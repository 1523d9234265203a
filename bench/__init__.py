"""Benchmarks and evaluations for Warta; not shipped with the package.

A regular package so that tests and the scripts share one import path (`bench.corpus`).
"""

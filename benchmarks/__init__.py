"""Measurements that are not tests: detection quality on labelled corpora, crawl speed.

Not collected by pytest (pyproject's testpaths is ``tests``); each module runs with
``python -m benchmarks.<name>``.
"""

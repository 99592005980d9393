"""trustaudit's engine: crawl a site or a folder, extract facts once per page, run checks, report.

The engine knows no particular trust signal; those live in the ``checks`` package and register
through the ``trustaudit.checks`` entry-point group.
"""

__version__ = "0.1.0"

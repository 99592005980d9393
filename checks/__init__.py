"""trustaudit's built-in check catalogue, one module per category.

Each module registers its checks through the ``trustaudit.checks`` entry-point group. The marker
below lets the engine tell this package from another installed package that is also named
``checks`` (a clear error instead of a confusing import failure).
"""

TRUSTAUDIT_CHECKS_PACKAGE = True

"""Jinja2 templates and static assets of trustaudit's report site (package data).

The marker lets the engine verify at start-up that this is trustaudit's template package and not
another installed package of the same name.
"""

TRUSTAUDIT_TEMPLATES_PACKAGE = True

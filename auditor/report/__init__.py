"""The report outputs: the static HTML report site rendered from report.json (``render``).

The site is built from the report.json dict alone, never from crawler objects, so
``trustaudit render report.json`` rebuilds exactly the site an audit wrote.
"""

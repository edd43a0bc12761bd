"""The course's classroom: JupyterHub, nbgrader's exchange, formgrader and a PostgreSQL gradebook
on one Linux server (``make classroom``). See deploy/README.md."""

"""The examiners' marking page on the lab's own network (issue 22, item 3): a Starlette app
served by uvicorn, a face over ``simtool.app.exam`` like the command line (no Qt, no
``simtool.cli``/``simtool.ui``: an import-linter contract). ``server.create_app`` builds it,
``server.serve`` runs it on the one interface the operator chose; the page itself is plain
HTML + JS in ``static/`` (no framework, no CDN: nothing leaves the building)."""

"""`tthc serve`: the review workspace, where an officer checks, corrects and signs off a
period in a browser, over the same store and pipeline as `tthc run`.

Takes a reports folder, a results folder and a store (through tthc.runjob, the job both
`tthc run` and this workspace run; it never imports the command line) and serves pages.

`workspace` holds the session (the results folder taken like a run takes it, reading in the
background with the run's workers, the district made by `tthc.runjob.summarize` with the
store's corrections, uploads kept by content hash), `app` the Starlette routes and views,
`documents` the page images with the evidence boxed (pypdfium2) and a report's text with
the passage marked, in a helper process; `security` the login, sessions, CSRF and headers;
`templates/` and `static/` the pages, CSS and JavaScript it serves itself (no CDN, no
build). `serve` starts it (uvicorn) and opens the browser.
"""

from tthc.serve.app import create_app
from tthc.serve.security import HostRefused, check_host
from tthc.serve.server import PortError, serve
from tthc.serve.workspace import Refused, Workspace

__all__ = ["HostRefused", "PortError", "Refused", "Workspace", "check_host", "create_app", "serve"]

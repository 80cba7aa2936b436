"""One PDF, rendered by WeasyPrint in a child process (plc/offload.py `in_child_process`): the
page's HTML and the files it may pull in arrive as JSON on stdin, the PDF leaves on stdout.

WeasyPrint is pure Python: in the server's process it would hold the GIL, and the live room
would wait for it. Run as a script, this file imports nothing of the app (importing `plc`
would build all of it first).
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

THUMB_URL = re.compile(r"^/work/(\d+)/thumb(?:\?.*)?$")


class PageFiles(URLFetcher):
    """Fetches only the app's static files and the thumbnails given, from disk: a PDF never
    reaches the network or another team's work."""

    def __init__(self, thumbs: dict[int, Path], static: Path):
        super().__init__()
        self.thumbs, self.static = thumbs, static

    def fetch(self, url, headers=None):
        path = re.sub(r"^https?://[^/]+", "", url)
        if match := THUMB_URL.match(path):
            if int(match.group(1)) not in self.thumbs:
                raise ValueError("not this team's image")
            return URLFetcherResponse(url, self.thumbs[int(match.group(1))].read_bytes(), {"Content-Type": "image/jpeg"})
        if path.startswith("/static/"):
            target = (self.static / path.removeprefix("/static/").split("?")[0]).resolve()
            if self.static in target.parents and target.is_file():
                kind = "text/css" if target.suffix == ".css" else "application/octet-stream"
                return URLFetcherResponse(url, target.read_bytes(), {"Content-Type": kind})
        raise ValueError(f"{url} is not fetched into a PDF")


def render(html: str, thumbs: dict[int, Path], static: Path) -> bytes:
    return HTML(string=html, base_url="http://localhost/", url_fetcher=PageFiles(thumbs, static)).write_pdf()


if __name__ == "__main__":
    page = json.load(sys.stdin)
    thumbs = {int(sample_id): Path(path) for sample_id, path in page["thumbs"].items()}
    sys.stdout.buffer.write(render(page["html"], thumbs, Path(page["static"])))

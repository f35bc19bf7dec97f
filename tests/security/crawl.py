"""A small breadth-first crawler over the Flask test client: the seeds, then every same-site link,
form action and script/image source of each HTML page, skipping what changes the session or a row
on GET (logout, language, FAB's GET delete/action, the back button) and the form PDFs (slow to render:
test_pii_crawl fetches one per role)."""
from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from html import unescape
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

LINK = re.compile(r"""(?:href|action|src|data-url|data-source)\s*=\s*["']([^"'#]+)""", re.I)
SKIP = re.compile(r"^/(logout/?|lang/|back$|static/)|/delete/|/action/|/download/|/action_post$|\.pdf$")
# FAB's sort, filter and paging parameters: one page of each list is enough
NOISE = ("_oc_", "_od_", "_flt_", "psize_", "page_", "page", "dir", "sort")


@dataclass
class Page:
    url: str
    status: int
    content_type: str
    body: str
    method: str = "GET"


def _key(url: str) -> str:
    parts = urlsplit(url)
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.startswith(NOISE))
    return parts.path + ("?" + urlencode(query) if query else "")


def _links(base: str, body: str):
    for raw in LINK.findall(body):
        url = urljoin(base, unescape(raw).strip())
        parts = urlsplit(url)
        if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "localhost"):
            continue
        if not parts.path.startswith("/") or SKIP.search(parts.path):
            continue
        yield parts.path + ("?" + parts.query if parts.query else "")


def _pattern(key: str) -> str:
    return re.sub(r"/\d+(?=/|$|\?)", "/#", key)


def crawl(client, seeds, *, limit: int = 300, per_pattern: int = 2) -> list[Page]:
    """GET every seed and every page reachable from them (at most `limit` pages); of the pages found by
    following links, at most `per_pattern` of each shape (`/catalog/titles/show/#`): the rows of one list
    are drawn by one template."""
    queue, seen, pages, shapes = deque((url, True) for url in seeds), set(), [], {}
    while queue and len(pages) < limit:
        url, seed = queue.popleft()
        key = _key(url)
        if key in seen or SKIP.search(urlsplit(url).path):
            continue
        seen.add(key)
        shape = _pattern(key)
        if not seed:
            if shapes.get(shape, 0) >= per_pattern:
                continue
            shapes[shape] = shapes.get(shape, 0) + 1
        response = client.get(url)
        content_type = response.headers.get("Content-Type", "")
        textual = content_type.startswith(("text/", "application/json")) or "javascript" in content_type
        body = response.get_data().decode("utf-8", "replace") if textual else ""
        pages.append(Page(url, response.status_code, content_type, body))
        if response.status_code in (301, 302, 303) and response.headers.get("Location"):
            queue.append((urljoin(url, response.headers["Location"]), False))
        if content_type.startswith("text/html"):
            for link in _links(url, body):
                queue.append((link, False))
    return pages


def argument_free_get_routes(app) -> list[str]:
    """The url_map's GET routes that take no argument."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments and not SKIP.search(rule.rule):
            urls.append(rule.rule)
    return sorted(urls)


POST_FORM = re.compile(r"<form\b[^>]*\bmethod\s*=\s*[\"']?post[\"']?[^>]*>(.*?)</form>", re.I | re.S)


def forms_without_token(body: str) -> list[str]:
    """The opening tags of the POST forms in `body` that carry no csrf_token field."""
    missing = []
    for match in POST_FORM.finditer(body):
        if 'name="csrf_token"' not in match.group(1):
            missing.append(match.group(0)[: match.group(0).find(">") + 1])
    return missing

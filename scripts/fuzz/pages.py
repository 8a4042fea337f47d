"""Probe the server-rendered pages' forms with bad input; print every 5xx and every script echoed back.

Usage: .venv/bin/python scripts/fuzz/pages.py BASE_URL SESSIONS_JSON (as written by scripts/fuzz/api.sh)
SESSIONS_JSON maps a role's sign-in to a session key (anonymous is always probed too). It crawls each
caller's pages (one or two URLs per URL shape), then submits every form with each bad value below, once
with a CSRF token and once without. It writes to the database it is pointed at: use a scratch one.
"""

import json
import re
import sys
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import requests

MARKER = "<script>alert('fuzz')</script>"
BAD_VALUES = {
    "long": "x" * 10_000,
    "script": MARKER,
    "negative": "-1",
    "huge": "99999999999999999999",
    "float": "1.5e308",
    "bad_date": "2021-02-30",
    "word": "not-a-number",
    "nul": "a\x00b",
    "empty": "",
}
SKIP = re.compile(r"/(sign-out|admin|api|static|assets|healthz)/|/download/|password-reset/.+/")


class Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self.links: list[str] = []
        self._form: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {"method": (a.get("method") or "get").lower(), "action": a.get("action") or "", "fields": {}}
            self.forms.append(self._form)
        elif self._form is not None and tag in {"input", "textarea", "select"} and a.get("name"):
            kind = a.get("type", tag)
            if kind in {"submit", "button", "file"}:
                return
            self._form["fields"].setdefault(a["name"], {"type": kind, "value": a.get("value") or ""})
            if tag == "select":
                self._select = a["name"]
        elif tag == "option" and self._form is not None and self._select and a.get("value"):
            self._form["fields"][self._select].setdefault("options", []).append(a["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def shape(path: str) -> str:
    return re.sub(r"/\d+/", "/N/", re.sub(r"/[0-9a-f-]{36}/", "/U/", path))


def crawl(session: requests.Session, base: str, start: list[str], limit: int = 120):
    seen_shapes: Counter[str] = Counter()
    queue, pages = list(start), dict[str, requests.Response]()
    while queue and len(pages) < limit:
        url = queue.pop(0)
        path = urlsplit(url).path
        if url in pages or SKIP.search(path) or seen_shapes[shape(path)] >= 2:
            continue
        seen_shapes[shape(path)] += 1
        response = session.get(url, allow_redirects=False, timeout=60)
        pages[url] = response
        if response.status_code != 200 or "html" not in response.headers.get("content-type", ""):
            continue
        parser = Forms()
        parser.feed(response.text)
        for href in parser.links:
            target = urljoin(url, href).split("#")[0]
            if target.startswith(base) and "?" not in target:
                queue.append(target)
    return pages


def probe(base: str, caller: str, session: requests.Session, report: list[str]) -> Counter[int]:
    statuses: Counter[int] = Counter()
    start = [
        base + p
        for p in (
            "/",
            "/register/",
            "/account/",
            "/registration/applications/",
            "/ftp/",
            "/ftp/concerns/",
            "/education/",
            "/provider/returns/",
            "/complaints/",
            "/information-requests/",
            "/raise-a-concern/",
            "/sign-in/",
            "/account/sign-up/",
        )
    ]
    pages = crawl(session, base, start)

    def check(method: str, url: str, response: requests.Response, what: str):
        statuses[response.status_code] += 1
        if response.status_code >= 500:
            report.append(f"{caller}: {method} {url} [{what}] -> {response.status_code}")
        if MARKER in response.text:
            report.append(f"{caller}: {method} {url} [{what}] rendered the script unescaped")

    for url, response in pages.items():
        statuses[response.status_code] += 1
        if response.status_code >= 500:
            report.append(f"{caller}: GET {url} -> {response.status_code}")
        if response.status_code != 200 or "html" not in response.headers.get("content-type", ""):
            continue
        # Huge, negative and wordy page numbers and sort keys on every page.
        for extra in ("page=999999999", "page=-1", "page=abc", "sort=%00", "page=%FF%FE"):
            r = session.get(f"{url}?{extra}", allow_redirects=False, timeout=60)
            check("GET", f"{url}?{extra}", r, "paging")
        parser = Forms()
        parser.feed(response.text)
        for form in parser.forms:
            action = urljoin(url, form["action"]) if form["action"] else url
            if SKIP.search(urlsplit(action).path):
                continue
            csrf = form["fields"].get("csrfmiddlewaretoken", {}).get("value", "")
            names = [n for n in form["fields"] if n != "csrfmiddlewaretoken"]
            rounds = dict(BAD_VALUES)
            for label, value in rounds.items():
                data = dict.fromkeys(names, value)
                # A date split over day/month/year fields gets 30 February.
                if label == "bad_date":
                    for n in names:
                        if n.endswith("day"):
                            data[n] = "30"
                        elif n.endswith("month"):
                            data[n] = "2"
                        elif n.endswith("year"):
                            data[n] = "2021"
                if form["method"] == "get":
                    r = session.get(action, params=data, allow_redirects=False, timeout=60)
                else:
                    data["csrfmiddlewaretoken"] = csrf
                    r = session.post(action, data=data, headers={"Referer": url}, allow_redirects=False, timeout=60)
                check(form["method"].upper(), action, r, label)
            if form["method"] == "post":
                # Invalid UTF-8 in the body, and no CSRF token at all.
                raw = "&".join(f"{n}=%FF%FE%FD" for n in names) + f"&csrfmiddlewaretoken={csrf}"
                r = session.post(
                    action,
                    data=raw,
                    allow_redirects=False,
                    timeout=60,
                    headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": url},
                )
                check("POST", action, r, "non-utf8")
                r = requests.post(
                    action,
                    data=dict.fromkeys(names, "x"),
                    cookies={k: v or "" for k, v in session.cookies.items() if k != "csrftoken"},
                    allow_redirects=False,
                    timeout=60,
                )
                check("POST", action, r, "no-csrf")
                if r.status_code != 403:
                    report.append(f"{caller}: POST {action} without CSRF -> {r.status_code}, not 403")
    return statuses


def main():
    base, sessions_file = sys.argv[1].rstrip("/"), sys.argv[2]
    with open(sessions_file) as f:
        sessions = json.load(f)
    report: list[str] = []
    for caller in ["anonymous", *sessions]:
        session = requests.Session()
        if caller != "anonymous":
            session.cookies.set("sessionid", sessions[caller])
        session.get(base + "/sign-in/", timeout=60)  # sets the CSRF cookie
        statuses = probe(base, caller, session, report)
        print(caller, dict(sorted(statuses.items())), flush=True)
    # The same failure repeats for every bad value and every page reached: count each once.
    for line, times in Counter(report).most_common():
        print(f"{times:>5} x {line}")
    print("" if report else "No 5xx, no script rendered back, every POST without a CSRF token refused.")


if __name__ == "__main__":
    main()

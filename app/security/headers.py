"""Response headers. No page may be framed (clickjacking: X-Frame-Options and CSP
frame-ancestors), no page with personal data may be kept by a browser or proxy cache (Cache-Control:
no-store on everything but static files), and the browser must not guess content types. The Host header
is trusted only when it is one of TRUSTED_HOSTS (Flask refuses any other with a 400), so a forged Host
is never echoed into a redirect such as the login page's `next`."""
from __future__ import annotations

from flask import Flask, request

STATIC_ENDPOINTS = {"static", "appbuilder.static"}


def register(app: Flask) -> None:
    csp = app.config["CONTENT_SECURITY_POLICY"]

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Content-Security-Policy", csp)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        if request.endpoint not in STATIC_ENDPOINTS and "no-store" not in headers.get("Cache-Control", ""):
            headers["Cache-Control"] = "no-store"
            headers["Pragma"] = "no-cache"
        return response

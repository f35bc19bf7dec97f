"""Searchable text in the PDFs wkhtmltopdf makes (app/services/pdf.py calls `unify_cjk_text` on each).

Qt (inside wkhtmltopdf) writes each glyph's text as the lowest BMP code point the font maps to it. Noto CJK
maps 文 and ⽂ (U+2F42), 长 and ⻓ (U+2ED3) … to one glyph, so copied or extracted text came out as radicals.
Rewriting the ToUnicode maps keeps the page unchanged and makes its text the ideographs that were printed."""
from __future__ import annotations

import io
import re

from pypdf import PdfReader, PdfWriter

from app.services.cjk_radicals import RADICAL_TO_UNIFIED

_CMAP_BLOCK = re.compile(rb"(\d+\s+)(beginbfchar|beginbfrange)(.*?)(endbfchar|endbfrange)", re.S)
_CMAP_TOKEN = re.compile(rb"<([0-9A-Fa-f]*)>|\[|\]")


def _unified(code: bytes) -> bytes:
    """A destination of a ToUnicode map with a radical replaced by its ideograph (hex, UTF-16BE)."""
    if len(code) == 4:
        target = RADICAL_TO_UNIFIED.get(int(code, 16))
        if target is not None:
            return b"%04X" % target
    return code


def _hex(token: bytes) -> bytes:
    return token[1:-1]


def _rewrite_block(kind: bytes, body: bytes) -> bytes:
    tokens = [m.group(0) for m in _CMAP_TOKEN.finditer(body)]
    lines, i = [], 0
    if kind == b"beginbfchar":
        while i + 1 < len(tokens):
            lines.append(b"%s <%s>" % (tokens[i], _unified(_hex(tokens[i + 1]))))
            i += 2
    else:
        while i + 2 < len(tokens):
            low, high = tokens[i], tokens[i + 1]
            i += 2
            if tokens[i] == b"[":
                items = []
                i += 1
                while i < len(tokens) and tokens[i] != b"]":
                    items.append(b"<%s>" % _unified(_hex(tokens[i])))
                    i += 1
                i += 1
                lines.append(b"%s %s [%s]" % (low, high, b" ".join(items)))
                continue
            start, count = _hex(tokens[i]), int(_hex(high), 16) - int(_hex(low), 16)
            i += 1
            if len(start) == 4 and count >= 0:
                codes = [b"%04X" % (int(start, 16) + k) for k in range(count + 1)]
                if any(_unified(c) != c for c in codes):  # a range over a radical becomes a list
                    lines.append(b"%s %s [%s]" % (low, high, b" ".join(b"<%s>" % _unified(c) for c in codes)))
                    continue
            lines.append(b"%s %s <%s>" % (low, high, start))
    return b"\n" + b"\n".join(lines) + b"\n"


def unify_cjk_text(data: bytes) -> bytes:
    """The PDF with every ToUnicode map saying the unified ideograph where it said a radical sharing its
    glyph; the same bytes when there is nothing to change."""
    reader = PdfReader(io.BytesIO(data))
    writer = None
    done: set[int] = set()
    for number in range(len(reader.pages)):
        if writer is None and not _radicals_in(reader.pages[number]):
            continue
        if writer is None:
            writer = PdfWriter(clone_from=reader)
        for font in _fonts(writer.pages[number]):
            stream = font["/ToUnicode"].get_object()
            if id(stream) in done:
                continue
            done.add(id(stream))
            cmap = stream.get_data()
            fixed = _CMAP_BLOCK.sub(lambda m: m.group(1) + m.group(2) + _rewrite_block(m.group(2), m.group(3))
                                    + m.group(4), cmap)
            if fixed != cmap:
                stream.set_data(fixed)
    if writer is None:
        return data
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _fonts(page) -> list:
    resources = page.get("/Resources")
    fonts = resources.get_object().get("/Font") if resources is not None else None
    if fonts is None:
        return []
    result = []
    for ref in fonts.get_object().values():
        font = ref.get_object()
        if "/ToUnicode" in font:
            result.append(font)
    return result


def _radicals_in(page) -> bool:
    for font in _fonts(page):
        for m in _CMAP_TOKEN.finditer(font["/ToUnicode"].get_object().get_data()):
            code = m.group(1)
            if code is not None and len(code) == 4 and int(code, 16) in RADICAL_TO_UNIFIED:
                return True
    return False

"""E-mail (.eml): headers and body text read with the standard library.

unstructured's e-mail partitioner parses headers with the default policy, whose
structured parsers are quadratic on hostile input: a To: of 80,000 commas or a
Content-Type of 150,000 quote marks takes minutes to hours. Here From/To/
Subject/Date are read raw (compat32), MIME headers are size-checked before
anything parses them, and only the body text goes on to unstructured.
Attachments are not read: they would bypass the size, type and zip-bomb checks.

>>> data = b"From: Ann <a@b.c>\\nSubject: =?utf-8?q?Pr=C3=BCfung?=\\n of PRESS-3\\n\\nCheck the guard."
>>> email_headers(Path("m.eml"), data), email_body(Path("m.eml"), data)
({'from': 'Ann <a@b.c>', 'subject': 'Prüfung of PRESS-3'}, ('plain', 'Check the guard.'))
"""

from __future__ import annotations

import re
from pathlib import Path

from ingest.parsed import fail as _fail

# Real MIME headers (Content-Type with a boundary and charset, a long RFC 2231
# file name) stay far below this; the stdlib needs seconds per header beyond it.
MAX_MIME_HEADER_CHARS = 4096
_MIME_HEADER = re.compile(rb"(content-[\w-]{0,40}|mime-version)[ \t]*:", re.IGNORECASE)


def email_headers(path: Path, data: bytes) -> dict[str, str]:
    """From/To/Subject (decoded, on one line) and the date (ISO) of an .eml file."""
    from email.parser import BytesParser
    from email.policy import compat32
    from email.utils import parsedate_to_datetime

    msg = BytesParser(policy=compat32).parsebytes(data, headersonly=True)
    if not msg.keys():
        raise _fail(path, "no e-mail headers found; save the message as .eml from the mail client")
    out = {k: v for k in ("from", "to", "subject") if (v := _header_text(msg.get(k)))}
    try:
        out["date"] = parsedate_to_datetime(_header_text(msg.get("date"))).date().isoformat()
    except (TypeError, ValueError, OverflowError):
        pass
    return out


def _header_text(raw) -> str:
    """A raw header value with RFC 2047 words decoded, unfolded to one line."""
    from email.errors import HeaderParseError
    from email.header import decode_header, make_header

    if raw is None:
        return ""
    try:
        text = str(make_header(decode_header(str(raw))))
    except (HeaderParseError, LookupError, UnicodeError, ValueError):  # unknown charset, bad encoded word
        text = str(raw)
    return " ".join(text.split())


def email_body(path: Path, data: bytes) -> tuple[str, str]:
    """("html" or "plain", text) of the message body, HTML preferred as unstructured does."""
    from email.parser import BytesParser
    from email.policy import default

    check_mime_headers(path, data)
    part = BytesParser(policy=default).parsebytes(data).get_body(preferencelist=("html", "plain"))
    if part is None:
        return "plain", ""
    try:
        text = part.get_content()
    except (LookupError, UnicodeError, ValueError):  # unknown, wrong or NUL-laden charset
        text = (part.get_payload(decode=True) or b"").decode("utf-8", errors="replace")
    return ("html" if part.get_content_subtype() == "html" else "plain"), text


def check_mime_headers(path: Path, data: bytes) -> None:
    """Refuse a Content-*/MIME-Version header (folded lines included) over MAX_MIME_HEADER_CHARS."""
    name, length = "", 0
    for line in data.split(b"\n"):
        if name and line[:1] in (b" ", b"\t"):
            length += len(line)
        elif match := _MIME_HEADER.match(line):
            name, length = match[1].decode("ascii"), len(line)
        else:
            name, length = "", 0
        if length > MAX_MIME_HEADER_CHARS:
            raise _fail(path, f"{name} header over {MAX_MIME_HEADER_CHARS} characters (a damaged message); "
                              "save it again from the mail client")  # fmt: skip

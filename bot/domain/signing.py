"""HMAC-SHA256 signatures of request bodies, as WhatsApp and the reporting system send them."""

from __future__ import annotations

import hashlib
import hmac


def sign(secret: str, body: bytes) -> str:
    """The `sha256=<hex>` value for `body`: what a signed sender puts in its header."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_ok(secret: str, body: bytes, header: str) -> bool:
    """Constant-time check of a signature header; any header that is not ASCII is wrong."""
    if not header.isascii():
        return False
    return hmac.compare_digest(header.encode(), sign(secret, body).encode())

"""Reading a JSON request body from the internet without trusting it: UTF-8 only, and a
nesting depth no honest sender needs (deep nesting only exhausts the parsers after it)."""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 64


def parse_json_body(raw: bytes, max_depth: int = MAX_DEPTH) -> Any:
    """The parsed body, or ValueError saying why it is refused."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("the body is not UTF-8") from None
    try:
        data = json.loads(text)
    except RecursionError:
        raise ValueError("the body is nested too deeply") from None
    if depth(data) > max_depth:
        raise ValueError("the body is nested too deeply")
    return data


def depth(value: Any) -> int:
    """How deeply lists and objects nest in `value` (iteratively: any depth is safe)."""
    deepest = 0
    waiting = [(value, 1)]
    while waiting:
        item, level = waiting.pop()
        if isinstance(item, dict):
            children = list(item.values())
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        waiting += [(child, level + 1) for child in children]
    return deepest

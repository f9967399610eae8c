"""Jenkins' item-name rules (`Jenkins.checkGoodName`), with its exact messages."""

from __future__ import annotations

UNSAFE = "?*/\\%!@#$^&|<>[]:;"


def name_problem(name: str | None) -> str | None:
    """Jenkins' Failure message for a bad item name, or None when the name is acceptable."""
    if not name or not name.strip():
        return "No name is specified"
    trimmed = name.strip()
    if trimmed in (".", ".."):
        return f"“{trimmed}” is not an allowed name"
    for char in name:
        if _is_iso_control(char):
            shown = "".join(f"\\u{ord(c):04x};" if _is_iso_control(c) else c for c in name)
            return f"No control code is allowed: {shown}"
        if char in UNSAFE:
            return f"‘{char}’ is an unsafe character"
    if trimmed.endswith("."):
        return "A name cannot end with ‘.’"
    return None


def _is_iso_control(char: str) -> bool:
    code = ord(char)
    return code <= 0x1F or 0x7F <= code <= 0x9F

"""What commands that talk to a master never print: URL userinfo and secrets read from it.

A URL may carry `user:token@` (a `--url` typed by a person, an error message
quoting it); a config.xml read from a master may hold a build trigger's
`<authToken>`, a password or an encrypted secret another tool put there.
jobgen's own configs never contain one, so masking them loses no drift: the
element still shows as present on one side only.
"""

from __future__ import annotations

import re

MASK = "****"
_USERINFO = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]*://)[^/?#@\s]*@")
# Element names that hold secrets in Jenkins configs (authToken, password, secret,
# apiToken, privateKey, passphrase...); a credentialsId is a name, not a secret.
_SECRET_TAG = re.compile(r"(token|passw|secret|private.?key|passphrase|api.?key)", re.IGNORECASE)
_SECRET_ELEMENT = re.compile(
    r"<(?P<tag>[A-Za-z_][\w.-]*)(?P<attrs>[^>]*)>(?P<text>[^<]+)</(?P=tag)>"
)
# hudson.util.Secret's stored form: `{` base64 of the encrypted bytes `}`.
_ENCRYPTED = re.compile(r"\{[A-Za-z0-9+/]{16,}={0,2}\}")


def without_userinfo(text: str) -> str:
    """`text` with `user:token@` removed from every URL in it."""
    return _USERINFO.sub(r"\g<scheme>", text)


def mask_secrets(xml_text: str) -> str:
    """XML text with the content of every secret-shaped element and encrypted value masked."""

    def element(match: re.Match[str]) -> str:
        tag = match.group("tag")
        if _SECRET_TAG.search(tag) and not tag.lower().endswith("id"):
            return f"<{tag}{match.group('attrs')}>{MASK}</{tag}>"
        return match.group(0)

    return _ENCRYPTED.sub(MASK, _SECRET_ELEMENT.sub(element, xml_text))

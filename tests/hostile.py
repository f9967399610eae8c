"""Hostile strings shared by the escaping and rendering tests."""

HOSTILE = (
    "it's",
    'say "hi"',
    "${env.SECRET}",
    "$(rm -rf /)",
    "`id`",
    "back\\slash\\",
    "\\u0027 not a quote",
    "line one\nline two\r\n",
    "tab\there",
    "]]></script><script>",
    "&amp; <b> &",
    "ünïcødé ✓ 日本",
    "'''triple''' \"\"\"double\"\"\"",
    "/* not a comment */ // nor this",
    "$HOME and ${HOME} and \\$HOME",
)

"""The Jinja2 environments templates render in, with the safety switches on.

XML templates autoescape, and a carriage return becomes `&#13;` because an
XML parser would otherwise fold it into a newline. Groovy and shell templates
do not autoescape; values go into them only through the `groovy` and `sh`
filters (jobgen.render.escape). StrictUndefined turns a misspelt variable
into an error instead of "".
"""

from __future__ import annotations

from functools import cache

import jinja2
from markupsafe import Markup, escape

from jobgen.plan.inputs import TEMPLATES
from jobgen.render.escape import comment_text, groovy_string, shell_word, variable_name


def _xml_value(value: object) -> object:
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    if "\r" not in value:
        return escape(value)  # already Markup: no second copy (hundreds of thousands a build)
    return Markup(str(escape(value)).replace("\r", "&#13;"))


@cache
def environment(xml: bool) -> jinja2.Environment:
    """The shared template environment for XML (autoescaped) or for text (Groovy, shell)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=xml,
        finalize=_xml_value if xml else None,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters["groovy"] = groovy_string
    env.filters["sh"] = shell_word
    env.filters["comment"] = comment_text
    env.filters["var"] = variable_name
    return env


def render_template(template: str, **context: object) -> str:
    """Render one template by file name; `.xml.j2` templates autoescape."""
    xml = template.endswith(".xml.j2")
    return environment(xml).get_template(template).render(**context)

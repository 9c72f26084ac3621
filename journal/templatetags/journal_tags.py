from __future__ import annotations

import hashlib
import re
import uuid

from django import template
from django.core.cache import caches
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe

from journal.access import page_url
from journal.choices import TACTIC_HELP, Tactic
from journal.reports.trends import CACHE_SECONDS
from journal.services import SUBMISSION_FIELD

register = template.Library()


@register.simple_tag(takes_context=True)
def journal_url(context, name: str, *args) -> str:
    """A link within the journal on show, by the owner's URL name: on a counselor's
    pages (`share` in the context), the same page of the client's journal."""
    return page_url(name, context.get("share"), *args)


@register.filter
def personal(text: str, owner) -> str:
    """Guidance text with the owner's names for the partner (see guidance.principles)."""
    return text.format(**owner.partner_words)


@register.filter
def summary_problems(form) -> list[tuple[object, str]]:
    """What is wrong with a form's fields, for the list at the top of the page, each
    leading to its field. Not the form's own errors: every form draws those above its
    fields already, and one problem is said once."""
    if not getattr(form, "errors", None):
        return []
    return [(field, error) for field in form for error in field.errors]


@register.filter
def tactic_help(tactic: str) -> str:
    """The line beside a tactic on the form: what it looks like."""
    return TACTIC_HELP[Tactic(tactic)] if tactic in Tactic.values else ""


@register.simple_tag
def submission_key() -> str:
    """The key of a form that is only a button: a second post of it writes nothing
    (journal.services.submit_once)."""
    key = uuid.uuid4()
    return format_html(
        '<input type="hidden" name="{}" value="{}" autocomplete="off">', SUBMISSION_FIELD, key
    )


@register.tag
def cached(parser: template.base.Parser, token: template.base.Token) -> CachedNode:
    """{% cached "name" part… by version… %}…{% endcached %}: the block's HTML, cached
    under one key for the name and the parts, with the version it was drawn at.

    A block drawn at a new version replaces the old one instead of being added beside
    it (as Django's {% cache %} does, with the version in its key): the cache holds
    one copy of each block shown, however often the journal changes.
    """
    bits = token.split_contents()
    if "by" not in bits[2:]:
        raise template.TemplateSyntaxError(f"{bits[0]} needs a name, parts, 'by' and a version")
    split = bits.index("by", 2)
    nodelist = parser.parse(("endcached",))
    parser.delete_first_token()
    return CachedNode(
        nodelist,
        [parser.compile_filter(bit) for bit in bits[1:split]],
        [parser.compile_filter(bit) for bit in bits[split + 1 :]],
    )


class CachedNode(template.Node):
    def __init__(self, nodelist, parts: list, version: list) -> None:
        self.nodelist, self.parts, self.version = nodelist, parts, version

    def render(self, context: template.Context) -> str:
        parts = "\n".join(str(part.resolve(context)) for part in self.parts)
        key = "fragment:" + hashlib.sha256(parts.encode()).hexdigest()
        version = "\n".join(str(part.resolve(context)) for part in self.version)
        kept = caches["pages"].get(key)
        if kept is not None and kept[0] == version:
            return kept[1]
        html = self.nodelist.render(context)
        caches["pages"].set(key, (version, html), CACHE_SECONDS)
        return html


@register.filter
def highlight(text: str, words: str) -> str:
    """`text` with every match of the search `words` marked, all of it escaped: the
    matches are found in the text as written, so never inside an escape."""
    if not words:
        return conditional_escape(text)
    parts = re.split(f"({re.escape(words)})", str(text), flags=re.IGNORECASE)
    return mark_safe(
        "".join(
            f"<mark>{escape(part)}</mark>" if n % 2 else escape(part)
            for n, part in enumerate(parts)
        )
    )

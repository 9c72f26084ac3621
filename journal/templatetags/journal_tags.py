from __future__ import annotations

from django import template

from journal.access import page_url

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

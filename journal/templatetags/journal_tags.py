from __future__ import annotations

import uuid

from django import template
from django.utils.html import format_html

from journal.access import page_url
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


@register.simple_tag
def submission_key() -> str:
    """The key of a form that is only a button: a second post of it writes nothing
    (journal.services.submit_once)."""
    key = uuid.uuid4()
    return format_html('<input type="hidden" name="{}" value="{}">', SUBMISSION_FIELD, key)

from __future__ import annotations

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def journal_url(context, name: str, *args) -> str:
    """A link within the journal on show, by the owner's URL name.

    On a counselor's pages (`share` in the context) it leads to the same page of
    the client's journal: "journal:entry-detail" becomes "journal:client-entry-detail"
    and "guidance:index" "journal:client-guidance-index", with the share first.
    """
    share = context.get("share")
    if not share:
        return reverse(name, args=args)
    namespace, _, page = name.partition(":")
    client_name = (
        f"journal:client-{page}"
        if namespace == "journal"
        else f"journal:client-{namespace}-{page}"
    )
    return reverse(client_name, args=[share.pk, *args])


@register.filter
def personal(text: str, owner) -> str:
    """Guidance text with the owner's names for the partner (see guidance.principles)."""
    return text.format(**owner.partner_words)

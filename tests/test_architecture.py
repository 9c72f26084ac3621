"""The shape of the code: guidance reads the journal, never the reverse."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMPORTS_GUIDANCE = re.compile(r"^\s*(from|import)\s+guidance\b", re.MULTILINE)


def test_the_journal_never_imports_guidance():
    modules = sorted((ROOT / "journal").rglob("*.py"))
    assert len(modules) > 20
    offenders = [m.relative_to(ROOT) for m in modules if IMPORTS_GUIDANCE.search(m.read_text())]
    assert offenders == []


def test_guidance_reads_the_journal():
    assert any(
        "from journal" in module.read_text() for module in (ROOT / "guidance").rglob("*.py")
    )

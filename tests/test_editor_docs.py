"""The language-server transcript in the docs is what the server really sends today."""

from __future__ import annotations

import pytest

from tests import lsp_transcript


@pytest.mark.generated
def test_lsp_transcript_is_current():
    committed = lsp_transcript.OUT.read_text(encoding="utf-8")
    assert lsp_transcript.transcript() == committed, "rewrite it with `python -m tests.lsp_transcript`"

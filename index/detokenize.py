"""Tokens back into text: corpora such as IndoSum store paragraphs as lists of tokens.

Joining with spaces would index "kata Blinken , " and print `“ Kami ... ”`; the rules here
put punctuation against the word before it, opening brackets and quotes against the word
after, and pair straight double quotes (open, close, open, ...).
"""

from __future__ import annotations

_NO_SPACE_BEFORE = frozenset(
    {".", ",", ";", ":", "!", "?", "%", ")", "]", "}", "”", "’", "…", "...", "''"}
)
_NO_SPACE_AFTER = frozenset({"(", "[", "{", "“", "‘", "``"})
_CLITICS = ("n't", "'s", "'re", "'ve", "'ll", "'d", "'m")


def detokenize(tokens: list[str]) -> str:
    """One line of text from a list of tokens."""
    out: list[str] = []
    glue_next = False
    open_quote = False
    for raw in tokens:
        tok = str(raw).strip()
        if not tok:
            continue
        attach = glue_next
        glue_next = False
        if tok == '"':
            if open_quote:
                attach = True
            else:
                glue_next = True
            open_quote = not open_quote
        elif (
            tok in _NO_SPACE_BEFORE
            or tok.startswith(_CLITICS)
            or (tok == "'" and out and out[-1][-1:].isalpha())
        ):
            attach = True
        if tok in _NO_SPACE_AFTER:
            glue_next = True
        if attach and out:
            out[-1] += tok
        else:
            out.append(tok)
    return " ".join(out)

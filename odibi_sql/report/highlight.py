"""SQL syntax highlighting for the report: sqlglot's tokenizer marks keywords, strings, numbers and functions."""

from __future__ import annotations

import sqlglot
from markupsafe import Markup, escape
from sqlglot.errors import TokenError
from sqlglot.tokens import Token, TokenType

from odibi_sql.dialect import capabilities

_LITERALS = {
    TokenType.STRING: "s",
    TokenType.NATIONAL_STRING: "s",
    TokenType.RAW_STRING: "s",
    TokenType.NUMBER: "n",
    TokenType.IDENTIFIER: "i",
}
_WORDS = (TokenType.VAR, TokenType.IDENTIFIER)


def highlight_sql(sql: str, dialect: str) -> Markup:
    """``sql`` as escaped HTML with ``<span class="k|s|n|i|f|c">`` around keywords, strings,
    numbers, quoted identifiers, function names and comments; the text itself is unchanged."""
    try:
        tokens = sqlglot.tokenize(sql, read=capabilities(dialect).sqlglot_dialect)
    except TokenError:
        return escape(sql)
    parts: list[str] = []
    position = 0
    for i, token in enumerate(tokens):
        parts.append(_gap(sql[position : token.start]))
        text = sql[token.start : token.end + 1]
        css = _class(token, tokens[i + 1] if i + 1 < len(tokens) else None)
        parts.append(f'<span class="{css}">{escape(text)}</span>' if css else str(escape(text)))
        position = token.end + 1
    parts.append(_gap(sql[position:]))
    return Markup("".join(parts))


def _class(token: Token, following: Token | None) -> str | None:
    if token.token_type in _LITERALS:
        return _LITERALS[token.token_type]
    if token.token_type in _WORDS:
        return "f" if following is not None and following.token_type is TokenType.L_PAREN else None
    return "k" if token.text[:1].isalpha() else None


def _gap(text: str) -> str:
    """Whitespace and comments between tokens (comments are not tokens in sqlglot)."""
    if "--" in text or "/*" in text:
        return f'<span class="c">{escape(text)}</span>'
    return str(escape(text))

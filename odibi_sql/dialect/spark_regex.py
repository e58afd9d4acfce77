"""Spark lowering of regular expressions: DuckDB's RE2 patterns rewritten for Java's engine.

The two engines read the same pattern differently in places: Java's ``.`` also stops at ``\\r``
and other line terminators, its ``$`` also matches before a final newline, ``\\s`` also matches
a vertical tab, ``\\b`` counts non-ASCII letters as word characters, ``(?i)`` folds only ASCII
letters, ``[[:alpha:]]`` is not a POSIX class and ``&&`` inside a class is an intersection;
``(?P<name>`` is RE2's only spelling of a named group.
``java_pattern`` rewrites a literal pattern so Java gives RE2's matches, or returns None where it
cannot (RE2's ungreedy flag ``U``, ``\\C``, an unknown POSIX class).
"""

from __future__ import annotations

import re

from sqlglot import exp

from odibi_sql.dialect.capabilities import Capabilities
from odibi_sql.dialect.lowering import handles, snippet

_SPACE = r"\t\n\f\r "
"""RE2's ``\\s`` (Java's adds the vertical tab)."""
_WORD = "[0-9A-Za-z_]"
_BOUNDARY = {
    "\\b": f"(?:(?<={_WORD})(?!{_WORD})|(?<!{_WORD})(?={_WORD}))",
    "\\B": f"(?:(?<={_WORD})(?={_WORD})|(?<!{_WORD})(?!{_WORD}))",
}
"""RE2's ASCII word boundaries (Java's ``\\b`` also counts non-ASCII letters as word characters)."""
_POSIX = {
    "alnum": r"\p{Alnum}",
    "alpha": r"\p{Alpha}",
    "ascii": r"\x00-\x7F",
    "blank": r" \t",
    "cntrl": r"\p{Cntrl}",
    "digit": "0-9",
    "graph": r"\p{Graph}",
    "lower": r"\p{Lower}",
    "print": r"\p{Print}",
    "punct": r"\p{Punct}",
    "space": r"\t\n\x0B\f\r ",
    "upper": r"\p{Upper}",
    "word": r"\w",
    "xdigit": "0-9A-Fa-f",
}
_FLAGS = re.compile(r"\(\?([a-zA-Z]*)(?:-[a-zA-Z]*)?[:)]")
_REGEX_FUNCTIONS = frozenset({exp.RegexpLike, exp.RegexpReplace, exp.RegexpExtract, exp.RegexpSplit})
"""Functions whose ``expression`` argument is a regular expression."""


def java_pattern(pattern: str) -> str | None:
    """``pattern`` (RE2) as a Java pattern with the same matches, or None."""
    flags = "".join(found[1] for found in _FLAGS.finditer(pattern))
    if "U" in flags:
        return None
    multiline = "m" in flags
    out: list[str] = []
    i, in_class, class_start = 0, False, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            escaped = pattern[i : i + 2]
            if escaped == "\\C":
                return None
            if escaped == "\\Q":
                end = pattern.find("\\E", i)
                end = len(pattern) if end < 0 else end + 2
                out.append(pattern[i:end])
                i = end
                continue
            if escaped in _BOUNDARY and not in_class:
                out.append(_BOUNDARY[escaped])
            elif escaped == "\\s":
                out.append(_SPACE if in_class else f"[{_SPACE}]")
            elif escaped == "\\S":
                if in_class:
                    return None
                out.append(f"[^{_SPACE}]")
            else:
                out.append(escaped)
            i += len(escaped)
            class_start = False
            continue
        if in_class:
            if pattern.startswith("[:", i):
                end = pattern.find(":]", i + 2)
                name = pattern[i + 2 : end] if end > 0 else ""
                negated = name.startswith("^")
                member = _POSIX.get(name.lstrip("^"))
                if member is None:
                    return None
                if negated:
                    if not member.startswith("\\p"):
                        return None
                    member = "\\P" + member[2:]
                out.append(member)
                i = end + 2
                class_start = False
                continue
            if char == "]" and not class_start:
                in_class = False
                out.append("]")
            elif char in "[]" or (char == "&" and pattern[i + 1 : i + 2] == "&"):
                out.append("\\" + char)
            else:
                out.append(char)
            class_start = False
            i += 1
            continue
        if char == "[":
            in_class, class_start = True, True
            negated = pattern[i + 1 : i + 2] == "^"
            out.append("[^" if negated else "[")
            i += 2 if negated else 1
            continue
        if char == "$" and not multiline:
            out.append("\\z")
        elif pattern.startswith("(?P<", i):
            out.append("(?<")
            i += 4
            continue
        else:
            out.append(char)
        i += 1
    # d: only \n ends a line (for ., ^ and $, as in RE2); u: (?i) folds Unicode letters as RE2 does.
    return "(?du)" + "".join(out)


def _pattern(node: exp.Expr) -> exp.Expr | None:
    """``node``'s regular expression (None: not a regex function, or option 'l': plain text)."""
    if type(node) not in _REGEX_FUNCTIONS:
        return None
    modifiers = node.args.get("modifiers")
    if isinstance(modifiers, exp.Literal) and "l" in modifiers.name:
        return None
    return node.expression


@handles(exp.RegexpLike, exp.RegexpReplace, exp.RegexpExtract, exp.RegexpSplit)
def lower_regex_patterns(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    """The literal pattern of regexp_matches / regexp_replace / regexp_extract /
    regexp_split_to_array / string_split_regex, rewritten by ``java_pattern``."""
    pattern = _pattern(node)
    if not isinstance(pattern, exp.Literal) or not pattern.is_string:
        return node
    rewritten = java_pattern(pattern.name)
    if rewritten is not None and rewritten != pattern.name:
        node.set("expression", exp.Literal.string(rewritten))
    return node


def check_regex_patterns(node: exp.Expr, caps: Capabilities) -> str | None:
    """Patterns ``java_pattern`` cannot carry over: not a literal, or RE2 syntax Java lacks."""
    pattern = _pattern(node)
    if pattern is None:
        return None
    if not isinstance(pattern, exp.Literal) or not pattern.is_string:
        return (
            f"{snippet(node)}: the pattern must be a string literal for Spark, whose regular "
            "expressions (Java) read some patterns differently from DuckDB's (RE2)"
        )
    if java_pattern(pattern.name) is None:
        return (
            f"{snippet(node)}: the pattern uses RE2 syntax Spark's Java regular expressions cannot "
            "express the same way (the U flag, \\C, \\S inside [...], or this POSIX class)"
        )
    return None

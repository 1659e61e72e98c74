"""Glob patterns, matched in time linear in the text: a pattern from a stranger's config or pack
can never make siglint backtrack (a regex from `"*a*a*a*...*ab"` can take forever).

A pattern is compiled into the states of a small nondeterministic automaton, and a text is run
through it one character at a time, keeping the set of states reached (Thompson's construction):
O(len(text) * len(pattern)) at worst, whatever the pattern.

Two dialects:
- paths (`per-path-ignores`): `*` and `?` stay within one `/`-separated segment, `**` spans
  segments, and `**/` is any number of whole segments, none included;
- names (a pack's signature-key selectors, as `fnmatch`): `*` and `?` match any character, and
  `[abc]`, `[a-z]`, `[!abc]` one character of (or not of) a set.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

# Token kinds
_LITERAL, _ONE, _MANY, _SET, _BRANCH = range(5)


class _Token(NamedTuple):
    kind: int
    text: str = ""  # _LITERAL: the character
    slash: bool = True  # _ONE/_MANY: may match "/"
    ranges: tuple[tuple[str, str], ...] = ()  # _SET: (low, high) character ranges
    negated: bool = False  # _SET: `[!...]`


class Glob(NamedTuple):
    tokens: tuple[_Token, ...]
    # For each _BRANCH token (the start of an optional `**/` group), the index after the group.
    skips: tuple[int | None, ...]
    stays: int  # bits of the `*` tokens: reading a character they accept, they stay put
    passable: int  # bits of the tokens a state may pass without reading: `*` and _BRANCH
    branches: tuple[tuple[int, int], ...]  # (bit of a _BRANCH, bit of the state after its group)

    def matches(self, text: str) -> bool:
        """Bit i of `states` is "before token i"; a character moves every state whose token
        accepts it (a `*` stays put), all at once, with integer operations (shift-and)."""
        end, stays = 1 << len(self.tokens), self.stays
        accepting: dict[str, int] = {}
        states = self._closure(1)
        for char in text:
            mask = accepting.get(char)
            if mask is None:
                mask = accepting[char] = sum(1 << i for i, token in enumerate(self.tokens) if _accepts(token, char))
            moving = states & mask
            states = self._closure(((moving & ~stays) << 1) | (moving & stays))
            if not states:
                return False
        return bool(states & end)

    def _closure(self, states: int) -> int:
        """`states` with every state reachable without reading a character: past a `*` (which
        may match nothing) and into or past an optional `**/` group."""
        while True:
            grown = states | ((states & self.passable) << 1)
            for bit, target in self.branches:
                if grown & bit:
                    grown |= target
            if grown == states:
                return states
            states = grown


def _glob(tokens: list[_Token], skips: list[int | None]) -> Glob:
    return Glob(
        tuple(tokens),
        tuple(skips),
        stays=sum(1 << i for i, token in enumerate(tokens) if token.kind == _MANY),
        passable=sum(1 << i for i, token in enumerate(tokens) if token.kind in (_MANY, _BRANCH)),
        branches=tuple((1 << i, 1 << skip) for i, skip in enumerate(skips) if skip is not None),
    )


def _accepts(token: _Token, char: str) -> bool:
    if token.kind == _LITERAL:
        return char == token.text
    if token.kind == _SET:
        return any(low <= char <= high for low, high in token.ranges) != token.negated
    if token.kind == _BRANCH:
        return False
    return token.slash or char != "/"


@functools.lru_cache(maxsize=512)
def path_glob(pattern: str) -> Glob:
    """A `per-path-ignores` pattern (leading and trailing `/` ignored)."""
    pattern = pattern.strip("/")
    tokens: list[_Token] = []
    skips: list[int | None] = []
    index = 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            # (any characters, then "/") or nothing: a group the automaton may skip.
            start = len(tokens)
            tokens += [_Token(_BRANCH), _Token(_MANY), _Token(_LITERAL, "/")]
            skips += [start + 3, None, None]
            index += 3
            continue
        if pattern.startswith("**", index):
            tokens.append(_Token(_MANY))
            index += 2
        elif pattern[index] == "*":
            tokens.append(_Token(_MANY, slash=False))
            index += 1
        elif pattern[index] == "?":
            tokens.append(_Token(_ONE, slash=False))
            index += 1
        else:
            tokens.append(_Token(_LITERAL, pattern[index]))
            index += 1
        skips.append(None)
    return _glob(tokens, skips)


@functools.lru_cache(maxsize=512)
def name_glob(pattern: str) -> Glob:
    """A pattern as `fnmatch.fnmatchcase` reads it."""
    tokens: list[_Token] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        index += 1
        if char == "*":
            if not tokens or tokens[-1].kind != _MANY:  # `**` is `*`
                tokens.append(_Token(_MANY))
        elif char == "?":
            tokens.append(_Token(_ONE))
        elif char == "[":
            members, index = _set(pattern, index)
            tokens.append(members if members is not None else _Token(_LITERAL, "["))
        else:
            tokens.append(_Token(_LITERAL, char))
    return _glob(tokens, [None] * len(tokens))


def _set(pattern: str, index: int) -> tuple[_Token | None, int]:
    """The `[...]` whose `[` is at `index - 1`, and the index after it; None (and `index`) when
    the bracket is not closed, so that it stands for itself, as in fnmatch."""
    end = index
    if end < len(pattern) and pattern[end] == "!":
        end += 1
    if end < len(pattern) and pattern[end] == "]":
        end += 1
    end = pattern.find("]", end)
    if end < 0:
        return None, index
    body = pattern[index:end]
    negated = body.startswith("!")
    body = body[1:] if negated else body
    ranges = []
    position = 0
    while position < len(body):
        if position + 2 < len(body) and body[position + 1] == "-":
            ranges.append((body[position], body[position + 2]))
            position += 3
        else:
            ranges.append((body[position], body[position]))
            position += 1
    return _Token(_SET, ranges=tuple(ranges), negated=negated), end + 1

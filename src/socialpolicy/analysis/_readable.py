"""Reading a set of subjects: a BDD as a short disjunction of readable conditions.

The cover is an irredundant sum of products (Minato-Morreale ISOP) that uses impossible
subjects (two values of one enum, a broken threshold chain) as don't-cares, then terms that
differ in one attribute are merged (`channel in {reply, mention}`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .space import Attribute, Function


class Readable:
    """Mixed into `Space`: turns its BDDs into text."""

    bdd: Any
    valid: Function
    attributes: list[Attribute]
    by_key: dict[str, Attribute]
    optional: frozenset[str]  # fields tested for being given (`present`), by path

    def encode(self, values: Mapping[str, Any]) -> dict[str, bool]:
        raise NotImplementedError

    def cubes(self, node: Function) -> list[dict[str, bool]]:
        """An irredundant sum of products covering `node`, using impossible subjects as
        don't-cares (Minato-Morreale ISOP): the readable form of a set."""
        memo: dict[tuple[int, int], tuple[Any, list[dict[str, bool]], Function]] = {}
        lower = node & self.valid
        return self._isop(lower, lower | ~self.valid, memo)[0]

    def _isop(self, low: Function, high: Function,
              memo: dict[tuple[int, int], tuple[Any, list[dict[str, bool]], Function]],
              ) -> tuple[list[dict[str, bool]], Function]:
        bdd = self.bdd
        if low == self.bdd.false:
            return [], self.bdd.false
        if high == self.bdd.true:
            return [{}], self.bdd.true
        key = (int(low), int(high))
        if key in memo:  # the nodes are kept in the value so their ids cannot be reused
            return memo[key][1], memo[key][2]
        name = min(bdd.support(low) | bdd.support(high), key=bdd.level_of_var)
        low0, low1 = bdd.let({name: False}, low), bdd.let({name: True}, low)
        high0, high1 = bdd.let({name: False}, high), bdd.let({name: True}, high)
        cubes0, cover0 = self._isop(low0 & ~high1, high0, memo)
        cubes1, cover1 = self._isop(low1 & ~high0, high1, memo)
        rest = (low0 & ~cover0) | (low1 & ~cover1)
        cubes2, cover2 = self._isop(rest, high0 & high1, memo)
        var = bdd.var(name)
        cubes = ([{**c, name: False} for c in cubes0] + [{**c, name: True} for c in cubes1]
                 + cubes2)
        result = cubes, (~var & cover0) | (var & cover1) | cover2
        memo[key] = ((low, high), *result)
        return result

    def describe(self, node: Function, limit: int = 50) -> list[str]:
        """`node` as readable conjunctions, one per line (`[]` for no subject)."""
        found = self.terms(node)
        lines = [self.describe_term(t) for t in found[:limit]]
        if len(found) > limit:
            lines.append(f"... and {len(found) - limit} more")
        return lines

    def terms(self, node: Function) -> list[dict[str, frozenset[Any]]]:
        """The cover as attribute -> allowed values, with terms that differ in one attribute
        merged (`channel in {reply, mention}` rather than one line per value)."""
        terms: list[dict[str, frozenset[Any]]] = []
        for cube in self.cubes(node):
            term = {}
            for attr in self.attributes:
                if any(n in cube for n in attr.names):
                    allowed = frozenset(v for v in attr.domain() if all(
                        cube.get(n, bit) == bit for n, bit in self.encode(
                            {attr.key: v}).items()))
                    term[attr.key] = allowed
            terms.append(term)
        merged = True
        while merged:
            merged = False
            for i, first in enumerate(terms):
                for j in range(i + 1, len(terms)):
                    second = terms[j]
                    if first.keys() != second.keys():
                        continue
                    differing = [k for k in first if first[k] != second[k]]
                    if len(differing) != 1:
                        continue
                    key = differing[0]
                    union = first[key] | second[key]
                    term = dict(first)
                    if union == frozenset(self.by_key[key].domain()):
                        del term[key]
                    else:
                        term[key] = union
                    terms[i] = term
                    del terms[j]
                    merged = True
                    break
                if merged:
                    break
        return terms

    def describe_term(self, term: Mapping[str, frozenset[Any]]) -> str:
        parts: list[str] = []
        for attr in self.attributes:
            allowed = term.get(attr.key)
            if allowed is None:
                continue
            domain = attr.domain()
            if attr.type == "bool":
                value = True in allowed
                if attr.key.startswith("label."):
                    parts.append(attr.label if value else f"not {attr.label}")
                elif attr.key.removeprefix("field.") in self.optional:
                    parts.append(f"{attr.label} {'given' if value else 'not given'}")
                else:
                    parts.append(f"{attr.label} is {str(value).lower()}")
            elif attr.type == "enum":
                inside = [v for v in domain if v in allowed]
                outside = [v for v in domain if v not in allowed]
                if len(inside) == 1:
                    parts.append(f"{attr.label} = {inside[0]}")
                elif len(outside) == 1:
                    parts.append(f"{attr.label} != {outside[0]}")
                elif len(inside) <= len(outside):
                    parts.append(f"{attr.label} in {{{', '.join(inside)}}}")
                else:
                    parts.append(f"{attr.label} not in {{{', '.join(outside)}}}")
            else:
                ranges = []
                for i, low in enumerate(domain):
                    if low not in allowed:
                        continue
                    high = domain[i + 1] if i + 1 < len(domain) else None
                    ranges.append(f"{attr.label} >= {low}" if high is None else
                                  f"{attr.label} < {high}" if low == 0 else
                                  f"{low} <= {attr.label} < {high}")
                parts.append(ranges[0] if len(ranges) == 1 else
                             "(" + " or ".join(ranges) + ")")
        return " and ".join(parts) or "any subject"


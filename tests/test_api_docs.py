"""The Python API page cannot fall behind the package: every public name, every public member
of `Policy` and `Decision`, and every class a rendered function, method, property or result field
hands its caller is rendered there (and resolves to the object it names), with docstrings."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import socialpolicy
from socialpolicy import Decision, Policy

PAGE = Path(__file__).parent.parent / "docs" / "reference" / "api.md"
DIRECTIVE = re.compile(r"^::: (socialpolicy(?:\.\w+)*)$", re.MULTILINE)


def _page() -> str:
    return PAGE.read_text(encoding="utf-8")


def _rendered() -> dict[str, object]:
    """Last name of each `::: path` directive -> the object that path resolves to."""
    objects: dict[str, object] = {}
    for path in DIRECTIVE.findall(_page()):
        module_path, _, name = path.rpartition(".")
        module = importlib.import_module(module_path)
        objects.setdefault(name, getattr(module, name))
    return objects


def _members(directive: str) -> set[str]:
    match = re.search(rf"^::: {re.escape(directive)}\n    options:\n      members: \[(.*)\]$",
                      _page(), re.MULTILINE)
    assert match, f"{directive} on the API page needs an explicit `members` list"
    return {name.strip() for name in match.group(1).split(",")}


def _public(cls: type) -> set[str]:
    fields = set(getattr(cls, "__dataclass_fields__", {}))  # fields are described in prose
    return {name for name, value in vars(cls).items()
            if not name.startswith("_") and name not in fields
            and (callable(value) or isinstance(value, property))}


@pytest.mark.parametrize("name", socialpolicy.__all__)
def test_every_public_name_is_on_the_api_page(name: str) -> None:
    rendered = _rendered()
    assert name in rendered, (
        f"`socialpolicy.{name}` is public but docs/reference/api.md does not render it: "
        f"add a `::: socialpolicy.{name}` directive")
    assert rendered[name] is getattr(socialpolicy, name)


@pytest.mark.parametrize("cls", [Policy, Decision])
def test_every_public_member_is_rendered(cls: type) -> None:
    missing = _public(cls) - _members(f"socialpolicy.{cls.__name__}")
    assert not missing, f"add {sorted(missing)} to the `members` of {cls.__name__} on the API page"


@pytest.mark.parametrize("name", socialpolicy.__all__)
def test_every_rendered_public_name_has_a_docstring(name: str) -> None:
    # mkdocstrings leaves out anything without a docstring, so none would show
    assert (getattr(socialpolicy, name).__doc__ or "").strip(), name


@pytest.mark.parametrize("cls", [Policy, Decision])
def test_every_listed_member_exists_and_has_a_docstring(cls: type) -> None:
    for name in _members(f"socialpolicy.{cls.__name__}"):
        member = vars(cls).get(name)
        assert member is not None, f"{cls.__name__}.{name} is listed on the API page but gone"
        assert (member.__doc__ or "").strip(), (
            f"{cls.__name__}.{name} has no docstring, so the API page would leave it out")


#: Classes a rendered name hands out that the page leaves off, and why.
NOT_RENDERED = {
    "socialpolicy.analysis.space.Space": "the decision-diagram machinery `PolicyDiff.spaces` "
                                         "keeps to describe and replay its regions; internal",
}
_NAME = re.compile(r"[A-Za-z_]\w*")


def _qualname(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _library_classes() -> dict[str, list[type]]:
    """Every class the package defines, by name: annotations name some that are imported only
    for type checking, so the annotation's module cannot resolve them at run time."""
    pool: dict[str, list[type]] = {}
    for info in pkgutil.walk_packages(socialpolicy.__path__, "socialpolicy."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, type) and value.__module__ == module.__name__:
                pool.setdefault(name, []).append(value)
    return pool


def _handed_out(obj: object) -> Iterator[tuple[str, object, dict[str, object]]]:
    """(where, annotation, the namespace it was written in) for each value `obj` gives its
    caller: a function's return; a class's fields, properties and methods' returns."""
    if inspect.isclass(obj):
        namespace = vars(importlib.import_module(obj.__module__))
        for klass in reversed(obj.__mro__):
            if klass.__module__.startswith("socialpolicy"):
                for name, annotation in vars(klass).get("__annotations__", {}).items():
                    if not name.startswith("_") and "ClassVar" not in str(annotation):
                        yield f"{obj.__name__}.{name}", annotation, namespace
        for name, value in vars(obj).items():
            function = value.fget if isinstance(value, property) else getattr(
                value, "__func__", value)
            if not name.startswith("_") and inspect.isfunction(function):
                yield (f"{obj.__name__}.{name}()", function.__annotations__.get("return", ""),
                       function.__globals__)
    elif inspect.isfunction(obj):
        yield f"{obj.__name__}()", obj.__annotations__.get("return", ""), obj.__globals__


def _classes_named(annotation: object, namespace: dict[str, object],
                   pool: dict[str, list[type]]) -> list[type]:
    text = annotation if isinstance(annotation, str) else getattr(
        annotation, "__name__", repr(annotation))
    found: list[type] = []
    for token in _NAME.findall(text):
        if token in namespace:  # a type alias such as `Subject` or `Text` is not a class
            value = namespace[token]
            candidates = [value] if isinstance(value, type) else []
        else:
            candidates = pool.get(token, [])
        found += [c for c in candidates if c.__module__.startswith("socialpolicy")]
    return found


def _handed_out_classes() -> dict[type, str]:
    """Every library class reachable from a rendered name, with where it is first met."""
    pool = _library_classes()
    todo: list[object] = list(_rendered().values())
    seen: set[int] = set()
    found: dict[type, str] = {}
    while todo:
        obj = todo.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        for where, annotation, namespace in _handed_out(obj):
            for cls in _classes_named(annotation, namespace, pool):
                found.setdefault(cls, where)
                if _qualname(cls) not in NOT_RENDERED:
                    todo.append(cls)
    return found


def test_every_class_a_rendered_name_hands_out_is_rendered() -> None:
    rendered = {id(value) for value in _rendered().values()}
    handed_out = _handed_out_classes()
    missing = sorted(f"{_qualname(cls)} (from {where})" for cls, where in handed_out.items()
                     if id(cls) not in rendered and _qualname(cls) not in NOT_RENDERED)
    assert not missing, ("add a `::: module.Class` directive to docs/reference/api.md for "
                         + ", ".join(missing))
    # the test sees what it should: classes met only through a field, a property or a method
    names = {cls.__name__ for cls in handed_out}
    assert {"Explanation", "CaseResult", "ClauseChange", "RowError", "Clause", "Answer"} <= names
    assert set(NOT_RENDERED) <= {_qualname(cls) for cls in handed_out}, "a stale exception"


def test_every_public_member_of_a_rendered_class_has_a_docstring() -> None:
    """mkdocstrings drops a member without a docstring silently; the page would look complete."""
    page = _page()
    missing = []
    for path in DIRECTIVE.findall(page):
        obj = _rendered()[path.rpartition(".")[2]]
        if not inspect.isclass(obj) or re.search(
                rf"^::: {re.escape(path)}\n    options:\n      members: false$", page, re.M):
            continue
        assert (obj.__doc__ or "").strip() and not obj.__doc__.startswith(
            f"{obj.__name__}("), f"{path} has no docstring of its own"
        for name, value in vars(obj).items():
            function = value.fget if isinstance(value, property) else getattr(
                value, "__func__", value)
            if not name.startswith("_") and inspect.isfunction(function) and not (
                    function.__doc__ or "").strip():
                missing.append(f"{path}.{name}")
    assert not missing, f"give these a docstring: {missing}"


@pytest.mark.parametrize("path", [
    "socialpolicy.explain.Explanation", "socialpolicy.explain.RuleTrace",
    "socialpolicy.explain.Trace", "socialpolicy.analysis.diff.Region",
    "socialpolicy.analysis.diff.Change", "socialpolicy.analysis.cases.CaseResult",
    "socialpolicy.analysis.why_not.Answer", "socialpolicy.decision.Decision",
    "socialpolicy.decision.Finding", "socialpolicy.decision.Citation",
    "socialpolicy.decision.Action", "socialpolicy.decision.Evidence"])
def test_a_result_class_lists_its_fields(path: str) -> None:
    """These classes are met in the how-tos by their fields, which the page shows only from an
    `Attributes:` section; a field added later must be described there too."""
    cls = _rendered()[path.rpartition(".")[2]]
    # Cleaned first: Python 3.13 strips a docstring's indentation when it compiles it, and
    # earlier versions keep it.
    section = inspect.cleandoc(cls.__doc__ or "").partition("Attributes:")[2]
    listed = set(re.findall(r"^    (\w+):", section, re.MULTILINE))
    shown = {f.name for f in dataclasses.fields(cls) if f.repr}
    assert shown <= listed, f"describe {sorted(shown - listed)} under Attributes: in {path}"

"""The Python API page cannot fall behind the package: every public name, and every public
member of `Policy` and `Decision`, is rendered there (and resolves to the object it names)."""

from __future__ import annotations

import importlib
import re
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

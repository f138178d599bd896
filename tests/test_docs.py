"""The docs site: generated reference pages are current, every label and field is described,
and no page points users at documents or machines they do not have."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

import yaml

from socialpolicy import glossary
from socialpolicy.subjects import Account, AccountRequest, Author, Comment, StaffPost
from socialpolicy.vocab import COMMENT_LABELS, DERIVED_FACTS, STAFF_POST_LABELS

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"


def _generator() -> Any:
    path = ROOT / "scripts" / "gen_reference_docs.py"
    spec = importlib.util.spec_from_file_location("gen_reference_docs", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_reference_pages_are_current() -> None:
    for path, text in _generator().pages().items():
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.name} is stale: run python scripts/gen_reference_docs.py")


def test_every_label_fact_and_field_has_a_meaning() -> None:
    assert set(glossary.COMMENT_LABEL_MEANINGS) == COMMENT_LABELS
    assert set(glossary.STAFF_POST_LABEL_MEANINGS) == STAFF_POST_LABELS
    assert set(glossary.FACT_MEANINGS) == {f for facts in DERIVED_FACTS.values() for f in facts}
    for model in (Comment, StaffPost, AccountRequest, Account, Author):
        assert set(glossary.FIELD_MEANINGS[model.__name__]) == set(model.model_fields), model


def test_the_labels_page_names_the_clauses_that_read_each_label() -> None:
    page = (DOCS / "reference" / "labels.md").read_text(encoding="utf-8")
    row = next(line for line in page.splitlines() if line.startswith("| `targeted_abuse` |"))
    assert "`mse_icb`" in row and "appendix-c/abuse" in row and "`mhra` annex-a/abuse" in row
    for label in COMMENT_LABELS | STAFF_POST_LABELS:
        assert f"| `{label}` |" in page


def test_the_nav_lists_pages_that_exist_and_every_page_is_reachable() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))

    def pages(node: Any) -> list[str]:
        if isinstance(node, str):
            return [node]
        if isinstance(node, list):
            return [p for item in node for p in pages(item)]
        return [p for value in node.values() for p in pages(value)]

    listed = pages(config["nav"])
    assert all((DOCS / page).is_file() for page in listed), listed
    on_disk = {str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md")}
    linked = " ".join(p.read_text(encoding="utf-8") for p in DOCS.rglob("*.md"))
    for page in on_disk - set(listed):  # pages outside the nav must at least be linked
        assert Path(page).name in linked, (
            f"{page} is neither in the nav nor linked: add it to `nav` in mkdocs.yml")


def test_no_page_points_at_documents_or_machines_users_do_not_have() -> None:
    for path in [*DOCS.rglob("*.md"), DOCS / "tutorial" / "analyst.ipynb", ROOT / "README.md"]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\bDESIGN\b", text), path
        assert "/work/" not in text and "/tmp/" not in text, path


def test_the_readme_gives_the_command_that_builds_the_docs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "mkdocs build --strict" in readme
    assert "mkdocs build --strict" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")

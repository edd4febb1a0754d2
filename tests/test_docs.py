"""The README and the docs pages: short, linked both ways, no dead link or image."""

from __future__ import annotations

from pathlib import Path
import re
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
PAGES = [
    README,
    ROOT / "SECURITY.md",
    ROOT / "CONTRIBUTING.md",
    ROOT / "info.md",
    *DOCS,
]
SCREENSHOTS = ROOT / "docs" / "screenshots"
TRANSLATIONS = sorted(
    (ROOT / "custom_components" / "bulutfon" / "translations").glob("*.json")
)
# a link into this repository's files (the blueprint import buttons), or a docs page named in
# the UI's text (translations hold no URLs: hassfest asks for placeholders instead)
OWN_FILE = re.compile(
    r"https://github\.com/ha-bulutfon/bulutfon/blob/main/([^\s)\"'&#]+)"
    r"|(?<![\w/])(docs/[\w-]+\.md)"
)

# [text](target) and ![alt](target); a target ends at the first space or ")"
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`[^`\n]*`")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def _prose(path: Path) -> str:
    """The page without code, where brackets are not links."""
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    return INLINE_CODE.sub("", text)


def _anchors(path: Path) -> set[str]:
    """GitHub's heading ids: lower case, punctuation dropped, spaces as hyphens."""
    seen: dict[str, int] = {}
    anchors = set()
    for heading in HEADING.findall(_prose(path)):
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link's text only
        slug = re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        anchors.add(slug if count == 0 else f"{slug}-{count}")
    return anchors


def _links(path: Path) -> list[str]:
    return LINK.findall(_prose(path))


def _local(target: str) -> bool:
    return not re.match(r"^[a-z][a-z0-9+.-]*:", target)  # no http:, mailto:, …


def test_every_relative_link_and_image_resolves() -> None:
    """A link or image to another page or file finds it, and its #anchor a heading."""
    dead = []
    for page in PAGES:
        for target in filter(_local, _links(page)):
            file_part, _, anchor = target.partition("#")
            linked = (page.parent / unquote(file_part)).resolve() if file_part else page
            if not linked.exists():
                dead.append(f"{page.relative_to(ROOT)}: {target}")
            elif anchor and linked.suffix == ".md" and anchor not in _anchors(linked):
                dead.append(f"{page.relative_to(ROOT)}: {target} (no such heading)")
    assert not dead


def test_links_to_this_repositorys_files_name_existing_files() -> None:
    """A link to one of our files (the blueprints' import buttons) or a docs page the UI
    names (the routing script's format, in the options dialog) is a file that is here."""
    missing = [
        f"{source.relative_to(ROOT)}: {path}"
        for source in [*PAGES, *TRANSLATIONS]
        for match in OWN_FILE.findall(unquote(source.read_text(encoding="utf-8")))
        for path in match
        if path and not (ROOT / path).is_file()
    ]
    assert not missing


def test_readme_is_short() -> None:
    """The page the Marketplace and HACS show first stays readable: at most 15 KB."""
    assert len(README.read_bytes()) <= 15_000


def test_readme_links_every_page_and_each_page_links_back() -> None:
    """A user finds every docs page from the README, and the way back from each."""
    readme_targets = {target.partition("#")[0] for target in _links(README)}
    for page in [*DOCS, ROOT / "SECURITY.md", ROOT / "CONTRIBUTING.md"]:
        assert page.relative_to(ROOT).as_posix() in readme_targets, page.name
        back = "README.md" if page.parent == ROOT else "../README.md"
        assert back in {t.partition("#")[0] for t in _links(page)}, page.name


def test_every_screenshot_is_shown() -> None:
    """Each screenshot the browser tests keep in docs/screenshots/ is on some page."""
    shown = {
        (page.parent / target).resolve()
        for page in PAGES
        for target in filter(_local, _links(page))
    }
    unshown = [
        shot.name for shot in sorted(SCREENSHOTS.glob("*.png")) if shot not in shown
    ]
    assert not unshown


def test_anchors_follow_githubs_rule() -> None:
    """The anchor rule itself, on headings the pages use."""
    anchors = _anchors(ROOT / "docs" / "hipcall.md")
    assert "hipcalls-api-optional-names-calling-back-no-call-lost" in anchors
    assert "call-routing-bulutfonxm" in _anchors(ROOT / "docs" / "routing.md")

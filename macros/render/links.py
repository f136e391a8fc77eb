"""Where every generated page lives, and relative Markdown links between them (MkDocs checks them in strict mode)."""

from __future__ import annotations

import posixpath
import re
import unicodedata

TEAMS_INDEX = "teams/index.md"
TARGETS_INDEX = "targets/index.md"
PRACTICES_INDEX = "practices/index.md"

# Pages for the people who edit the data (how-tos, the data reference, the editions page): the public edition, for
# readers outside the organization, leaves them out, and every link to them.
CONTRIBUTOR_PAGES = ("onboarding/add-figures.md", "onboarding/propose-a-change.md", "onboarding/data-reference.md",
                     "onboarding/editions.md")


# A slug is a folder name in the built site: file systems allow 255 bytes, so a long unit name is cut short
# (at a word boundary when there is one); unit_slugs() keeps cut names distinct.
SLUG_MAX = 60


def slugify(text: str) -> str:
    """Return a URL slug for a unit name (ASCII letters, digits and hyphens, at most SLUG_MAX characters)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > SLUG_MAX:
        cut = slug[: SLUG_MAX + 1]
        slug = (cut.rsplit("-", 1)[0] if "-" in cut[SLUG_MAX // 2:] else cut[:SLUG_MAX]).strip("-")
    return slug or "unit"


def unit_slugs(units: list[str]) -> dict[str, str]:
    """Give every unit a distinct slug, in order, suffixing collisions (e.g. two names differing by accent)."""
    out: dict[str, str] = {}
    used: set[str] = set()
    # The next suffix to try per base slug: a slug once used stays used, so the search for a base resumes where it
    # stopped. Thousands of names that all slugify alike (any non-Latin script gives "unit") take linear time.
    next_suffix: dict[str, int] = {}
    for unit in units:
        base = slugify(unit)
        slug, n = base, next_suffix.get(base, 2)
        if slug in used:
            slug = f"{base}-{n}"
            while slug in used:
                n += 1
                slug = f"{base}-{n}"
            next_suffix[base] = n + 1
        used.add(slug)
        out[unit] = slug
    return out


def team_src(team_id: str) -> str:
    return f"teams/{team_id}.md"


def target_src(target_id: str) -> str:
    return f"targets/{target_id}.md"


def practice_src(number: int) -> str:
    return f"practices/practice-{number}.md"


def unit_src(slug: str) -> str:
    return f"units/{slug}.md"


def rel_path(path: str, start: str = ".") -> str:
    """`posixpath.relpath` for two paths relative to the site root, without its two `os.getcwd()` calls.

    During a build those calls cost up to 3 ms each (the page worker writes files meanwhile), and a build makes
    thousands; a path that leaves the root falls back to `posixpath.relpath`.
    """
    parts = [p for p in posixpath.normpath(path).split("/") if p != "."]
    base = [p for p in posixpath.normpath(start).split("/") if p != "."]
    if (parts and parts[0] == "..") or (base and base[0] == "..") or path.startswith("/") or start.startswith("/"):
        return posixpath.relpath(path, start)
    common = 0
    for a, b in zip(parts, base, strict=False):
        if a != b:
            break
        common += 1
    rel = [".."] * (len(base) - common) + parts[common:]
    return "/".join(rel) if rel else "."


def page_url(src: str, directory_urls: bool = True) -> str:
    """Return the URL path (relative to the site root) MkDocs serves a page's source at."""
    if src == "index.md" or src.endswith("/index.md"):
        return src[: -len("index.md")]
    if not directory_urls:
        return src[:-3] + ".html"
    return src[:-3] + "/"


class _PageLinks:
    """Where each kind of page is, once: a link to it is `page(src, anchor)` (Markdown or raw HTML, below)."""

    unit_slug: dict[str, str]

    def page(self, src: str, anchor: str | None = None) -> str:
        raise NotImplementedError

    def team(self, team_id: str) -> str:
        return self.page(team_src(team_id))

    def target(self, target_id: str) -> str:
        return self.page(target_src(target_id))

    def practice(self, number: int) -> str:
        return self.page(practice_src(number))

    def deficit(self, deficit_id: str) -> str:
        return self.page("deficits.md", f"deficit-{deficit_id}")

    def indicator(self, indicator_id: str) -> str:
        return self.page("indicators.md", f"indicator-{indicator_id}")

    def unit(self, unit: str) -> str:
        return self.page(unit_src(self.unit_slug.get(unit) or slugify(unit)))


class Links(_PageLinks):
    """Relative links from one page (by its source path under docs/) to the handbook's pages.

    `links.team(id)` is a Markdown link (MkDocs rewrites and checks it); `links.html.team(id)` the URL for raw HTML.
    """

    def __init__(self, from_src: str = "index.md", unit_slug: dict[str, str] | None = None, directory_urls: bool = True,
                 source_relative: bool = False):
        self.base = posixpath.dirname(from_src)
        self.source_relative = source_relative  # the engine rewrites links in raw HTML (Zensical): keep them as they are
        self.unit_slug = unit_slug or {}
        self.directory_urls = directory_urls
        self.url_base = posixpath.dirname(page_url(from_src, directory_urls))
        self._html: HtmlLinks | None = None

    @property
    def html(self) -> HtmlLinks:
        """The same links as URLs for raw HTML (which MkDocs does not rewrite), made once per page."""
        if self._html is None:
            self._html = HtmlLinks(self)
        return self._html

    def href(self, md_link: str) -> str:
        """Turn a Markdown link from this page into a URL for raw HTML, which MkDocs does not rewrite."""
        if self.source_relative:
            return md_link
        path, _, anchor = md_link.partition("#")
        if path:
            target = page_url(posixpath.normpath(posixpath.join(self.base, path)), self.directory_urls)
            path = rel_path(target or ".", self.url_base or ".")
            if (not target or target.endswith("/")) and not path.endswith("/"):
                path += "/"
        return path + (f"#{anchor}" if anchor else "")

    def to(self, src: str, anchor: str | None = None) -> str:
        rel = rel_path(src, self.base or ".")
        return rel + (f"#{anchor}" if anchor else "")

    def page(self, src: str, anchor: str | None = None) -> str:
        return self.to(src, anchor)


class HtmlLinks(_PageLinks):
    """URLs for raw HTML (which MkDocs does not rewrite) from one page to the handbook's pages and files.

    Each is the page's way up to the site root plus the target's URL, so a page with many links computes one
    relative path, not one per link (`Links.href` costs a `relpath` each: too slow for 1,000 team pages).
    """

    def __init__(self, links: Links):
        self.links = links
        self.unit_slug = links.unit_slug
        self.source = links.base if links.source_relative else None  # the engine rewrites source-relative links
        root = rel_path(".", (links.base if self.source is not None else links.url_base) or ".")
        self.prefix = "" if root == "." else root + "/"
        self.here = links.url_base + "/" if links.url_base else ""

    def page(self, src: str, anchor: str | None = None) -> str:
        if self.source is not None:
            return self.links.to(src, anchor)
        target = page_url(src, self.links.directory_urls)
        if self.here and target.startswith(self.here) and target != self.here:
            url = target[len(self.here):]  # below this page's folder: the short way (teams/ to teams/alpha/)
        else:
            url = self.prefix + target
        return (url or "./") + (f"#{anchor}" if anchor else "")

    def file(self, path: str) -> str:
        """A file at `path` under the site root, e.g. a download."""
        return self.prefix + path

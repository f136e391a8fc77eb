"""The site's name: the organization's own, unless mkdocs.yml sets a name of its own."""

from __future__ import annotations

from .i18n import N_, _

# The site_name the handbook ships with in mkdocs.yml. Left as it is (or empty), the organization's name goes first.
DEFAULT_SITE_NAME = N_("Performance handbook")
SEPARATOR = " · "


PUBLIC_EDITION = N_("Public edition")


def edition_site_name(name: str, edition: str) -> str:
    """Return the site's name as the header shows it: the public edition says so ("... · Public edition")."""
    return f"{name}{SEPARATOR}{_(PUBLIC_EDITION)}" if edition == "public" else name


def derive_site_name(site_name: str | None, organization: str) -> str:
    """Return the site's name as plain text: "<organization> · Performance handbook", or the site's own name.

    A site_name other than the shipped default (and not empty) is the site's own choice and is kept as written.
    """
    own = " ".join(str(site_name or "").split())
    org = " ".join(organization.split())
    if own and own != DEFAULT_SITE_NAME:
        return own
    if not org:
        return own or _(DEFAULT_SITE_NAME)
    return f"{org}{SEPARATOR}{_(DEFAULT_SITE_NAME)}"

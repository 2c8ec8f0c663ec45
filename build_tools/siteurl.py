"""The site's public address: one setting, read in one place.

Canonical URLs (the FHIR Bundle's, the feeds', printed links) must name the address the site
is published at, not the local server; the address is a build setting (`SITE_URL`, or
`python -m build_tools build --site-url`; held by `Settings.site_url`), never a line to edit.
The engine adapter gives the engine the same address (build_tools.engine.engineconfig), so
instant navigation and the sitemap agree with the exports.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from build_tools.context import SITE_URL_ENV, Settings

LOCAL = "http://127.0.0.1:8000/"
"""What `make serve` serves: the address used when none is set."""

ENV = SITE_URL_ENV
_ADDRESS = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d{1,5})?(/[A-Za-z0-9._~%/-]*)?$")


class SiteUrlError(ValueError):
    """SITE_URL is set to something that is not a site address."""


def normalise(value: str) -> str:
    """`value` as a site address ending in one slash; raise SiteUrlError naming the setting.

    Only http(s) addresses with a host and an optional path: a query, a fragment or spaces
    would end up inside every canonical URL.
    """
    address = value.strip()
    if not _ADDRESS.match(address):
        raise SiteUrlError(
            f"{ENV}: {value!r} is not a site address (expected http:// or https://, a host, "
            "an optional port and path, e.g. https://guideline.example.org/myositis/)"
        )
    return address.rstrip("/") + "/"


def site_url(environ: Mapping[str, str] | None = None, settings: Settings | None = None) -> str:
    """The public address of the settings (by default, those of the environment, read by
    `Settings.from_environment`), or the local server's when none is set."""
    if settings is None:
        settings = Settings.from_environment(environ)
    value = settings.site_url.strip()
    return normalise(value) if value else LOCAL


def is_local(address: str) -> bool:
    """True for the local server's address: links in print and exports then point at it."""
    return address == LOCAL

"""Which hosts a server-side fetch may reach: public addresses, and hosts an operator allows by name.

A URL given to the loaders (on the command line, or by a reviewer in the dashboard) is fetched
by this machine, from inside its network. Without a guard, such a URL, or a redirect it
answers with, could read pages only this machine can reach: a database console on another
port of 127.0.0.1, a router at 192.168.1.1, the cloud metadata service at 169.254.169.254.
So every host, of the first URL and of every redirect, is resolved, and the fetch is refused
(`FetchRefused`) when any of its addresses is not a public (globally routable) unicast one:
loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7), shared CGNAT (100.64/10),
link-local (169.254/16, fe80::/10, cloud metadata included), multicast, unspecified
(0.0.0.0, ::), reserved, documentation and other special-purpose ranges. IPv6 forms that carry
an IPv4 address (IPv4-mapped ::ffff:a.b.c.d, 6to4 2002::/16, NAT64 64:ff9b::/96) are judged by
that IPv4 address. `fetch` then connects to one of the addresses checked here, never
resolving the name a second time, so a DNS answer that changes between the check and the
connection (DNS rebinding) gains nothing.

An operator who wants some internal hosts fetched allows them by name, as they are written in
URLs, in the environment variable INDICATORS_FETCH_ALLOW_HOSTS (comma-separated, case does not
matter), or with `fetch(..., allow_hosts=[...])`:

    INDICATORS_FETCH_ALLOW_HOSTS=localhost,127.0.0.1,intranet.example.org

A name allows that name only: allowing `localhost` does not allow `127.0.0.1` or `[::1]`, and
there are no wildcards, so that each internal host is a deliberate choice.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterable

__all__ = ["ALLOW_HOSTS_ENV", "allowed_hosts", "normal_host", "refusal"]

ALLOW_HOSTS_ENV = "INDICATORS_FETCH_ALLOW_HOSTS"

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

_METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
_PRIVATE = tuple(ipaddress.ip_network(network) for network in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"))
_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT; `is_private` misses it, `is_global` does not
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def normal_host(host: str) -> str:
    """A host name as allow-lists compare it: lower case, no IPv6 brackets, no final dot."""
    return host.strip().strip("[]").rstrip(".").lower()


def allowed_hosts(extra: Iterable[str] | None = None) -> frozenset[str]:
    """The host names allowed by INDICATORS_FETCH_ALLOW_HOSTS (read now, not at import) and `extra`."""
    names = os.environ.get(ALLOW_HOSTS_ENV, "").split(",")
    return frozenset(filter(None, (normal_host(name) for name in [*names, *(extra or ())])))


def refusal(address: Address | str) -> str | None:
    """Why an address is not fetched ("a loopback address"), or None when it is a public one.

    >>> refusal("127.0.0.1"), refusal("::ffff:10.1.2.3"), refusal("93.184.215.14")
    ('a loopback address', 'a private address (IPv4-mapped)', None)
    """
    if isinstance(address, str):
        address = ipaddress.ip_address(address)
    if isinstance(address, ipaddress.IPv6Address):
        for form, embedded in (
            ("IPv4-mapped", address.ipv4_mapped),
            ("6to4", address.sixtofour),
            ("NAT64", ipaddress.IPv4Address(int(address) & 0xFFFFFFFF) if address in _NAT64 else None),
        ):
            if embedded is not None:
                reason = refusal(embedded)
                return f"{reason} ({form})" if reason else None
    # The most telling name first: 127.0.0.1 is also "private" and "not global" to `ipaddress`.
    if address.is_unspecified:
        return "an unspecified address (it reaches this machine)"
    if address.is_loopback:
        return "a loopback address"
    if address in _METADATA:
        return "the cloud metadata address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_multicast:  # 224.0.0.0/4 counts as global to `ipaddress` before Python 3.13
        return "a multicast address"
    if any(address in network for network in _PRIVATE):
        return "a private address"
    if address in _SHARED:
        return "a shared (carrier-grade NAT) address"
    if isinstance(address, ipaddress.IPv6Address) and address.is_site_local:
        return "a site-local address"
    if address.is_reserved:
        return "a reserved address"
    if not address.is_global:
        return "a special-purpose address, not publicly routable"
    return None

"""The network an address belongs to, for limits that must also hold across a network.

One person can use many addresses of one network (a home router's IPv6 /64, the
next free address of an office's IPv4 block), so a limit per address is easily
side-stepped; a limit per network is not, at the price that everyone behind one
network (an office, a carrier's NAT) shares it.
"""

import ipaddress

IPV4_PREFIX = 24
IPV6_PREFIX = 64  # what one home or phone gets from its provider


def network_of(ip: str | None) -> str | None:
    """'203.0.113.0/24' or '2001:db8:1:2::/64' for an address; None for none (a unix socket)."""
    if not ip:
        return None
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:203.0.113.7 is that IPv4 client
    prefix = IPV4_PREFIX if address.version == 4 else IPV6_PREFIX
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))

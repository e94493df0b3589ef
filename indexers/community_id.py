"""Community ID flow hashing, version 1 (https://github.com/corelight/community-id-spec).

``1:`` + base64(sha1(seed:u16be, ip_a, ip_b, proto:u8, 0:u8, port_a:u16be, port_b:u16be)),
endpoints ordered so both directions of a flow hash alike.  Flow logs carry no ICMP
type/code, so ICMP flows hash with the ports the record gives (0/0).
"""

from __future__ import annotations

import base64
import hashlib
import socket
import struct

__all__ = ["community_id"]


def community_id(
    src_ip: str, dst_ip: str, src_port: int, dst_port: int, proto: int, seed: int = 0
) -> str | None:
    """The v1 community id, or None for addresses that do not parse or mixed families."""
    try:
        a = socket.inet_pton(socket.AF_INET6 if ":" in src_ip else socket.AF_INET, src_ip)
        b = socket.inet_pton(socket.AF_INET6 if ":" in dst_ip else socket.AF_INET, dst_ip)
    except (OSError, ValueError):
        return None
    if len(a) != len(b) or not (0 <= proto <= 255):
        return None
    pa, pb = src_port & 0xFFFF, dst_port & 0xFFFF
    if (a, pa) > (b, pb):
        a, b, pa, pb = b, a, pb, pa
    h = hashlib.sha1(struct.pack("!H", seed) + a + b + struct.pack("!BBHH", proto, 0, pa, pb))
    return "1:" + base64.b64encode(h.digest()).decode()

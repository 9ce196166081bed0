"""What went over the wire: TCP streams reassembled from a pcap, checked to be
TLS records only, and searched for cleartext Flower data."""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass, field
from pathlib import Path

import dpkt

TLS_CONTENT_TYPES = {20: "change_cipher_spec", 21: "alert", 22: "handshake", 23: "application_data"}
TLS_VERSIONS = {0x0301: "TLS 1.0", 0x0302: "TLS 1.1", 0x0303: "TLS 1.2", 0x0304: "TLS 1.3"}
MAX_RECORD = 2**14 + 256  # RFC 8446 5.2 (ciphertext may exceed plaintext by 256)

Endpoint = tuple[str, int]


@dataclass
class Direction:
    """One direction of a TCP connection."""

    src: Endpoint
    dst: Endpoint
    isn: int | None = None
    segments: dict[int, bytes] = field(default_factory=dict)
    fin: bool = False
    rst: bool = False

    def stream(self) -> tuple[bytes, list[tuple[int, int]]]:
        """Reassembled bytes and the holes [(offset, length)] in them."""
        if not self.segments:
            return b"", []
        base = (self.isn + 1) if self.isn is not None else min(self.segments)
        data = bytearray()
        holes = []
        for seq in sorted(self.segments, key=lambda s: (s - base) % 2**32):
            offset = (seq - base) % 2**32
            chunk = self.segments[seq]
            if offset > len(data):
                holes.append((len(data), offset - len(data)))
                data.extend(b"\0" * (offset - len(data)))
            if offset + len(chunk) > len(data):
                data.extend(chunk[len(data) - offset :])
        return bytes(data), holes


@dataclass
class TlsRecord:
    content_type: int
    version: int
    length: int
    body: bytes


@dataclass
class StreamCheck:
    """TLS verdict for one direction."""

    src: Endpoint
    dst: Endpoint
    nbytes: int
    records: list[TlsRecord]
    problems: list[str]
    truncated_tail: int  # bytes of an incomplete last record (capture ended mid-record)

    @property
    def app_data_bytes(self) -> int:
        return sum(r.length for r in self.records if r.content_type == 23)


@dataclass
class WireReport:
    connections: int
    directions: list[StreamCheck]
    streams: dict[tuple[Endpoint, Endpoint], bytes]
    negotiated: dict[tuple[Endpoint, Endpoint], str]
    sni: dict[tuple[Endpoint, Endpoint], str]

    @property
    def problems(self) -> list[str]:
        return [f"{d.src[1]}->{d.dst[1]}: {p}" for d in self.directions for p in d.problems]

    def find(self, markers: dict[str, bytes]) -> list[str]:
        """Markers found in clear: 'label in a->b at offset n'."""
        hits = []
        for (src, dst), data in self.streams.items():
            for label, marker in markers.items():
                pos = data.find(marker)
                if pos >= 0:
                    hits.append(f"{label} in {src[1]}->{dst[1]} at offset {pos}")
        return hits


def _ip_layer(linktype: int, buf: bytes):  # type: ignore[no-untyped-def]
    if linktype == dpkt.pcap.DLT_EN10MB:
        return dpkt.ethernet.Ethernet(buf).data
    if linktype == dpkt.pcap.DLT_LINUX_SLL:
        return dpkt.sll.SLL(buf).data
    if linktype == 276:  # LINUX_SLL2
        return dpkt.sll2.SLL2(buf).data
    if linktype in (dpkt.pcap.DLT_RAW, 101, 12):
        return dpkt.ip.IP(buf) if buf[0] >> 4 == 4 else dpkt.ip6.IP6(buf)
    if linktype == dpkt.pcap.DLT_NULL:
        return dpkt.loopback.Loopback(buf).data
    raise ValueError(f"unsupported pcap link type {linktype}")


def _addr(ip) -> str:  # type: ignore[no-untyped-def]
    family = socket.AF_INET6 if isinstance(ip, dpkt.ip6.IP6) else socket.AF_INET
    return socket.inet_ntop(family, ip.src), socket.inet_ntop(family, ip.dst)  # type: ignore[return-value]


def read_directions(pcap: Path) -> dict[tuple[Endpoint, Endpoint], Direction]:
    directions: dict[tuple[Endpoint, Endpoint], Direction] = {}
    with open(pcap, "rb") as fh:
        reader = dpkt.pcap.Reader(fh)
        linktype = reader.datalink()
        for _, buf in reader:
            ip = _ip_layer(linktype, buf)
            if not isinstance(ip, (dpkt.ip.IP, dpkt.ip6.IP6)) or not isinstance(ip.data, dpkt.tcp.TCP):
                continue
            tcp = ip.data
            src_ip, dst_ip = _addr(ip)
            key = ((src_ip, tcp.sport), (dst_ip, tcp.dport))
            d = directions.setdefault(key, Direction(src=key[0], dst=key[1]))
            if tcp.flags & dpkt.tcp.TH_SYN:
                d.isn = tcp.seq
            if tcp.flags & dpkt.tcp.TH_FIN:
                d.fin = True
            if tcp.flags & dpkt.tcp.TH_RST:
                d.rst = True
            if tcp.data:
                previous = d.segments.get(tcp.seq, b"")
                if len(tcp.data) > len(previous):
                    d.segments[tcp.seq] = bytes(tcp.data)
    return directions


def parse_records(data: bytes) -> tuple[list[TlsRecord], list[str], int]:
    """Split a byte stream into TLS records. Returns (records, problems, truncated tail)."""
    records: list[TlsRecord] = []
    problems: list[str] = []
    pos = 0
    while pos < len(data):
        if len(data) - pos < 5:
            return records, problems, len(data) - pos
        ctype, version, length = struct.unpack("!BHH", data[pos : pos + 5])
        if ctype not in TLS_CONTENT_TYPES:
            problems.append(f"byte {pos}: content type {ctype} is not a TLS record (bytes {data[pos:pos + 16]!r})")
            return records, problems, 0
        # The first ClientHello may carry legacy record version 0x0301 (RFC 8446 5.1).
        legacy_ok = not records and ctype == 22 and version == 0x0301
        if version != 0x0303 and not legacy_ok:
            problems.append(f"byte {pos}: record version {version:#06x}, expected 0x0303")
            return records, problems, 0
        if length > MAX_RECORD:
            problems.append(f"byte {pos}: record length {length} exceeds {MAX_RECORD}")
            return records, problems, 0
        if pos + 5 + length > len(data):
            return records, problems, len(data) - pos
        records.append(TlsRecord(ctype, version, length, data[pos + 5 : pos + 5 + length]))
        pos += 5 + length
    return records, problems, 0


def _hello(records: list[TlsRecord], expected_type: int) -> bytes | None:
    if records and records[0].content_type == 22 and records[0].body[:1] == bytes([expected_type]):
        return records[0].body
    return None


def _extensions(hello: bytes, is_client: bool) -> dict[int, bytes]:
    """Extensions of a ClientHello/ServerHello handshake message."""
    pos = 4 + 2 + 32  # msg header, legacy_version, random
    sid_len = hello[pos]
    pos += 1 + sid_len
    if is_client:
        (cs_len,) = struct.unpack("!H", hello[pos : pos + 2])
        pos += 2 + cs_len
        comp_len = hello[pos]
        pos += 1 + comp_len
    else:
        pos += 2 + 1  # cipher suite, compression
    if pos + 2 > len(hello):
        return {}
    (ext_len,) = struct.unpack("!H", hello[pos : pos + 2])
    pos += 2
    end = min(len(hello), pos + ext_len)
    exts = {}
    while pos + 4 <= end:
        etype, elen = struct.unpack("!HH", hello[pos : pos + 4])
        exts[etype] = hello[pos + 4 : pos + 4 + elen]
        pos += 4 + elen
    return exts


def _negotiated_version(server_hello: bytes) -> int:
    exts = _extensions(server_hello, is_client=False)
    if 43 in exts and len(exts[43]) == 2:  # supported_versions
        return struct.unpack("!H", exts[43])[0]
    return struct.unpack("!H", server_hello[4:6])[0]


def _sni(client_hello: bytes) -> str | None:
    ext = _extensions(client_hello, is_client=True).get(0)
    if not ext or len(ext) < 5:
        return None
    (name_len,) = struct.unpack("!H", ext[3:5])
    return ext[5 : 5 + name_len].decode("ascii", errors="replace")


def analyse(pcap: Path, server_port: int) -> WireReport:
    """Check every direction of every connection to/from server_port."""
    directions = read_directions(pcap)
    checks: list[StreamCheck] = []
    streams: dict[tuple[Endpoint, Endpoint], bytes] = {}
    negotiated: dict[tuple[Endpoint, Endpoint], str] = {}
    snis: dict[tuple[Endpoint, Endpoint], str] = {}
    conns = set()
    for key, d in sorted(directions.items()):
        is_client = d.dst[1] == server_port
        if not is_client and d.src[1] != server_port:
            continue
        conn = (d.src, d.dst) if is_client else (d.dst, d.src)
        conns.add(conn)
        data, holes = d.stream()
        streams[key] = data
        records, problems, tail = parse_records(data)
        if d.isn is None and data:
            problems.append("connection began before the capture (no SYN): cannot check from its first byte")
        for offset, length in holes:
            problems.append(f"capture hole of {length} bytes at offset {offset}: stream incomplete")
        if tail and (d.fin or d.rst):
            problems.append(f"{tail} bytes after the last complete record on a closed connection")
        first_app = next((i for i, r in enumerate(records) if r.content_type == 23), len(records))
        late = [i for i, r in enumerate(records) if r.content_type == 22 and i > first_app]
        if late:
            problems.append(f"plaintext handshake records after application data (records {late[:5]})")
        if data and not problems:
            hello = _hello(records, 1 if is_client else 2)
            if hello is None:
                problems.append(f"does not start with a {'ClientHello' if is_client else 'ServerHello'}")
            elif is_client:
                snis[conn] = _sni(hello) or ""
            else:
                version = _negotiated_version(hello)
                negotiated[conn] = TLS_VERSIONS.get(version, f"{version:#06x}")
                if version < 0x0303:
                    problems.append(f"negotiated {negotiated[conn]}")
        checks.append(StreamCheck(d.src, d.dst, len(data), records, problems, tail))
    return WireReport(len(conns), checks, streams, negotiated, snis)

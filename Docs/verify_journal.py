#!/usr/bin/env python3
"""Recompute a swift-agent-orchestration journal's hash chain from the file alone (Docs/JournalFormat.md).

Usage:
  verify_journal.py (--jsonl FILE | --journal FILE) [--genesis HEX] [--known-version N]
                    [--expect-count N] [--expect-head HEX]

--jsonl FILE holds one entry's JSON text per line (the stored form: the library's exact JSON, UTF-8); --journal FILE
is a `FileCheckpointStore` file (Docs/FileJournalFormat.md: a 16-byte header, then records of a 4-byte length, a
CRC-32C and the entry's bytes; a torn tail after the last whole record is ignored, as the store cuts it). The script
prints
`verified N entries, head HASH` and exits 0, or prints the first bad entry as `entry P KIND: message` and exits 1
(exit 2 for usage errors). KIND is one of altered, removed, inserted, reordered, unparseable, unknownVersion,
genesisMismatch, as JournalChain.verify reports them. Standard library only; Python 3.8 or later.
"""
import argparse
import hashlib
import json
import sys

FORMAT_VERSION = 1
MAX_SAFE_INTEGER = 2**53 - 1
ZERO = "0" * 64


class Fault(Exception):
    def __init__(self, kind, position, message):
        super().__init__(message)
        self.kind, self.position, self.message = kind, position, message


def es_number(value):
    """ECMAScript Number.prototype.toString for a finite float (RFC 8785 section 3.2.2.3)."""
    if value == 0:
        return "0"
    if value < 0:
        return "-" + es_number(-value)
    mantissa, _, exponent = repr(value).partition("e")  # repr: shortest round-trip digits
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    point = len(whole) - (len(whole + fraction) - len((whole + fraction).lstrip("0")))
    digits = digits.rstrip("0")
    k, n = len(digits), point + int(exponent or 0)
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * -n + digits
    rest = "." + digits[1:] if k > 1 else ""
    return digits[0] + rest + "e" + ("-" if n - 1 < 0 else "+") + str(abs(n - 1))


def canonical_string(text):
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch in "\b\f\n\r\t":
            out.append({"\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}[ch])
        elif code < 0x20:
            out.append("\\u%04x" % code)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def canonical(value):
    """RFC 8785 canonical JSON text, with the library's rule for integers beyond +-(2^53 - 1)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value) if abs(value) <= MAX_SAFE_INTEGER else '"%d"' % value
    if isinstance(value, float):
        return es_number(value)
    if isinstance(value, str):
        return canonical_string(value)
    if isinstance(value, list):
        return "[" + ",".join(canonical(v) for v in value) + "]"
    keys = sorted(value, key=lambda key: key.encode("utf-16-be", "surrogatepass"))
    return "{" + ",".join(canonical_string(k) + ":" + canonical(value[k]) for k in keys) + "}"


def entry_hash(entry, previous_hex):
    body = {k: v for k, v in entry.items() if k != "hash"}
    return hashlib.sha256(bytes.fromhex(previous_hex) + canonical(body).encode("utf-8")).hexdigest()


def refuse_constant(name):
    raise ValueError("%s is not JSON" % name)


def parse(raw):
    try:
        value = json.loads(raw.decode("utf-8"), parse_constant=refuse_constant)
        canonical(value).encode("utf-8")  # lone surrogates in strings fail here
        return value
    except (UnicodeError, ValueError, RecursionError) as error:
        return error


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def is_hash(value):
    return isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)


def envelope(raw, position, known_version):
    value = parse(raw)
    if isinstance(value, Exception):
        raise Fault("unparseable", position, "not UTF-8 JSON: %s" % value)
    if not isinstance(value, dict):
        raise Fault("unparseable", position, "not an entry object")
    version = value.get("version")
    if not is_int(version) or version < 1:
        raise Fault("unparseable", position, "no integer 'version' of 1 or more")
    if version > known_version:
        raise Fault("unknownVersion", position, "format version %d; this reader knows up to %d" % (version, known_version))
    if not is_int(value.get("position")) or value["position"] < 0:
        raise Fault("unparseable", position, "no integer 'position' of 0 or more")
    if not is_hash(value.get("previousHash")):
        raise Fault("unparseable", position, "'previousHash' is not 64 lower-case hex digits")
    if not is_hash(value.get("hash")):
        raise Fault("unparseable", position, "'hash' is not 64 lower-case hex digits")
    computed = entry_hash(value, value["previousHash"])
    if computed != value["hash"]:
        raise Fault("altered", position, "hashes to %s, not to its recorded %s" % (computed, value["hash"]))
    return value


def claimed_position(raw):
    value = parse(raw)
    if isinstance(value, dict) and is_int(value.get("position")) and value["position"] >= 0:
        return value["position"]
    return None


def verify(lines, genesis, known_version, expect_count, expect_head):
    hashes = []
    for index, raw in enumerate(lines):
        entry = envelope(raw, index, known_version)
        claimed = entry["position"]
        if claimed < index:
            raise Fault("inserted", claimed, "two entries claim position %d" % claimed)
        if claimed > index:
            later = [claimed_position(r) for r in lines[index + 1:]]
            if index in later:
                raise Fault("reordered", index, "entry %d comes later in the journal" % index)
            if claimed in later:
                raise Fault("inserted", index, "a copy of entry %d was inserted" % claimed)
            raise Fault("removed", index, "record %d claims position %d" % (index, claimed))
        previous = genesis if index == 0 else hashes[index - 1]
        if entry["previousHash"] != previous:
            if index == 0:
                raise Fault("genesisMismatch", 0, "chains from %s, not from %s" % (entry["previousHash"], genesis))
            raise Fault("altered", index - 1, "entry %d does not chain from it: it was replaced" % index)
        hashes.append(entry["hash"])
    count = len(lines)

    def hash_at(n):
        return genesis if n == 0 else hashes[n - 1]

    if expect_count is not None and count != expect_count:
        if count < expect_count:
            raise Fault("removed", count, "the journal ends after %d entries; it had %d" % (count, expect_count))
        if expect_head is not None and hash_at(expect_count) != expect_head:
            raise Fault("altered", expect_count - 1, "does not hash to the pinned head")
        raise Fault("inserted", expect_count, "the journal goes on past its %d pinned entries" % expect_count)
    if expect_head is not None and hash_at(count) != expect_head:
        if count == 0:
            raise Fault("genesisMismatch", 0, "the pinned head is not the genesis")
        raise Fault("altered", count - 1, "does not hash to the pinned head")
    return count, hash_at(count)


def crc32c(data, crc=0xFFFFFFFF):
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def read_file_journal(data):
    """The whole records of a file-store journal (Docs/FileJournalFormat.md, version 1)."""
    if len(data) < 16 or data[:8] != b"AGJRNL\r\n" or crc32c(data[:12]) != int.from_bytes(data[12:16], "little"):
        raise ValueError("not a journal file: bad magic or header checksum")
    version = int.from_bytes(data[8:12], "little")
    if version != 1:
        raise ValueError("file format version %d; this script reads version 1" % version)
    records, offset = [], 16
    while len(data) - offset >= 8:
        length = int.from_bytes(data[offset:offset + 4], "little")
        end = offset + 8 + length
        if end > len(data) or crc32c(data[offset:offset + 4] + data[offset + 8:end]) != int.from_bytes(
            data[offset + 4:offset + 8], "little"
        ):
            break  # the torn tail (or damage, which the store refuses; the chain check names what is missing)
        records.append(data[offset + 8:end])
        offset = end
    return records


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--jsonl", metavar="FILE", help="one entry's JSON text per line")
    source.add_argument("--journal", metavar="FILE", help="a FileCheckpointStore journal file")
    parser.add_argument("--genesis", default=ZERO, help="hash the first entry chains from (a fork: its parent's)")
    parser.add_argument("--known-version", type=int, default=FORMAT_VERSION)
    parser.add_argument("--expect-count", type=int, help="entry count of an earlier verification")
    parser.add_argument("--expect-head", help="head hash of an earlier verification")
    args = parser.parse_args()
    if not is_hash(args.genesis) or (args.expect_head is not None and not is_hash(args.expect_head)):
        parser.error("hashes are 64 lower-case hex digits")
    with open(args.jsonl or args.journal, "rb") as file:
        data = file.read()
    if args.journal:
        try:
            lines = read_file_journal(data)
        except ValueError as error:
            print("not verified: %s" % error)
            return 1
    else:
        lines = data.split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
    try:
        count, head = verify(lines, args.genesis, args.known_version, args.expect_count, args.expect_head)
    except Fault as fault:
        print("entry %d %s: %s" % (fault.position, fault.kind, fault.message))
        return 1
    print("verified %d entries, head %s" % (count, head))
    return 0


if __name__ == "__main__":
    sys.exit(main())

extension JournalChain {
    /// The envelope fields in UTF-16 (and UTF-8) order, with their sort prefixes.
    private static let envelope: [(field: EnvelopeField, prefix: UInt64)] = [
        (.hash, CanonicalJSONWriter.sortPrefix("hash")),
        (.position, CanonicalJSONWriter.sortPrefix("position")),
        (.previousHash, CanonicalJSONWriter.sortPrefix("previousHash")),
        (.version, CanonicalJSONWriter.sortPrefix("version")),
    ]

    /// An envelope field, by its place among the entry's members.
    enum EnvelopeField: String, Sendable {
        case hash, position, previousHash, version
    }

    /// Writes `"field":value` for an envelope field other than `hash` (whose place the caller marks instead).
    static func writeEnvelopeMember(
        _ field: EnvelopeField,
        into writer: inout CanonicalJSONWriter,
        version: Int64,
        position: Int,
        after previous: SHA256Digest
    ) {
        // The keys are plain ASCII: their `"key":` bytes are appended as they are, not scanned for escapes (what
        // `writeKey` would write, with nothing to patch).
        switch field {
        case .hash:
            writer.append(#""hash":"#)
        case .position:
            writer.append(#""position":"#)
            writer.write(Int64(position))
        case .previousHash:
            writer.append(#""previousHash":"#)
            previous.appendQuotedHex(to: &writer.output)
        case .version:
            writer.append(#""version":"#)
            writer.write(version)
        }
    }

    /// Seals an entry's members (checked: an object without envelope fields) at `position` after `previous`.
    ///
    /// One walk writes the previous hash's 32 bytes and the entry's RFC 8785 form (envelope included, `hash`
    /// left out) into one buffer, which is exactly the SHA-256 input; the stored bytes are then that canonical text
    /// with the `hash` member inserted and the few differences the walk recorded patched in
    /// (``CanonicalJSONWriter`` lists them: numbers, integers beyond 2⁵³, `\u00xx` escapes). Only when an object's
    /// keys sort differently by UTF-8 and UTF-16 is the stored form written in a second walk. A member named
    /// `rendered.key` that holds `rendered.rendering`'s very value is copied from its bytes instead of walked (its
    /// canonical and stored forms are those bytes; see ``CanonicalRendering``).
    ///
    /// - Returns: The stored bytes and the entry's hash, or `nil` when the entry carries an envelope field.
    static func seal(
        _ members: [String: JSONValue],
        adding extra: [(key: String, value: JSONValue)] = [],
        rendered: (key: String, rendering: CanonicalRendering)? = nil,
        version: Int64,
        position: Int,
        after previous: SHA256Digest
    ) -> (bytes: [UInt8], hash: SHA256Digest)? {
        // Reserved through the writer, which holds the buffer's only reference (no copy at its first append).
        var writer = CanonicalJSONWriter(recordsPatches: true)
        writer.output.reserveCapacity(32 + 160 + 48 * members.count)
        previous.appendBytes(to: &writer.output)
        let sorted =
            extra.isEmpty
            ? CanonicalJSONWriter.sorted(members, without: nil) : CanonicalJSONWriter.sorted(members, adding: extra)
        var hashOffset = 0
        var hashAfterComma = false
        var written = 0
        var mayDiffer = false
        writer.output.append(UInt8(ascii: "{"))

        func writeEnvelope(_ field: EnvelopeField) {
            if field == .hash {
                hashOffset = writer.output.count
                hashAfterComma = written > 0
                return
            }
            if written > 0 { writer.output.append(UInt8(ascii: ",")) }
            written += 1
            writeEnvelopeMember(field, into: &writer, version: version, position: position, after: previous)
        }

        var next = 0  // the next envelope field to write
        for member in sorted {
            while next < envelope.count, envelope[next].prefix < member.prefix {
                writeEnvelope(envelope[next].field)
                next += 1
            }
            // A tie on the 8-byte prefix ("previous…"): the full comparison decides, and finds an envelope field
            // the entry carries itself (the caller then names it).
            while next < envelope.count, envelope[next].prefix == member.prefix {
                if member.key == envelope[next].field.rawValue { return nil }
                guard JSONKeyOrder.utf16Precedes(envelope[next].field.rawValue, member.key) else { break }
                writeEnvelope(envelope[next].field)
                next += 1
            }
            if written > 0 { writer.output.append(UInt8(ascii: ",")) }
            written += 1
            mayDiffer = writer.writeKey(member.key) || mayDiffer
            if let rendered, rendered.rendering.isRendering(of: member.value), member.key == rendered.key {
                writer.output.append(contentsOf: rendered.rendering.bytes)
            } else {
                writer.write(member.value)
            }
        }
        while next < envelope.count {
            writeEnvelope(envelope[next].field)
            next += 1
        }
        writer.output.append(UInt8(ascii: "}"))
        // Envelope keys are ASCII: they sit at the same place in both orders; the entry's own keys may not.
        if mayDiffer { writer.checkKeyOrders(sorted) }

        let hash = writer.output.withUnsafeBytes { SHA256.hash($0) }
        if writer.keyOrdersDiffer {
            var merged = members
            for (key, value) in extra { merged[key] = value }
            return (storedBytes(merged, version: version, position: position, previous: previous, hash: hash), hash)
        }
        let bytes = assemble(writer, hash: hash, at: hashOffset, afterComma: hashAfterComma)
        return (bytes, hash)
    }

    /// The stored bytes from the canonical text: the `hash` member inserted at `hashOffset` and the patches applied.
    static func assemble(
        _ writer: CanonicalJSONWriter,
        hash: SHA256Digest,
        at hashOffset: Int,
        afterComma: Bool
    ) -> [UInt8] {
        var count = writer.output.count - 32 + hashMemberCount
        for patch in writer.patches { count += patch.replacement.count - patch.canonical.count }
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            writer.output.withUnsafeBufferPointer { canonical in
                writer.side.withUnsafeBufferPointer { side in
                    var cursor = 32
                    var assembly = ByteAssembly(buffer)
                    func insertHash() {
                        assembly.copy(canonical, cursor..<hashOffset)
                        cursor = hashOffset
                        var member: StaticString = afterComma ? #","hash":""# : #""hash":""#
                        member.withUTF8Buffer { assembly.copy($0, 0..<$0.count) }
                        assembly.writeHex(hash)
                        member = afterComma ? #"""# : #"","#
                        member.withUTF8Buffer { assembly.copy($0, 0..<$0.count) }
                    }
                    var hashInserted = false
                    for patch in writer.patches {
                        if !hashInserted, patch.canonical.lowerBound >= hashOffset {
                            insertHash()
                            hashInserted = true
                        }
                        assembly.copy(canonical, cursor..<patch.canonical.lowerBound)
                        assembly.copy(side, patch.replacement)
                        cursor = patch.canonical.upperBound
                    }
                    if !hashInserted { insertHash() }
                    assembly.copy(canonical, cursor..<canonical.count)
                    precondition(assembly.written == count, "the stored form's length must be what was computed")
                    initialized = assembly.written
                }
            }
        }
    }

    /// The stored bytes written apart, for an entry whose keys sort differently by UTF-8 and UTF-16.
    private static func storedBytes(
        _ members: [String: JSONValue],
        version: Int64,
        position: Int,
        previous: SHA256Digest,
        hash: SHA256Digest
    ) -> [UInt8] {
        var pairs: [(key: String, value: JSONValue)] = members.map { (key: $0.key, value: $0.value) }
        pairs.append((key: "version", value: .integer(version)))
        pairs.append((key: "position", value: .integer(Int64(position))))
        pairs.append((key: "previousHash", value: .string(previous.description)))
        pairs.append((key: "hash", value: .string(hash.description)))
        pairs.sort { JSONKeyOrder.utf8Precedes($0.key, $1.key) }
        var writer = JSONTextWriter(prettyPrinted: false)
        writer.output.reserveCapacity(768)
        writer.writeObject(pairs, depth: 0)
        return writer.output
    }
}

/// Byte ranges written one after another into an uninitialized buffer: a record's stored form assembled from its
/// canonical text, the writer's side bytes (patches) and its hash's digits.
struct ByteAssembly {
    /// The buffer written into, from its start.
    let destination: UnsafeMutableBufferPointer<UInt8>
    /// How many bytes are written.
    private(set) var written = 0

    init(_ destination: UnsafeMutableBufferPointer<UInt8>) { self.destination = destination }

    /// Copies `range` of `source` after the bytes written.
    mutating func copy(_ source: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        guard !range.isEmpty else { return }
        (destination.baseAddress! + written).initialize(
            from: source.baseAddress! + range.lowerBound,
            count: range.count
        )
        written += range.count
    }

    /// Writes `hash`'s 64 lower-case hex digits after the bytes written.
    mutating func writeHex(_ hash: SHA256Digest) {
        hash.writeHex(to: destination.baseAddress! + written)
        written += 64
    }
}

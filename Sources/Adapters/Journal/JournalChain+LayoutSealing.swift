extension JournalChain {
    /// Seals an entry's members in `layout`'s order: the general ``seal(_:adding:rendered:version:position:after:)``
    /// without the sort, for an entry whose members all have a place in the layout.
    ///
    /// Each member is found by its key (an `extra` member first, as the general seal lets `extra` replace a member
    /// of the same name) and written after its precomputed `"key":` bytes; values are walked, or copied from
    /// `rendered`, exactly as the general seal does, and the stored bytes are assembled from the same patches.
    ///
    /// - Returns: The stored bytes and the entry's hash, or `nil` when the layout does not apply: a member (or an
    ///   `extra` one) has no place in it, a member is replaced by an `extra` one, or some nested object's keys sort
    ///   differently by UTF-8 and UTF-16. The caller then seals the general way, which writes the same bytes.
    static func seal(
        _ members: [String: JSONValue],
        adding extra: [(key: String, value: JSONValue)],
        layout: JournalEntryLayout,
        rendered: (key: String, rendering: CanonicalRendering)?,
        version: Int64,
        position: Int,
        after previous: SHA256Digest
    ) -> (bytes: [UInt8], hash: SHA256Digest)? {
        var output: [UInt8] = []
        output.reserveCapacity(32 + 160 + 48 * members.count)
        previous.appendBytes(to: &output)
        var writer = CanonicalJSONWriter(output: output, recordsPatches: true)
        var hashOffset = 0
        var hashAfterComma = false
        var written = 0
        var fromMembers = 0
        var fromExtra = 0
        writer.output.append(UInt8(ascii: "{"))
        layout.keyText.withUnsafeBufferPointer { keyText in
            for slot in layout.slots {
                switch slot {
                case .envelope(.hash):
                    hashOffset = writer.output.count
                    hashAfterComma = written > 0
                case .envelope(let field):
                    if written > 0 { writer.output.append(UInt8(ascii: ",")) }
                    written += 1
                    writeEnvelopeMember(field, into: &writer, version: version, position: position, after: previous)
                case .member(let index):
                    let key = layout.keys[index]
                    var found: JSONValue?
                    for added in extra.indices where extra[added].key == key {
                        found = extra[added].value
                        fromExtra += 1
                        break
                    }
                    if found == nil, let member = members[key] {
                        found = member
                        fromMembers += 1
                    }
                    guard let value = found else { continue }
                    if written > 0 { writer.output.append(UInt8(ascii: ",")) }
                    written += 1
                    writer.output.append(contentsOf: UnsafeBufferPointer(rebasing: keyText[layout.keyRanges[index]]))
                    if let rendered, key == rendered.key, rendered.rendering.isRendering(of: value) {
                        writer.output.append(contentsOf: rendered.rendering.bytes)
                    } else {
                        writer.write(value)
                    }
                }
            }
        }
        writer.output.append(UInt8(ascii: "}"))
        // A member outside the layout, one that `extra` replaced, or an `extra` outside it: the general way.
        guard fromMembers == members.count, fromExtra == extra.count, !writer.keyOrdersDiffer else { return nil }
        let hash = writer.output.withUnsafeBytes { SHA256.hash($0) }
        return (assemble(writer, hash: hash, at: hashOffset, afterComma: hashAfterComma), hash)
    }
}

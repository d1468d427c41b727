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
        _ members: some SealedMembers,
        adding extra: [(key: String, value: JSONValue)],
        layout: JournalEntryLayout,
        rendered: (key: String, rendering: CanonicalRendering)?,
        version: Int64,
        position: Int,
        after previous: SHA256Digest
    ) -> (bytes: [UInt8], hash: SHA256Digest)? {
        var scratch: [UInt8] = []
        return seal(
            members,
            adding: ExtraMemberList(members: extra),
            layout: layout,
            rendered: rendered,
            version: version,
            position: position,
            after: previous,
            scratch: &scratch
        )
    }

    /// ``seal(_:adding:layout:rendered:version:position:after:)`` with the added members given as `extra`'s look-up
    /// (a list, or an entry's `kind` and `at` without an array per entry), writing the hash input into `scratch`'s
    /// storage (its contents are replaced): a batch sealed entry after entry allocates that buffer once. The
    /// entry's own members are a dictionary or, for a run's entries, ``EntryFields`` (looked up without hashing).
    static func seal(
        _ members: some SealedMembers,
        adding extra: some SealedMembers,
        layout: JournalEntryLayout,
        rendered: (key: String, rendering: CanonicalRendering)?,
        version: Int64,
        position: Int,
        after previous: SHA256Digest,
        scratch: inout [UInt8]
    ) -> (bytes: [UInt8], hash: SHA256Digest)? {
        // The scratch buffer's storage, taken (so that it is not shared) and emptied.
        var output: [UInt8] = []
        swap(&output, &scratch)
        output.removeAll(keepingCapacity: true)
        // Room for a rendered member's bytes too: a `runStarted` entry's policy (some 750 bytes) would otherwise
        // regrow the buffer, copying what was written so far, once or twice per entry.
        output.reserveCapacity(32 + 160 + 48 * members.count + (rendered?.rendering.bytes.count ?? 0))
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
                    // Once every added member, or every member, has been found, the rest of the layout holds none
                    // of them (keys differ): no comparison and no hashing of the key for the slots left.
                    var found = fromExtra < extra.count ? extra.value(for: key) : nil
                    if found != nil {
                        fromExtra += 1
                    } else if fromMembers < members.count, let member = members.value(for: key) {
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
        let bytes = assemble(writer, hash: hash, at: hashOffset, afterComma: hashAfterComma)
        scratch = writer.output
        return (bytes, hash)
    }
}

/// Members looked up by key while sealing in a layout: an entry's own (a dictionary, ``EntryFields``), or those a
/// seal sets in it besides (see ``JournalChain/append(_:adding:layout:rendered:version:)``); their keys differ.
protocol SealedMembers {
    /// How many members.
    var count: Int { get }
    /// The value of the member named `key`, if there is one.
    func value(for key: String) -> JSONValue?
}

/// Added members as a list.
struct ExtraMemberList: SealedMembers {
    let members: [(key: String, value: JSONValue)]
    var count: Int { members.count }
    func value(for key: String) -> JSONValue? {
        for member in members where member.key == key { return member.value }
        return nil
    }
}

/// An entry's `kind` and `at`, the two members a run's entry adds to its fields.
struct KindAndTime: SealedMembers {
    let kind: String
    let at: Int64
    var count: Int { 2 }
    func value(for key: String) -> JSONValue? {
        switch key {
        case "kind": .string(kind)
        case "at": .integer(at)
        default: nil
        }
    }
}

extension Dictionary: SealedMembers where Key == String, Value == JSONValue {
    /// The member named `key`.
    func value(for key: String) -> JSONValue? { self[key] }
}

extension EntryFields: SealedMembers {
    /// The field named `key` (a scan of the few fields, no hashing).
    func value(for key: String) -> JSONValue? { self[key] }
}

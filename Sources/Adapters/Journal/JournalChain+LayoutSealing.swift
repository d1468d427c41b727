extension JournalChain {
    /// Seals an entry's members in `layout`'s order: the general ``seal(_:adding:rendered:version:position:after:)``
    /// without the sort, for an entry whose members all have a place in the layout.
    ///
    /// The members are placed in the layout by one walk of `members` that compares each key with the layout's keys
    /// (no hashing); each slot then takes an `extra` member of its key or the member placed there (an `extra` one
    /// replacing a member of the same name takes the general seal), written after its precomputed `"key":`
    /// bytes; values are walked, or copied from `rendered`, exactly as the general seal does, and the stored bytes
    /// are assembled from the same patches.
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
        seal(
            members,
            adding: ExtraMemberList(members: extra),
            layout: layout,
            rendered: rendered,
            version: version,
            position: position,
            after: previous
        )
    }

    /// ``seal(_:adding:layout:rendered:version:position:after:)`` with the added members given as `extra`'s
    /// look-up: a list, or an entry's `kind` and `at` without an array per entry.
    static func seal(
        _ members: [String: JSONValue],
        adding extra: some SealedExtraMembers,
        layout: JournalEntryLayout,
        rendered: (key: String, rendering: CanonicalRendering)?,
        version: Int64,
        position: Int,
        after previous: SHA256Digest
    ) -> (bytes: [UInt8], hash: SHA256Digest)? {
        var scratch: [UInt8] = []
        return seal(
            members,
            adding: extra,
            layout: layout,
            rendered: rendered,
            version: version,
            position: position,
            after: previous,
            scratch: &scratch
        )
    }

    /// ``seal(_:adding:layout:rendered:version:position:after:)`` writing the hash input into `scratch`'s storage
    /// (its contents are replaced): a batch sealed entry after entry allocates that buffer once, not per entry.
    static func seal(
        _ members: [String: JSONValue],
        adding extra: some SealedExtraMembers,
        layout: JournalEntryLayout,
        rendered: (key: String, rendering: CanonicalRendering)?,
        version: Int64,
        position: Int,
        after previous: SHA256Digest,
        scratch: inout [UInt8]
    ) -> (bytes: [UInt8], hash: SHA256Digest)? {
        let keys = layout.keys
        // Where each layout key's member is in `members` (an index is a plain value: nothing to retain or free).
        return withUnsafeTemporaryAllocation(of: [String: JSONValue].Index?.self, capacity: keys.count) { placed in
            placed.initialize(repeating: nil)
            defer { placed.deinitialize() }
            // Each member's place: the layout's key equal to its own (a length check first: most keys differ in
            // it). A member without one (or a repeated place, which distinct keys never give) leaves the layout.
            var index = members.startIndex
            while index != members.endIndex {
                let key = members[index].key
                let length = key.utf8.count
                guard let slot = keys.firstIndex(where: { $0.utf8.count == length && $0 == key }),
                    placed[slot] == nil
                else { return nil }
                placed[slot] = index
                members.formIndex(after: &index)
            }
            return seal(
                members,
                placed: UnsafeBufferPointer(placed),
                adding: extra,
                layout: layout,
                rendered: rendered,
                version: version,
                position: position,
                after: previous,
                scratch: &scratch
            )
        }
    }

    /// The layout seal with the entry's members already placed: `placed[index]` is where the member named
    /// `layout.keys[index]` is in `members`, if the entry has one.
    private static func seal(
        _ members: [String: JSONValue],
        placed: UnsafeBufferPointer<[String: JSONValue].Index?>,
        adding extra: some SealedExtraMembers,
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
        var fromExtra = 0
        var replaced = false
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
                    // Once every added member has been found, the rest of the layout holds none of them (keys
                    // differ): no comparison of the key for the slots left.
                    let value: JSONValue
                    if fromExtra < extra.count, let added = extra.value(for: layout.keys[index]) {
                        fromExtra += 1
                        // An added member replacing one of the entry's: the general seal decides what is written.
                        if placed[index] != nil { replaced = true }
                        value = added
                    } else if let member = placed[index] {
                        value = members[member].value
                    } else {
                        continue
                    }
                    if written > 0 { writer.output.append(UInt8(ascii: ",")) }
                    written += 1
                    writer.output.append(contentsOf: UnsafeBufferPointer(rebasing: keyText[layout.keyRanges[index]]))
                    if let rendered, rendered.rendering.isRendering(of: value), layout.keys[index] == rendered.key {
                        writer.output.append(contentsOf: rendered.rendering.bytes)
                    } else {
                        writer.write(value)
                    }
                }
            }
        }
        writer.output.append(UInt8(ascii: "}"))
        // A member that `extra` replaced, or an `extra` outside the layout: the general way.
        guard !replaced, fromExtra == extra.count, !writer.keyOrdersDiffer else { return nil }
        let hash = writer.output.withUnsafeBytes { SHA256.hash($0) }
        let bytes = assemble(writer, hash: hash, at: hashOffset, afterComma: hashAfterComma)
        scratch = writer.output
        return (bytes, hash)
    }
}

/// Members a seal sets in an entry besides its own (see ``JournalChain/append(_:adding:layout:rendered:version:)``),
/// looked up by key; their keys differ.
protocol SealedExtraMembers {
    /// How many members.
    var count: Int { get }
    /// The value of the member named `key`, if there is one.
    func value(for key: String) -> JSONValue?
}

/// Added members as a list.
struct ExtraMemberList: SealedExtraMembers {
    let members: [(key: String, value: JSONValue)]
    var count: Int { members.count }
    func value(for key: String) -> JSONValue? {
        for member in members where member.key == key { return member.value }
        return nil
    }
}

/// An entry's `kind` and `at`, the two members a run's entry adds to its fields.
struct KindAndTime: SealedExtraMembers {
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

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

    /// ``seal(_:adding:layout:rendered:version:position:after:)`` with the added members given as `extra`'s look-up
    /// (a list, or an entry's `kind` and `at` without an array per entry). The entry's own members are a dictionary
    /// or, for a run's entries, ``EntryFields`` (looked up without hashing).
    ///
    /// The stored bytes are written in place: one buffer holds the entry's canonical text with its `hash` member
    /// already in its place (its 64 digits filled in once the hash is known), and SHA-256 reads the previous hash,
    /// then the text before that member, then the text after it. An entry without patches is stored as that very
    /// buffer: no second copy of the hashed bytes (a `runStarted` entry's policy is copied once, from its rendering).
    static func seal(
        _ members: some SealedMembers,
        adding extra: some SealedMembers,
        layout: JournalEntryLayout,
        rendered: (key: String, rendering: CanonicalRendering)?,
        version: Int64,
        position: Int,
        after previous: SHA256Digest
    ) -> (bytes: [UInt8], hash: SHA256Digest)? {
        // The buffer is reserved through the writer, which then holds its only reference: reserved in a local
        // array and handed over, it was still shared at the first append, which copied it (one more allocation).
        var writer = CanonicalJSONWriter(recordsPatches: true)
        // Room for the `hash` member and a rendered member's bytes too: a `runStarted` entry's policy (some 750
        // bytes) would otherwise regrow the buffer, copying what was written so far, once or twice per entry.
        writer.output.reserveCapacity(
            160 + hashMemberCount + 48 * (members.count + extra.heldAsValues)
                + (rendered?.rendering.bytes.count ?? 0)
        )
        var hashOffset = -1
        var hashAfterComma = false
        var written = 0
        var fromMembers = 0
        var fromExtra = 0
        writer.output.append(UInt8(ascii: "{"))
        layout.keyText.withUnsafeBufferPointer { keyText in
            for slot in layout.slots {
                switch slot {
                case .envelope(.hash):
                    // The member's place, written now with its digits to come: `,"hash":"…"` after a member, or
                    // `"hash":"…",` before the first (which then writes no comma of its own: `written` stays 0).
                    hashOffset = writer.output.count
                    hashAfterComma = written > 0
                    appendHashMember(afterComma: hashAfterComma, to: &writer.output)
                case .envelope(let field):
                    if written > 0 { writer.output.append(UInt8(ascii: ",")) }
                    written += 1
                    writeEnvelopeMember(field, into: &writer, version: version, position: position, after: previous)
                case .member(let index):
                    let key = layout.keys[index]
                    // Once every added member, or every member, has been found, the rest of the layout holds none
                    // of them (keys differ): no comparison and no hashing of the key for the slots left.
                    var found = fromExtra < extra.count ? extra.value(for: key) : nil
                    // An added member held as its value is written straight to bytes (its JSON is never built).
                    let direct = found == nil && fromExtra < extra.count ? extra.direct(for: key) : nil
                    if found != nil || direct != nil {
                        fromExtra += 1
                    } else if fromMembers < members.count, let member = members.value(for: key) {
                        found = member
                        fromMembers += 1
                    }
                    if let direct {
                        if written > 0 { writer.output.append(UInt8(ascii: ",")) }
                        written += 1
                        writer.output.append(
                            contentsOf: UnsafeBufferPointer(rebasing: keyText[layout.keyRanges[index]])
                        )
                        direct.write(into: &writer)
                        continue
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
        // A member outside the layout, one that `extra` replaced, or an `extra` outside it: the general way. (A
        // layout always has a `hash` slot, and `written` members after it: the envelope's `position` at least.)
        guard fromMembers == members.count, fromExtra == extra.count, !writer.keyOrdersDiffer, hashOffset >= 0,
            written > 0
        else { return nil }
        // The buffer, taken from the writer so that it is not shared (filling in the digits copies nothing).
        var bytes: [UInt8] = []
        swap(&bytes, &writer.output)
        let hash = bytes.withUnsafeMutableBytes { text in
            var hasher = SHA256()
            previous.withUnsafeBytes { hasher.update($0) }
            hasher.update(UnsafeRawBufferPointer(rebasing: text[..<hashOffset]))
            hasher.update(UnsafeRawBufferPointer(rebasing: text[(hashOffset + hashMemberCount)...]))
            let hash = hasher.finalize()
            // The digits: after `,"hash":"` (9 bytes) or `"hash":"` (8).
            let digits = hashOffset + (hashAfterComma ? 9 : 8)
            hash.writeHex(to: text.baseAddress!.assumingMemoryBound(to: UInt8.self) + digits)
            return hash
        }
        if !writer.patches.isEmpty { return (patched(bytes, writer), hash) }
        // A store keeps the record's bytes for the journal's life: a buffer that grew well past the record (a large
        // value outgrew the reservation, and the buffer doubled) is copied to its size, a nearly full one kept.
        if bytes.capacity - bytes.count > max(128, bytes.count / 2) {
            let count = bytes.count
            let fitted = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
                _ = buffer.initialize(from: bytes)
                initialized = count
            }
            return (fitted, hash)
        }
        return (bytes, hash)
    }

    /// The bytes of a `hash` member in the stored form: `,"hash":"`, 64 digits, `"` or `"hash":"`, 64 digits, `",`.
    static var hashMemberCount: Int { 74 }

    /// Appends a `hash` member whose 64 digits are to be written (zeros until then), in one copy.
    private static func appendHashMember(afterComma: Bool, to output: inout [UInt8]) {
        let member: StaticString =
            afterComma
            ? #","hash":"0000000000000000000000000000000000000000000000000000000000000000""#
            : #""hash":"0000000000000000000000000000000000000000000000000000000000000000","#
        member.withUTF8Buffer { output.append(contentsOf: $0) }
    }

    /// `text` with `writer`'s patches applied: the stored form of a canonical text that holds its `hash` member.
    private static func patched(_ text: [UInt8], _ writer: CanonicalJSONWriter) -> [UInt8] {
        var count = text.count
        for patch in writer.patches { count += patch.replacement.count - patch.canonical.count }
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            text.withUnsafeBufferPointer { canonical in
                writer.side.withUnsafeBufferPointer { side in
                    var cursor = 0
                    var assembly = ByteAssembly(buffer)
                    for patch in writer.patches {
                        assembly.copy(canonical, cursor..<patch.canonical.lowerBound)
                        assembly.copy(side, patch.replacement)
                        cursor = patch.canonical.upperBound
                    }
                    assembly.copy(canonical, cursor..<canonical.count)
                    precondition(assembly.written == count, "the stored form's length must be what was computed")
                    initialized = assembly.written
                }
            }
        }
    }
}

/// Members looked up by key while sealing in a layout: an entry's own (a dictionary, ``EntryFields``), or those a
/// seal sets in it besides (see ``JournalChain/append(_:adding:layout:rendered:version:)``); their keys differ.
protocol SealedMembers {
    /// How many members.
    var count: Int { get }
    /// The value of the member named `key`, if there is one.
    func value(for key: String) -> JSONValue?
    /// The member named `key` when it is held as its value, to be written straight to bytes (a live run entry's
    /// plan, step result or review decision: ``KindAndTime``).
    func direct(for key: String) -> DirectFieldValue?
    /// How many members are held as values (room is reserved for them as for an entry's own members).
    var heldAsValues: Int { get }
}

extension SealedMembers {
    /// No member is held as its value.
    func direct(for key: String) -> DirectFieldValue? { nil }
    /// No member is held as its value.
    var heldAsValues: Int { 0 }
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

/// An entry's `kind` and `at`, the two members a run's entry adds to its fields, and a live entry's field held as
/// its value, if any.
struct KindAndTime: SealedMembers {
    let kind: String
    let at: Int64
    var direct: (key: String, value: DirectFieldValue)?
    var count: Int { direct == nil ? 2 : 3 }
    var heldAsValues: Int { direct == nil ? 0 : 1 }
    func value(for key: String) -> JSONValue? {
        switch key {
        case "kind": .string(kind)
        case "at": .integer(at)
        default: nil
        }
    }
    func direct(for key: String) -> DirectFieldValue? {
        guard let direct, direct.key == key else { return nil }
        return direct.value
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

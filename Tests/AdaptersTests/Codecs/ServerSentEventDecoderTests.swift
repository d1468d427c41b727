import AgentAdapters
import Testing

@Suite("Server-sent event decoder")
struct ServerSentEventDecoderTests {
    private func decodeAll(
        _ chunks: [[UInt8]],
        limit: Int = 1 << 20
    ) throws(ServerSentEventError) -> ([ServerSentEvent], ServerSentEventStreamEnd) {
        var decoder = ServerSentEventDecoder(maximumEventBytes: limit)
        var events: [ServerSentEvent] = []
        for chunk in chunks { events += try decoder.feed(chunk) }
        return (events, decoder.finish())
    }

    @Test("fields per the spec: data lines joined, event, id, retry, comments, one space stripped")
    func fields() throws {
        let text = """
            : a comment
            event: update
            data: first
            data:second
            data:  two spaces
            id: 7
            retry: 1500
            unknown: ignored

            data

            data: after id

            retry: soon
            event: empty-data
            data:


            """
        let (events, end) = try decodeAll([Array(text.utf8)])
        #expect(
            events == [
                ServerSentEvent(event: "update", data: "first\nsecond\n two spaces", id: "7", retry: 1500),
                ServerSentEvent(event: "message", data: "", id: "7", retry: 1500),
                ServerSentEvent(event: "message", data: "after id", id: "7", retry: 1500),
                ServerSentEvent(event: "empty-data", data: "", id: "7", retry: 1500),
            ]
        )
        #expect(end == .complete)
    }

    @Test("an event without data is not dispatched; its type does not leak into the next")
    func noDataNoEvent() throws {
        let (events, _) = try decodeAll([Array("event: ping\n\ndata: x\n\n".utf8)])
        #expect(events == [ServerSentEvent(data: "x")])
    }

    @Test("CRLF, CR and LF line ends, a BOM at the start, and an id with NUL ignored")
    func lineEnds() throws {
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
        bytes += Array("data: a\r\ndata: a2\r\n\r\ndata: b\r\rdata: c\n\nid: x\0y\ndata: d\n\n".utf8)
        for chunks in splits(of: bytes) {
            let (events, end) = try decodeAll(chunks)
            #expect(events.map(\.data) == ["a\na2", "b", "c", "d"])
            #expect(events.last?.id == nil)
            #expect(end == .complete)
        }
    }

    @Test("a UTF-8 sequence split across chunks arrives whole")
    func splitUTF8() throws {
        let bytes = Array("data: héllo 🌍\n\n".utf8)
        for chunks in splits(of: bytes) {
            let (events, _) = try decodeAll(chunks)
            #expect(events == [ServerSentEvent(data: "héllo 🌍")])
        }
    }

    @Test("bytes after the last blank line are reported as a truncated stream")
    func truncated() throws {
        #expect(try decodeAll([Array("data: a\n\ndata: b\n".utf8)]).1 == .truncated(pendingBytes: 8))
        #expect(try decodeAll([Array("data: a\n\ndata: b".utf8)]).1 == .truncated(pendingBytes: 7))
        #expect(try decodeAll([Array("data: a\n\n".utf8)]).1 == .complete)
        #expect(try decodeAll([]).1 == .complete)
    }

    @Test("an event past the size limit is a typed error naming the limit")
    func tooLarge() throws {
        let long = Array(("data: " + String(repeating: "x", count: 100)).utf8)
        #expect(throws: ServerSentEventError.self) { try decodeAll([long], limit: 64) }
        do throws(ServerSentEventError) {
            // The data kept so far counts too: three short lines exceed 30 bytes together.
            _ = try decodeAll([Array("data: 0123456789\ndata: 0123456789\ndata: 0123456789\n".utf8)], limit: 30)
            Issue.record("expected eventTooLarge")
        } catch {
            #expect(error.code == .eventTooLarge)
            #expect(error.limit == 30)
        }
        // Within the limit, many events of moderate size pass.
        let many = String(repeating: "data: 0123456789\n\n", count: 100)
        #expect(try decodeAll([Array(many.utf8)], limit: 30).0.count == 100)
    }

    @Test("every split of the fixture streams gives the same events", .plainRunOnly)
    func splitsGiveSameEvents() throws {
        for fixture in [OpenAIFixtures.streamingBody, AnthropicFixtures.toolUseStream] {
            let bytes = Array(fixture.utf8)
            let (whole, _) = try decodeAll([bytes])
            #expect(!whole.isEmpty)
            for chunks in splits(of: bytes) {
                #expect(try decodeAll(chunks).0 == whole)
            }
        }
    }
}

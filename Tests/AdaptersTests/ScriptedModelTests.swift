import AgentAdapters
@_spi(Internals) import AgentPolicy
import AgentTesting
import Testing

/// Collects the deltas a model yields.
final class DeltaLog: Sendable {
    private let state = LockedState<[ModelDelta]>([])
    var sink: ModelDeltaSink { ModelDeltaSink { delta in self.state.withLock { $0.append(delta) } } }
    var deltas: [ModelDelta] { state.withLock { $0 } }
}

@Suite("ScriptedModel: a provider on a script")
struct ScriptedModelTests {
    static func request(maximum: Int64? = nil) -> ModelRequest {
        ModelRequest(messages: [.user("hi")], options: ModelOptions(maximumOutputTokens: maximum))
    }

    @Test("Plays its turns in order and records every request")
    func playsAndRecords() async throws {
        let model = ScriptedModel(turns: [.text("one"), .text("two")])
        let first = try await model.respond(to: Self.request(maximum: 9), streamingInto: .discarding)
        let second = try await model.respond(to: Self.request(), streamingInto: .discarding)
        #expect([first.text, second.text] == ["one", "two"])
        #expect(model.requests.map(\.options.maximumOutputTokens) == [9, nil])
        let exhausted = try await #require(throws: ModelError.self) {
            try await model.respond(to: Self.request(), streamingInto: .discarding)
        }
        #expect(exhausted.code == .invalidRequest)
        #expect(model.callCount == 3)
    }

    @Test("Honours the maximum output: cut, finish reason length, usage saying the tokens kept")
    func truncates() async throws {
        let model = ScriptedModel(turns: [
            .text(String(repeating: "x", count: 30)),
            .toolCalls([
                ModelToolCall(id: "a", name: "t", arguments: [:]),
                ModelToolCall(id: "b", name: "t", arguments: [:]),
            ]),
        ])
        let text = try await model.respond(to: Self.request(maximum: 4), streamingInto: .discarding)
        #expect(text.text == String(repeating: "x", count: 12))
        #expect(text.finishReason == .length)
        #expect(text.usage?.outputTokens == 4)
        #expect(text.usage?.inputTokens == ConservativeTokenCounter().inputTokens(of: Self.request(maximum: 4)))
        let calls = try await model.respond(to: Self.request(maximum: 3), streamingInto: .discarding)
        #expect(calls.toolCalls.map(\.id) == ["a"], "whole tool calls are kept while they fit")
        #expect(calls.finishReason == .length)
        #expect(calls.usage?.outputTokens == 3)
    }

    @Test("Scripted output tokens and no-usage turns")
    func usage() async throws {
        let model = ScriptedModel(turns: [
            .text("a", outputTokens: 80, inputTokens: 7),
            ScriptedModel.Turn.text("b").withoutUsage,
        ])
        let cut = try await model.respond(to: Self.request(maximum: 50), streamingInto: .discarding)
        #expect(cut.usage == ModelUsage(inputTokens: 7, outputTokens: 50))
        #expect(cut.finishReason == .length)
        let silent = try await model.respond(to: Self.request(), streamingInto: .discarding)
        #expect(silent.usage == nil)
    }

    @Test("A streamed turn yields its deltas; they assemble into the response")
    func streams() async throws {
        let log = DeltaLog()
        let model = ScriptedModel(turns: [ScriptedModel.Turn.text("Hello").streamed])
        let response = try await model.respond(to: Self.request(), streamingInto: log.sink)
        var assembler = ModelResponseAssembler()
        for delta in log.deltas { assembler.add(delta) }
        #expect(assembler.response() == response)
    }

    @Test("Fails on cue with a retryable error and its retry-after")
    func failsOnCue() async throws {
        let error = ModelError(
            code: .rateLimited,
            model: "scripted",
            status: 429,
            retryAfter: .seconds(3),
            message: "x"
        )
        let model = ScriptedModel(turns: [.failure(error)])
        let thrown = try await #require(throws: ModelError.self) {
            try await model.respond(to: Self.request(), streamingInto: .discarding)
        }
        #expect(thrown == error)
        #expect(thrown.isRetryable)
    }

    @Test("A hang yields its deltas, then ends only when the task is cancelled")
    func hangsUntilCancelled() async throws {
        let log = DeltaLog()
        let model = ScriptedModel(turns: [.hang(afterYielding: [.response("Hel")])])
        let task = Task { try await model.respond(to: Self.request(), streamingInto: log.sink) }
        while model.callCount == 0 { await Task.yield() }
        task.cancel()
        let result = await task.result
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(log.deltas == [.response("Hel")])
    }
}

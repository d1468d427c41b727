import AgentAdapters
import AgentPolicy
import Testing

@Suite("Anthropic Messages codec")
struct AnthropicCodecTests {
    let codec = AnthropicMessagesCodec(apiKey: "sk-ant-test", model: "claude-sonnet-4-5")

    @Test("the reference's basic request: URL, headers, max_tokens from the request")
    func encodesBasicRequest() {
        let request = ModelRequest(messages: [.user("Hello, world")], options: ModelOptions(maximumOutputTokens: 1024))
        let sent = codec.encode(request)
        #expect(sent.url == "https://api.anthropic.com/v1/messages")
        #expect(sent.headers.contains(TransportHeader("x-api-key", "sk-ant-test")))
        #expect(sent.headers.contains(TransportHeader("anthropic-version", "2023-06-01")))
        #expect(body(sent) == json(AnthropicFixtures.basicRequest))
    }

    @Test("max_tokens is always sent: the request's, else the codec's default")
    func maxTokensAlwaysSent() {
        #expect(body(codec.encode(ModelRequest(messages: [.user("x")])))["max_tokens"] == 4096)
        let small = AnthropicMessagesCodec(model: "m", defaultMaximumOutputTokens: 0)
        #expect(body(small.encode(ModelRequest(messages: [.user("x")])))["max_tokens"] == 1)
    }

    @Test("the tool-use guide's request: tools with input_schema")
    func encodesToolRequest() throws {
        let fixture = json(AnthropicFixtures.toolRequest)
        let schema = try JSONValueDecoder().decode(
            ToolSchema.self,
            from: try #require(fixture["tools"]?[0]?["input_schema"])
        )
        let request = ModelRequest(
            messages: [.user("What is the weather like in San Francisco?")],
            tools: [
                ToolDescription(
                    name: "get_weather",
                    description: "Get the current weather in a given location",
                    parameters: schema
                )
            ],
            options: ModelOptions(maximumOutputTokens: 1024)
        )
        #expect(body(codec.encode(request)) == fixture)
    }

    @Test("the tool-use guide's transcript: tool_use blocks and tool_result in a user message")
    func encodesToolTranscript() {
        let call = ModelToolCall(
            id: "toolu_01A09q90qw90lq917835lq9",
            name: "get_weather",
            arguments: ["location": "San Francisco, CA", "unit": "celsius"]
        )
        let request = ModelRequest(
            messages: [
                .user("What is the weather like in San Francisco?"),
                .assistant("I'll check the current weather in San Francisco for you.", toolCalls: [call]),
                .toolResult(for: call.id, content: "15 degrees"),
            ]
        )
        #expect(body(codec.encode(request))["messages"] == json(AnthropicFixtures.toolResultMessages))
    }

    @Test("instructions and system messages join in system; consecutive tool results merge into one user message")
    func mergesToolResults() {
        let request = ModelRequest(
            instructions: "Be brief.",
            messages: [
                ModelMessage(role: .system, content: "Use metric units."),
                .user("Weather in Paris and Rome?"),
                .assistant(
                    "",
                    toolCalls: [
                        ModelToolCall(id: "a", name: "w", arguments: ["city": "Paris"]),
                        ModelToolCall(id: "b", name: "w", arguments: .string("{oops")),
                    ]
                ),
                .toolResult(for: "a", content: "15"),
                .toolResult(for: "b", content: "arguments are not JSON", isError: true),
            ],
            tools: [ToolDescription(name: "w", description: "Weather", parameters: .any)],
            options: ModelOptions(temperature: 0, allowsParallelToolCalls: false)
        )
        let sent = body(codec.encode(request))
        #expect(sent["system"] == "Be brief.\n\nUse metric units.")
        #expect(
            sent["messages"]
                == [
                    ["role": "user", "content": [["type": "text", "text": "Weather in Paris and Rome?"]]],
                    [
                        "role": "assistant",
                        "content": [
                            ["type": "tool_use", "id": "a", "name": "w", "input": ["city": "Paris"]],
                            ["type": "tool_use", "id": "b", "name": "w", "input": [:]],
                        ],
                    ],
                    [
                        "role": "user",
                        "content": [
                            ["type": "tool_result", "tool_use_id": "a", "content": "15"],
                            [
                                "type": "tool_result", "tool_use_id": "b", "content": "arguments are not JSON",
                                "is_error": true,
                            ],
                        ],
                    ],
                ]
        )
        #expect(sent["tools"]?[0]?["input_schema"] == ["type": "object"])
        #expect(sent["tool_choice"] == ["type": "auto", "disable_parallel_tool_use": true])
        #expect(sent["temperature"] == .number(0))
    }

    @Test("structured output: a forced tool without tools, the system prompt with tools")
    func structuredOutput() throws {
        let schema = ToolSchema.object(properties: ["answer": .string()], required: ["answer"])
        let alone = body(codec.encode(ModelRequest(messages: [.user("x")], responseSchema: schema)))
        #expect(alone["tool_choice"] == ["type": "tool", "name": "structured_output"])
        #expect(alone["tools"]?[0]?["name"] == "structured_output")
        #expect(alone["tools"]?[0]?["input_schema"] == schema.jsonSchema)
        let withTools = body(
            codec.encode(
                ModelRequest(
                    messages: [.user("x")],
                    tools: [ToolDescription(name: "t", description: "T", parameters: .any)],
                    responseSchema: schema
                )
            )
        )
        #expect(withTools["tool_choice"] == nil)
        #expect(withTools["system"]?.stringValue?.contains(schema.jsonSchema.jsonText()) == true)
        let answer =
            #"{"content":[{"type":"tool_use","id":"t1","name":"structured_output","input":{"answer":"42"}}],"stop_reason":"tool_use"}"#
        let response = try codec.decodeResponse(Array(answer.utf8))
        #expect(response.text == #"{"answer":"42"}"#)
        #expect(response.toolCalls.isEmpty)
        #expect(response.finishReason == .stop)
    }

    @Test("the reference's response: text, usage and end_turn")
    func decodesBasicResponse() throws {
        let response = try codec.decodeResponse(Array(AnthropicFixtures.basicResponse.utf8))
        #expect(response.text == "Hi! My name is Claude.")
        #expect(response.usage == ModelUsage(inputTokens: 2095, outputTokens: 503))
        #expect(response.finishReason == .stop)
    }

    @Test("the tool-use guide's response: text and a tool call with its input")
    func decodesToolUse() throws {
        let response = try codec.decodeResponse(Array(AnthropicFixtures.toolUseResponse.utf8))
        #expect(response.text == "I'll check the current weather in San Francisco for you.")
        #expect(
            response.toolCalls
                == [
                    ModelToolCall(
                        id: "toolu_01A09q90qw90lq917835lq9",
                        name: "get_weather",
                        arguments: ["location": "San Francisco, CA", "unit": "celsius"]
                    )
                ]
        )
        #expect(response.finishReason == .toolCalls)
    }

    @Test(
        "stop reasons map",
        arguments: [
            ("end_turn", FinishReason.stop), ("max_tokens", .length), ("tool_use", .toolCalls),
            ("stop_sequence", .stop), ("refusal", .contentFilter), ("pause_turn", FinishReason(rawValue: "pause_turn")),
        ]
    )
    func stopReasons(name: String, reason: FinishReason) throws {
        let text = #"{"content":[],"stop_reason":"\#(name)"}"#
        #expect(try codec.decodeResponse(Array(text.utf8)).finishReason == reason)
    }

    @Test("error bodies: 529 overloaded, 429 with retry-after, types over statuses")
    func errors() {
        let overloaded = codec.decodeError(
            status: 529,
            headers: [],
            body: Array(AnthropicFixtures.overloadedError.utf8)
        )
        #expect(overloaded.code == .overloaded)
        #expect(overloaded.isRetryable)
        #expect(overloaded.status == 529)
        #expect(overloaded.message.contains("Overloaded (overloaded_error)"))
        let limited = codec.decodeError(
            status: 429,
            headers: [TransportHeader("retry-after", "30")],
            body: Array(AnthropicFixtures.rateLimitError.utf8)
        )
        #expect(limited.code == .rateLimited)
        #expect(limited.retryAfter == .seconds(30))
        #expect(limited.message.contains("per-minute rate limit"))
        let billing = #"{"type":"error","error":{"type":"billing_error","message":"Your credit balance is too low"}}"#
        #expect(codec.decodeError(status: 400, headers: [], body: Array(billing.utf8)).code == .quotaExceeded)
        #expect(codec.decodeError(status: 404, headers: [], body: Array("not json".utf8)).code == .notFound)
        #expect(throws: ModelError.self) { try codec.decodeResponse(Array(AnthropicFixtures.overloadedError.utf8)) }
    }
}

import AgentAdapters
import AgentPolicy
import Testing

@Suite("OpenAI Chat Completions codec")
struct OpenAICodecTests {
    let codec = OpenAIChatCompletionsCodec(
        baseURL: "https://api.openai.com/v1/",
        apiKey: "sk-test",
        model: "VAR_chat_model_id"
    )

    @Test("the reference's default request: instructions become the first message (system, not developer)")
    func encodesDefaultRequest() {
        let request = ModelRequest(instructions: "You are a helpful assistant.", messages: [.user("Hello!")])
        let sent = codec.encode(request)
        #expect(sent.url == "https://api.openai.com/v1/chat/completions")
        #expect(sent.method == "POST")
        #expect(sent.headers.contains(TransportHeader("Authorization", "Bearer sk-test")))
        #expect(sent.headers.contains(TransportHeader("Content-Type", "application/json")))
        // The reference uses the newer "developer" role; local servers know only "system", so the codec sends that.
        var expected = json(OpenAIFixtures.defaultRequest)
        expected = editing(expected) { members in
            members["messages"] = [
                ["role": "system", "content": "You are a helpful assistant."], ["role": "user", "content": "Hello!"],
            ]
        }
        #expect(body(sent) == expected)
    }

    @Test("the reference's function request: tools as type function with the parameters schema")
    func encodesFunctionsRequest() throws {
        let fixture = json(OpenAIFixtures.functionsRequest)
        let parameters = try #require(fixture["tools"]?[0]?["function"]?["parameters"])
        let schema = try JSONValueDecoder().decode(ToolSchema.self, from: parameters)
        let request = ModelRequest(
            messages: [.user("What is the weather like in Boston today?")],
            tools: [
                ToolDescription(
                    name: "get_current_weather",
                    description: "Get the current weather in a given location",
                    parameters: schema
                )
            ]
        )
        let sent = OpenAIChatCompletionsCodec(baseURL: "https://api.openai.com/v1", model: "gpt-5.4").encode(request)
        // tool_choice "auto" is the API's default when tools are present; the codec leaves it out.
        #expect(body(sent) == editing(fixture) { $0["tool_choice"] = nil })
        #expect(!sent.headers.contains { $0.name == "Authorization" })
    }

    @Test("a transcript with tool calls, results, options, a response schema and streaming")
    func encodesTranscriptAndOptions() {
        let schema = ToolSchema.object(properties: ["answer": .string()], required: ["answer"])
        let request = ModelRequest(
            messages: [
                .user("Add 1 and 2"),
                .assistant("", toolCalls: [ModelToolCall(id: "call_1", name: "add", arguments: ["a": 1, "b": 2])]),
                .toolResult(for: "call_1", content: "3"),
            ],
            tools: [ToolDescription(name: "add", description: "Adds", parameters: .any)],
            responseSchema: schema,
            options: ModelOptions(maximumOutputTokens: 100, temperature: 0.5, allowsParallelToolCalls: false)
        )
        let sent = body(codec.encode(request, stream: true))
        #expect(
            sent["messages"]?[1]
                == [
                    "role": "assistant", "content": nil,
                    "tool_calls": [
                        [
                            "id": "call_1", "type": "function",
                            "function": ["name": "add", "arguments": #"{"a":1,"b":2}"#],
                        ]
                    ],
                ]
        )
        #expect(sent["messages"]?[2] == ["role": "tool", "tool_call_id": "call_1", "content": "3"])
        #expect(sent["max_tokens"] == 100)
        #expect(sent["max_completion_tokens"] == nil)
        #expect(sent["temperature"] == .number(0.5))
        #expect(sent["parallel_tool_calls"] == false)
        #expect(sent["stream"] == true)
        #expect(sent["stream_options"] == ["include_usage": true])
        #expect(
            sent["response_format"]
                == [
                    "type": "json_schema",
                    "json_schema": ["name": "response", "schema": schema.jsonSchema, "strict": false],
                ]
        )
        var closed = schema
        closed.allowsAdditionalProperties = false
        let strict = body(codec.encode(ModelRequest(messages: [], responseSchema: closed)))
        #expect(strict["response_format"]?["json_schema"]?["strict"] == true)
        #expect(strict["parallel_tool_calls"] == nil, "parallel_tool_calls is only sent with tools")
    }

    @Test("the output cap goes to the chosen field", arguments: OpenAIChatCompletionsCodec.OutputLimitField.allCases)
    func outputLimitField(field: OpenAIChatCompletionsCodec.OutputLimitField) {
        let codec = OpenAIChatCompletionsCodec(baseURL: "http://x/v1", model: "m", outputLimitField: field)
        let sent = body(codec.encode(ModelRequest(messages: [], options: ModelOptions(maximumOutputTokens: 7))))
        #expect((sent["max_tokens"] == 7) == (field != .maxCompletionTokens))
        #expect((sent["max_completion_tokens"] == 7) == (field != .maxTokens))
    }

    @Test("the reference's default response: text, usage and stop")
    func decodesDefaultResponse() throws {
        let response = try codec.decodeResponse(Array(OpenAIFixtures.defaultResponse.utf8))
        #expect(response.text == "Hello! How can I assist you today?")
        #expect(response.toolCalls.isEmpty)
        #expect(response.usage == ModelUsage(inputTokens: 19, outputTokens: 10))
        #expect(response.finishReason == .stop)
    }

    @Test("the reference's function response: the arguments text parsed, tool_calls mapped")
    func decodesToolCalls() throws {
        let response = try codec.decodeResponse(Array(OpenAIFixtures.functionsResponse.utf8))
        #expect(response.text == "")
        #expect(
            response.toolCalls
                == [
                    ModelToolCall(id: "call_abc123", name: "get_current_weather", arguments: ["location": "Boston, MA"])
                ]
        )
        #expect(response.usage == ModelUsage(inputTokens: 82, outputTokens: 17))
        #expect(response.finishReason == .toolCalls)
    }

    @Test(
        "unparseable arguments stay text; finish reasons map",
        arguments: [
            ("stop", FinishReason.stop), ("length", .length), ("tool_calls", .toolCalls),
            ("content_filter", .contentFilter), ("other", FinishReason(rawValue: "other")),
        ]
    )
    func finishReasons(name: String, reason: FinishReason) throws {
        let text =
            #"{"choices":[{"message":{"content":"x","tool_calls":[{"id":"c","function":{"name":"t","arguments":"{oops"}}]},"finish_reason":"\#(name)"}]}"#
        let response = try codec.decodeResponse(Array(text.utf8))
        #expect(response.finishReason == reason)
        #expect(response.toolCalls.first?.arguments == .string("{oops"))
        #expect(response.usage == nil)
    }

    @Test("a body that is not a chat completion is an invalid response")
    func invalidResponse() {
        #expect(throws: ModelError.self) { try codec.decodeResponse(Array("<html>".utf8)) }
        do {
            _ = try codec.decodeResponse(Array("{}".utf8))
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .invalidResponse)
            #expect(error.message.contains("choices[0].message"))
        }
    }

    @Test("error bodies map by status, keep the provider's message and read retry-after")
    func errors() {
        let limited = codec.decodeError(
            status: 429,
            headers: [TransportHeader("Retry-After", "2")],
            body: Array(OpenAIFixtures.rateLimitError.utf8)
        )
        #expect(limited.code == .rateLimited)
        #expect(limited.isRetryable)
        #expect(limited.status == 429)
        #expect(limited.retryAfter == .seconds(2))
        #expect(limited.message.contains("Rate limit reached for requests"))
        #expect(limited.message.contains("rate_limit_exceeded"))
        let precise = codec.decodeError(
            status: 429,
            headers: [TransportHeader("retry-after", "2"), TransportHeader("retry-after-ms", "1500.5")],
            body: []
        )
        #expect(precise.retryAfter == .microseconds(1_500_500))
        let quota = codec.decodeError(status: 429, headers: [], body: Array(OpenAIFixtures.quotaError.utf8))
        #expect(quota.code == .quotaExceeded)
        #expect(!quota.isRetryable)
        let html = codec.decodeError(
            status: 502,
            headers: [TransportHeader("retry-after", "soon")],
            body: Array("<h1>Bad gateway</h1>".utf8)
        )
        #expect(html.code == .serverError)
        #expect(html.retryAfter == nil)
        #expect(html.message.contains("<h1>Bad gateway</h1>"))
        #expect(codec.decodeError(status: 401, headers: [], body: []).code == .authenticationFailed)
        #expect(codec.decodeError(status: 503, headers: [], body: []).code == .overloaded)
    }
}

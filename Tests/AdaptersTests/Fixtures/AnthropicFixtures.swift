// Fixtures from Anthropic's own material:
// - streams: github.com/anthropics/anthropic-sdk-python, tests/lib/streaming/fixtures/basic_response.txt and
//   tool_use_response.txt (recorded Messages API streams the official SDK tests against), byte for byte;
// - responses and request: the Messages API reference (platform.claude.com/docs/en/api/messages) and "How to
//   implement tool use" (platform.claude.com/docs/en/agents-and-tools/tool-use/implement-tool-use) examples;
// - errors: the "Errors" page (platform.claude.com/docs/en/api/errors): the `{"type": "error", "error": {...}}`
//   shape, its error types, HTTP 529 `overloaded_error` and the SSE `error` event of the streaming page
//   (platform.claude.com/docs/en/build-with-claude/streaming).

enum AnthropicFixtures {
    /// Messages API reference: the basic request.
    static let basicRequest = """
        {
          "model": "claude-sonnet-4-5",
          "max_tokens": 1024,
          "messages": [
            {"role": "user", "content": [{"type": "text", "text": "Hello, world"}]}
          ]
        }
        """

    /// Messages API reference: the response example.
    static let basicResponse = """
        {
          "content": [
            {
              "text": "Hi! My name is Claude.",
              "type": "text"
            }
          ],
          "id": "msg_013Zva2CMHLNnXjNJJKqJ2EF",
          "model": "claude-sonnet-4-5",
          "role": "assistant",
          "stop_reason": "end_turn",
          "stop_sequence": null,
          "type": "message",
          "usage": {
            "input_tokens": 2095,
            "output_tokens": 503
          }
        }
        """

    /// "How to implement tool use": the tool definition of the weather example, as a request.
    static let toolRequest = """
        {
          "model": "claude-sonnet-4-5",
          "max_tokens": 1024,
          "tools": [
            {
              "name": "get_weather",
              "description": "Get the current weather in a given location",
              "input_schema": {
                "type": "object",
                "properties": {
                  "location": {
                    "type": "string",
                    "description": "The city and state, e.g. San Francisco, CA"
                  }
                },
                "required": ["location"]
              }
            }
          ],
          "messages": [
            {"role": "user", "content": [{"type": "text", "text": "What is the weather like in San Francisco?"}]}
          ]
        }
        """

    /// "How to implement tool use": the response asking for a tool call.
    static let toolUseResponse = """
        {
          "id": "msg_01Aq9w938a90dw8q",
          "model": "claude-sonnet-4-5",
          "stop_reason": "tool_use",
          "role": "assistant",
          "content": [
            {
              "type": "text",
              "text": "I'll check the current weather in San Francisco for you."
            },
            {
              "type": "tool_use",
              "id": "toolu_01A09q90qw90lq917835lq9",
              "name": "get_weather",
              "input": {"location": "San Francisco, CA", "unit": "celsius"}
            }
          ],
          "usage": {"input_tokens": 384, "output_tokens": 92}
        }
        """

    /// "How to implement tool use": the user message carrying the tool's result.
    static let toolResultMessages = """
        [
          {"role": "user", "content": [{"type": "text", "text": "What is the weather like in San Francisco?"}]},
          {
            "role": "assistant",
            "content": [
              {"type": "text", "text": "I'll check the current weather in San Francisco for you."},
              {"type": "tool_use", "id": "toolu_01A09q90qw90lq917835lq9", "name": "get_weather", "input": {"location": "San Francisco, CA", "unit": "celsius"}}
            ]
          },
          {
            "role": "user",
            "content": [
              {"type": "tool_result", "tool_use_id": "toolu_01A09q90qw90lq917835lq9", "content": "15 degrees"}
            ]
          }
        ]
        """

    /// anthropic-sdk-python tests/lib/streaming/fixtures/basic_response.txt, plus the blank line that ends its last
    /// event (the stored file stops after the last data line).
    static let basicStream = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_4QpJur2dWWDjF6C758FbBw5vm12BaVipnK","type":"message","role":"assistant","content":[],"model":"claude-3-opus-latest","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":11,"output_tokens":1}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

        event: ping
        data: {"type": "ping"}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" there"}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"!"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":6}}

        event: message_stop
        data: {"type":"message_stop"}


        """

    /// anthropic-sdk-python tests/lib/streaming/fixtures/tool_use_response.txt, plus the blank line that ends its
    /// last event.
    static let toolUseStream = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_019Q1hrJbZG26Fb9BQhrkHEr","type":"message","role":"assistant","model":"claude-sonnet-4-20250514","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":377,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1,"service_tier":"standard"}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

        event: ping
        data: {"type": "ping"}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"I"}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"'ll check the current weather in Paris for you."}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: content_block_start
        data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01NRLabsLyVHZPKxbKvkfSMn","name":"get_weather","caller":{"type":"direct"},"input":{}}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"locati"}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"on\\": \\"P"}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"ar"}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"is\\"}"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":1}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":65}}

        event: message_stop
        data: {"type":"message_stop"}


        """

    /// Errors page: HTTP 529.
    static let overloadedError = """
        {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}, "request_id": "req_011CSHoEeqs5C35K2UUqR7Fy"}
        """

    /// Errors page: HTTP 429.
    static let rateLimitError = """
        {"type": "error", "error": {"type": "rate_limit_error", "message": "Number of request tokens has exceeded your per-minute rate limit"}}
        """

    /// Streaming page: an error event mid-stream.
    static let errorEvent = """
        event: error
        data: {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}


        """
}

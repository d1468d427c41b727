// Fixtures from OpenAI's own API reference: github.com/openai/openai-openapi, file openapi.yaml (commit f85dbe2),
// path `/chat/completions` → `post` → `x-oaiMeta.examples` ("Default", "Streaming", "Functions"), and
// `components.schemas.ErrorResponse` / `Error` for the error body's shape. Copied byte for byte except where noted.

enum OpenAIFixtures {
    /// openapi.yaml, Create chat completion, example "Default": the request body of the curl command.
    static let defaultRequest = """
        {
          "model": "VAR_chat_model_id",
          "messages": [
            {
              "role": "developer",
              "content": "You are a helpful assistant."
            },
            {
              "role": "user",
              "content": "Hello!"
            }
          ]
        }
        """

    /// openapi.yaml, Create chat completion, example "Default": the response.
    static let defaultResponse = """
        {
          "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
          "object": "chat.completion",
          "created": 1741569952,
          "model": "gpt-5.4",
          "choices": [
            {
              "index": 0,
              "message": {
                "role": "assistant",
                "content": "Hello! How can I assist you today?",
                "refusal": null,
                "annotations": []
              },
              "logprobs": null,
              "finish_reason": "stop"
            }
          ],
          "usage": {
            "prompt_tokens": 19,
            "completion_tokens": 10,
            "total_tokens": 29,
            "prompt_tokens_details": {
              "cached_tokens": 0,
              "audio_tokens": 0
            },
            "completion_tokens_details": {
              "reasoning_tokens": 0,
              "audio_tokens": 0,
              "accepted_prediction_tokens": 0,
              "rejected_prediction_tokens": 0
            }
          },
          "service_tier": "default"
        }
        """

    /// openapi.yaml, Create chat completion, example "Functions": the request body of the curl command.
    static let functionsRequest = """
        {
          "model": "gpt-5.4",
          "messages": [
            {
              "role": "user",
              "content": "What is the weather like in Boston today?"
            }
          ],
          "tools": [
            {
              "type": "function",
              "function": {
                "name": "get_current_weather",
                "description": "Get the current weather in a given location",
                "parameters": {
                  "type": "object",
                  "properties": {
                    "location": {
                      "type": "string",
                      "description": "The city and state, e.g. San Francisco, CA"
                    },
                    "unit": {
                      "type": "string",
                      "enum": ["celsius", "fahrenheit"]
                    }
                  },
                  "required": ["location"]
                }
              }
            }
          ],
          "tool_choice": "auto"
        }
        """

    /// openapi.yaml, Create chat completion, example "Functions": the response.
    static let functionsResponse = """
        {
          "id": "chatcmpl-abc123",
          "object": "chat.completion",
          "created": 1699896916,
          "model": "gpt-4o-mini",
          "choices": [
            {
              "index": 0,
              "message": {
                "role": "assistant",
                "content": null,
                "tool_calls": [
                  {
                    "id": "call_abc123",
                    "type": "function",
                    "function": {
                      "name": "get_current_weather",
                      "arguments": "{\\n\\"location\\": \\"Boston, MA\\"\\n}"
                    }
                  }
                ]
              },
              "logprobs": null,
              "finish_reason": "tool_calls"
            }
          ],
          "usage": {
            "prompt_tokens": 82,
            "completion_tokens": 17,
            "total_tokens": 99,
            "completion_tokens_details": {
              "reasoning_tokens": 0,
              "accepted_prediction_tokens": 0,
              "rejected_prediction_tokens": 0
            }
          }
        }
        """

    /// openapi.yaml, Create chat completion, example "Streaming": the three chunks shown (the reference elides the
    /// middle with "...."), framed as the server-sent events they arrive in (`data: <chunk>` and a blank line),
    /// followed by the usage chunk that `stream_options.include_usage` adds (shape from
    /// `CreateChatCompletionStreamResponse.usage`: empty `choices`) and the closing `data: [DONE]` that the
    /// reference's `stream` parameter describes.
    static let streamingChunks = [
        #"{"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini", "system_fingerprint": "fp_44709d6fcb", "choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}"#,
        #"{"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini", "system_fingerprint": "fp_44709d6fcb", "choices":[{"index":0,"delta":{"content":"Hello"},"logprobs":null,"finish_reason":null}]}"#,
        #"{"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini", "system_fingerprint": "fp_44709d6fcb", "choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}"#,
        #"{"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}"#,
    ]

    /// The streaming example as a server-sent event stream.
    static var streamingBody: String {
        streamingChunks.map { "data: \($0)\n\n" }.joined() + "data: [DONE]\n\n"
    }

    /// A streamed tool call, in the shape of `ChatCompletionMessageToolCallChunk` (openapi.yaml: `index`, `id`,
    /// `type`, `function.name`, `function.arguments` as text fragments), built from the "Functions" example's call.
    static let toolCallStreamBody = """
        data: {"id":"chatcmpl-abc123","object":"chat.completion.chunk","created":1699896916,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_abc123","type":"function","function":{"name":"get_current_weather","arguments":""}}]},"finish_reason":null}]}

        data: {"id":"chatcmpl-abc123","object":"chat.completion.chunk","created":1699896916,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"location\\": "}}]},"finish_reason":null}]}

        data: {"id":"chatcmpl-abc123","object":"chat.completion.chunk","created":1699896916,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\\"Boston, MA\\"}"}}]},"finish_reason":null}]}

        data: {"id":"chatcmpl-abc123","object":"chat.completion.chunk","created":1699896916,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}

        data: {"id":"chatcmpl-abc123","object":"chat.completion.chunk","created":1699896916,"model":"gpt-4o-mini","choices":[],"usage":{"prompt_tokens":82,"completion_tokens":17,"total_tokens":99}}

        data: [DONE]


        """

    /// An error body in the shape of openapi.yaml's `ErrorResponse` (`error.message`, `type`, `param`, `code`),
    /// with the rate-limit values OpenAI's error-codes guide names.
    static let rateLimitError = """
        {"error": {"message": "Rate limit reached for requests", "type": "requests", "param": null, "code": "rate_limit_exceeded"}}
        """

    /// An `ErrorResponse` for an exhausted quota (a 429 that waiting does not cure).
    static let quotaError = """
        {"error": {"message": "You exceeded your current quota, please check your plan and billing details.", "type": "insufficient_quota", "param": null, "code": "insufficient_quota"}}
        """
}

// The Model Context Protocol specification's own examples, used as test fixtures, verbatim.
// Source: github.com/modelcontextprotocol/modelcontextprotocol at commit b0f60ba5409db7a6582440a7b473cc0398890f15;
// each fixture names its file. The lifecycle messages come from the 2025-11-25 revision (the last with the
// `initialize` handshake this client speaks); the others from schema/2026-07-28/examples.

enum MCPSpecFixtures {
    /// `docs/specification/2025-11-25/basic/lifecycle.mdx (first JSON block)`
    static let initializeRequest = #"""
        {
          "jsonrpc": "2.0",
          "id": 1,
          "method": "initialize",
          "params": {
            "protocolVersion": "2025-11-25",
            "capabilities": {
              "roots": {
                "listChanged": true
              },
              "sampling": {},
              "elicitation": {
                "form": {},
                "url": {}
              },
              "tasks": {
                "requests": {
                  "elicitation": {
                    "create": {}
                  },
                  "sampling": {
                    "createMessage": {}
                  }
                }
              }
            },
            "clientInfo": {
              "name": "ExampleClient",
              "title": "Example Client Display Name",
              "version": "1.0.0",
              "description": "An example MCP client application",
              "icons": [
                {
                  "src": "https://example.com/icon.png",
                  "mimeType": "image/png",
                  "sizes": ["48x48"]
                }
              ],
              "websiteUrl": "https://example.com"
            }
          }
        }
        """#

    /// `docs/specification/2025-11-25/basic/lifecycle.mdx (second JSON block)`
    static let initializeResponse = #"""
        {
          "jsonrpc": "2.0",
          "id": 1,
          "result": {
            "protocolVersion": "2025-11-25",
            "capabilities": {
              "logging": {},
              "prompts": {
                "listChanged": true
              },
              "resources": {
                "subscribe": true,
                "listChanged": true
              },
              "tools": {
                "listChanged": true
              },
              "tasks": {
                "list": {},
                "cancel": {},
                "requests": {
                  "tools": {
                    "call": {}
                  }
                }
              }
            },
            "serverInfo": {
              "name": "ExampleServer",
              "title": "Example Server Display Name",
              "version": "1.0.0",
              "description": "An example MCP server providing tools and resources",
              "icons": [
                {
                  "src": "https://example.com/server-icon.svg",
                  "mimeType": "image/svg+xml",
                  "sizes": ["any"]
                }
              ],
              "websiteUrl": "https://example.com/server"
            },
            "instructions": "Optional instructions for the client"
          }
        }
        """#

    /// `docs/specification/2025-11-25/basic/lifecycle.mdx (third JSON block)`
    static let initializedNotification = #"""
        {
          "jsonrpc": "2.0",
          "method": "notifications/initialized"
        }
        """#

    /// `docs/specification/2025-11-25/basic/lifecycle.mdx (fourth JSON block)`
    static let unsupportedVersionError = #"""
        {
          "jsonrpc": "2.0",
          "id": 1,
          "error": {
            "code": -32602,
            "message": "Unsupported protocol version",
            "data": {
              "supported": ["2024-11-05"],
              "requested": "1.0.0"
            }
          }
        }
        """#

    /// `schema/2026-07-28/examples/ListToolsRequest/list-tools-request.json`
    static let listToolsRequest = #"""
        {
          "jsonrpc": "2.0",
          "id": "list-tools-example",
          "method": "tools/list",
          "params": {
            "_meta": {
              "io.modelcontextprotocol/protocolVersion": "2026-07-28",
              "io.modelcontextprotocol/clientInfo": {
                "name": "ExampleClient",
                "version": "1.0.0"
              },
              "io.modelcontextprotocol/clientCapabilities": {}
            }
          }
        }
        """#

    /// `schema/2026-07-28/examples/ListToolsResultResponse/list-tools-result-response.json`
    static let listToolsResultResponse = #"""
        {
          "jsonrpc": "2.0",
          "id": "list-tools-example",
          "result": {
            "resultType": "complete",
            "tools": [
              {
                "name": "get_weather",
                "title": "Weather Information Provider",
                "description": "Get current weather information for a location",
                "inputSchema": {
                  "type": "object",
                  "properties": {
                    "location": {
                      "type": "string",
                      "description": "City name or zip code"
                    }
                  },
                  "required": ["location"]
                },
                "icons": [
                  {
                    "src": "https://example.com/weather-icon.png",
                    "mimeType": "image/png",
                    "sizes": ["48x48"]
                  }
                ]
              }
            ],
            "nextCursor": "next-page-cursor",
            "ttlMs": 3600000,
            "cacheScope": "public"
          }
        }
        """#

    /// `schema/2026-07-28/examples/CallToolRequest/call-tool-request.json`
    static let callToolRequest = #"""
        {
          "jsonrpc": "2.0",
          "id": "call-tool-example",
          "method": "tools/call",
          "params": {
            "_meta": {
              "io.modelcontextprotocol/protocolVersion": "2026-07-28",
              "io.modelcontextprotocol/clientInfo": {
                "name": "ExampleClient",
                "version": "1.0.0"
              },
              "io.modelcontextprotocol/clientCapabilities": {}
            },
            "name": "get_weather",
            "arguments": {
              "location": "New York"
            }
          }
        }
        """#

    /// `schema/2026-07-28/examples/CallToolResultResponse/call-tool-result-response.json`
    static let callToolResultResponse = #"""
        {
          "jsonrpc": "2.0",
          "id": "call-tool-example",
          "result": {
            "resultType": "complete",
            "content": [
              {
                "type": "text",
                "text": "Current weather in New York:\nTemperature: 72°F\nConditions: Partly cloudy"
              }
            ],
            "isError": false
          }
        }
        """#

    /// `schema/2026-07-28/examples/CallToolResult/invalid-tool-input-error.json`
    static let invalidToolInputError = #"""
        {
          "resultType": "complete",
          "content": [
            {
              "type": "text",
              "text": "Invalid departure date: must be in the future. Current date is 08/08/2025."
            }
          ],
          "isError": true
        }
        """#

    /// `schema/2026-07-28/examples/CallToolResult/result-with-structured-content.json`
    static let resultWithStructuredContent = #"""
        {
          "resultType": "complete",
          "content": [
            {
              "type": "text",
              "text": "{\"temperature\": 22.5, \"conditions\": \"Partly cloudy\", \"humidity\": 65}"
            }
          ],
          "structuredContent": {
            "temperature": 22.5,
            "conditions": "Partly cloudy",
            "humidity": 65
          }
        }
        """#

    /// `schema/2026-07-28/examples/ProgressNotification/progress-message.json`
    static let progressNotification = #"""
        {
          "jsonrpc": "2.0",
          "method": "notifications/progress",
          "params": {
            "progressToken": "oivaizmir",
            "progress": 50,
            "total": 100,
            "message": "Reticulating splines..."
          }
        }
        """#

    /// `schema/2026-07-28/examples/CancelledNotification/user-requested-cancellation.json`
    static let cancelledNotification = #"""
        {
          "jsonrpc": "2.0",
          "method": "notifications/cancelled",
          "params": {
            "requestId": "123",
            "reason": "User requested cancellation"
          }
        }
        """#

    /// `schema/2026-07-28/examples/ToolListChangedNotification/tools-list-changed.json`
    static let toolsListChanged = #"""
        {
          "jsonrpc": "2.0",
          "method": "notifications/tools/list_changed",
          "params": {
            "_meta": {
              "io.modelcontextprotocol/subscriptionId": "listen-1"
            }
          }
        }
        """#

    /// `schema/2026-07-28/examples/Tool/with-output-schema-for-structured-content.json`
    static let toolWithOutputSchema = #"""
        {
          "name": "get_weather_data",
          "title": "Weather Data Retriever",
          "description": "Get current weather data for a location",
          "inputSchema": {
            "type": "object",
            "properties": {
              "location": {
                "type": "string",
                "description": "City name or zip code"
              }
            },
            "required": ["location"]
          },
          "outputSchema": {
            "type": "object",
            "properties": {
              "temperature": {
                "type": "number",
                "description": "Temperature in celsius"
              },
              "conditions": {
                "type": "string",
                "description": "Weather conditions description"
              },
              "humidity": {
                "type": "number",
                "description": "Humidity percentage"
              }
            },
            "required": ["temperature", "conditions", "humidity"]
          }
        }
        """#

    /// `schema/2026-07-28/examples/Tool/tool-with-composition-input-schema.json`
    static let toolWithCompositionInputSchema = #"""
        {
          "name": "find_resource",
          "title": "Resource Finder",
          "description": "Find a resource by ID or name",
          "inputSchema": {
            "type": "object",
            "oneOf": [
              {
                "properties": {
                  "id": {
                    "type": "string",
                    "description": "Resource ID"
                  }
                },
                "required": ["id"]
              },
              {
                "properties": {
                  "name": {
                    "type": "string",
                    "description": "Resource name"
                  }
                },
                "required": ["name"]
              }
            ]
          }
        }
        """#
}

// The transport exists on macOS and Linux only (posix_spawn), and so do its tests.
#if os(macOS) || os(Linux)
    #if canImport(Glibc)
        // Glibc: __sighandler_t signal(int, __sighandler_t);  #define SIGPIPE 13  (bits/signum-generic.h)
        import Glibc
    #elseif canImport(Darwin)
        // Darwin: void (*signal(int, void (*)(int)))(int);  #define SIGPIPE 13  (sys/signal.h)
        import Darwin
    #endif
    import AgentAdapters
    import AgentMCPStdio
    import Synchronization
    import Testing

    /// The SIGPIPEs that reached the counting handler `closeRaisesNoBrokenPipe` installs.
    private let brokenPipes = Atomic<Int>(0)

    /// Real child processes (`/bin/sh` scripts playing a server); no timing assertions. Serialized, so that a
    /// server's crash in one test cannot raise the SIGPIPE another test counts.
    @Suite("MCP stdio transport", .serialized, .timeLimit(.suite))
    struct MCPStdioTransportTests {
        static let initializeAnswer =
            #"{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-11-25","capabilities":{},"serverInfo":{"name":"sh server","version":"1"}}}"#

        /// A client over `sh -c script`.
        static func client(_ script: String, configure: (inout MCPStdioTransport.Configuration) -> Void = { _ in })
            throws -> (MCPClient, MCPStdioTransport)
        {
            var configuration = MCPStdioTransport.Configuration()
            configure(&configuration)
            let transport = try MCPStdioTransport(command: ["/bin/sh", "-c", script], configuration: configuration)
            return (MCPClient(transport: transport), transport)
        }

        @Test("A server that answers over its pipes: initialize, tools/list and a call; close terminates it")
        func roundTrip() async throws {
            let tools = #"{"jsonrpc":"2.0","id":2,"result":{"tools":[{"name":"now","inputSchema":{"type":"object"}}]}}"#
            let call = #"{"jsonrpc":"2.0","id":3,"result":{"content":[{"type":"text","text":"noon"}]}}"#
            let script = """
                read l; echo '\(Self.initializeAnswer)'; read l; read l; echo '\(tools)'; read l
                echo 'a log line on stdout, not JSON'; echo '\(call)'; read l; sleep 30
                """
            let (client, _) = try Self.client(script)
            let server = try await client.start()
            #expect(server.name == "sh server")
            #expect(try await client.tools().map(\.name) == ["sh_server.now"])
            #expect(try await client.callTool("now", arguments: [:]).text == "noon")
            #expect(client.diagnostics.malformedMessages == 1)
            await client.close()  // the script sleeps: SIGTERM ends it
            await #expect(throws: MCPError.self) { try await client.ping() }
        }

        @Test("A server that crashes mid-call fails the call with its exit status and the end of its standard error")
        func crash() async throws {
            let script = """
                read l; echo '\(Self.initializeAnswer)'; read l; read l; echo 'fatal: disk on fire' >&2; exit 3
                """
            let (client, transport) = try Self.client(script)
            try await client.start()
            for _ in 0..<2 {
                await #expect {
                    try await client.callTool("now", arguments: [:])
                } throws: { error in
                    guard let error = error as? MCPError else { return false }
                    return error.code == .connectionClosed && error.message.contains("exited with status 3")
                        && error.message.contains("disk on fire")
                }
            }
            #expect(transport.standardErrorTail.contains("disk on fire"))
            await client.close()
        }

        @Test("An oversized line ends the connection with messageTooLarge and stops the server")
        func oversizedLine() async throws {
            let script = "read l; i=0; while [ $i -lt 200 ]; do printf 'xxxxxxxxxx'; i=$((i+1)); done; echo; sleep 30"
            let (client, _) = try Self.client(script) { $0.maximumLineBytes = 1000 }
            await #expect {
                try await client.start()
            } throws: { error in
                (error as? MCPError)?.code == .messageTooLarge && "\(error)".contains("1000")
            }
        }

        @Test("A command that does not exist is a transportFailed error naming it")
        func missingCommand() async throws {
            let transport = try MCPStdioTransport(command: ["definitely-not-an-mcp-server-4711"])
            await #expect {
                try await MCPClient(transport: transport).start()
            } throws: { error in
                (error as? MCPError)?.code == .transportFailed
                    && "\(error)".contains("definitely-not-an-mcp-server-4711")
            }
            #expect(throws: MCPError.self) { try MCPStdioTransport(command: []) }
        }

        @Test("No SIGPIPE reaches the host: not when closing, not when writing to a server that has exited")
        func closeRaisesNoBrokenPipe() async throws {
            // The transport keeps a host's own SIGPIPE handler; this one counts what reaches it. The counter is
            // read first, so that its lazy initialisation never runs inside the handler.
            let before = brokenPipes.load(ordering: .relaxed)
            _ = signal(SIGPIPE) { _ in brokenPipes.add(1, ordering: .relaxed) }
            defer { _ = signal(SIGPIPE, SIG_IGN) }
            let (client, _) = try Self.client("read l; echo '\(Self.initializeAnswer)'; read l; sleep 30")
            try await client.start()
            await client.close()
            #expect(brokenPipes.load(ordering: .relaxed) == before, "closing the transport raised SIGPIPE")
            // A server that closes its standard input and says so: the next write fails with EPIPE, silently for
            // the host.
            let transport = try MCPStdioTransport(command: ["/bin/sh", "-c", "exec 0<&-; echo closed; sleep 30"])
            let (lines, sink) = AsyncStream<String>.makeStream()
            try await transport.open { event in
                switch event {
                case .received(let line): sink.yield(line)
                case .closed: sink.finish()
                }
            }
            for await line in lines where line == "closed" { break }
            transport.send("{}")
            await transport.close()
            #expect(brokenPipes.load(ordering: .relaxed) == before, "writing to a closed input raised SIGPIPE")
        }

        @Test("A termination grace of days closes a server that ends at SIGTERM (the grace's sleep does not overflow)")
        func longTerminationGrace() async throws {
            let script = "read l; echo '\(Self.initializeAnswer)'; read l; sleep 30"
            let (client, _) = try Self.client(script) { $0.terminationGrace = .seconds(3 * 24 * 3600) }
            try await client.start()
            await client.close()  // the killer thread sleeps out the grace in steps; SIGTERM has ended the server
            await #expect(throws: MCPError.self) { try await client.ping() }
        }
    }
#endif

// MCPTools: point the library at any MCP server speaking stdio.
//
//   swift run MCPTools [--prefix <name>] --list -- <server command…>
//   swift run MCPTools [--prefix <name>] --call <tool> '<json arguments>' [--deny <pattern>]… [--max-calls N] \
//       -- <server command…>
//
// --list prints the server's tools as the library sees them (prefixed names, schemas, annotations). --call runs
// one tool call under a policy made of the options and prints the run's report as JSON; the exit status is 0 when
// the run succeeded, 1 when it did not. The prefix defaults to the server's serverInfo.name made into a valid
// tool-name segment. With no server command, `mcp-server-time` is run from PATH with the prefix `time`; when it is
// not installed, the example says how to install it and exits 0.
import AgentAdapters
import AgentMCPStdio
import AgentOrchestration
import AgentPolicy

struct Options {
    var prefix: String?
    var list = false
    var call: (tool: String, arguments: JSONValue)?
    var denied: [String] = []
    var maxCalls: Int64?
    var command: [String] = []
}

let usage = """
    usage: MCPTools [--prefix <name>] --list -- <server command…>
           MCPTools [--prefix <name>] --call <tool> '<json arguments>' [--deny <pattern>]… [--max-calls N] \
    -- <server command…>
    With no server command: mcp-server-time from PATH, prefix "time".
    """

func fail(_ message: String) -> Never {
    printError("MCPTools: " + message)
    exitProcess(1)
}

func parse(_ arguments: [String]) -> Options {
    var options = Options()
    var index = 0
    func value(_ option: String) -> String {
        index += 1
        guard index < arguments.count else { fail("\(option) needs a value\n" + usage) }
        return arguments[index]
    }
    while index < arguments.count {
        let argument = arguments[index]
        switch argument {
        case "--":
            options.command = Array(arguments[(index + 1)...])
            index = arguments.count
            continue
        case "--prefix": options.prefix = value(argument)
        case "--list": options.list = true
        case "--call":
            let tool = value(argument)
            let text = value(argument)
            do {
                options.call = (tool, try JSONValue(parsing: text))
            } catch {
                fail("the arguments of --call are not JSON: \(error)")
            }
        case "--deny": options.denied.append(value(argument))
        case "--max-calls":
            guard let limit = Int64(value(argument)), limit >= 0 else { fail("--max-calls needs a whole number") }
            options.maxCalls = limit
        case "--help", "-h":
            print(usage)
            exitProcess(0)
        default: fail("unknown option \(argument)\n" + usage)
        }
        index += 1
    }
    guard options.list != (options.call != nil) else { fail("give exactly one of --list and --call\n" + usage) }
    return options
}

/// The tool as the library sees it, for --list.
func describe(_ tool: MCPTool) -> JSONValue {
    var entry: [String: JSONValue] = [
        "name": .string(tool.name),
        "serverName": .string(tool.definition.name),
        "description": .string(tool.description),
        "parameters": tool.parameters.jsonSchema,
        "annotations": tool.annotations.json,
    ]
    if let output = tool.outputSchema { entry["outputSchema"] = output.jsonSchema }
    return .object(entry)
}

var options = parse(Array(CommandLine.arguments.dropFirst()))
let usesDefaultServer = options.command.isEmpty
if usesDefaultServer {
    options.command = ["mcp-server-time"]
    options.prefix = options.prefix ?? "time"
}

var configuration = MCPClient.Configuration()
configuration.serverLabel = "\"" + options.command.joined(separator: " ") + "\""
let client: MCPClient
do {
    client = MCPClient(transport: try MCPStdioTransport(command: options.command), configuration: configuration)
    try await client.start()
} catch let error as MCPError where error.code == .transportFailed && usesDefaultServer {
    print(
        """
        mcp-server-time is not on PATH. Install it (for example in a virtual environment) and run again:
            pip install mcp-server-time
        or name any stdio MCP server after `--`: swift run MCPTools --list -- <server command…>
        """
    )
    exitProcess(0)
} catch {
    fail("could not start the server: \(error)")
}

let tools: [MCPTool]
do {
    tools = try await client.tools(prefix: options.prefix)
} catch {
    await client.close()
    fail("could not list the tools: \(error)")
}

if options.list {
    print(JSONValue.array(tools.map(describe)).jsonText(prettyPrinted: true))
    await client.close()
    exitProcess(0)
}

guard let call = options.call else { fail(usage) }
// The name as given, or with the prefix added ("get_current_time" → "time.get_current_time").
let names = Set(tools.map(\.name))
let prefix = tools.first.map { String($0.name.prefix { $0 != "." }) } ?? ""
let toolName =
    names.contains(call.tool) || !names.contains(prefix + "." + call.tool) ? call.tool : prefix + "." + call.tool

let report: ExecutionReport
do {
    let orchestrator = try Orchestrator(tools: tools)
    let policy = try StrictPolicy(budget: BudgetLimits(maxToolCalls: options.maxCalls), deniedTools: options.denied)
    let agent = ClosureAgent(name: "mcp-call") { _, context in
        try await context.callTool(toolName, arguments: call.arguments)
    }
    report = await orchestrator.run(
        agent,
        task: ["tool": .string(toolName), "arguments": call.arguments],
        policy: policy
    )
} catch {
    await client.close()
    fail("\(error)")
}
await client.close()
do {
    print(try JSONValueEncoder().encode(report).jsonText(prettyPrinted: true))
} catch {
    fail("the report does not encode: \(error)")
}
exitProcess(report.status == .succeeded ? 0 : 1)

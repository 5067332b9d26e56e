using Bridge.AppHost.Broker;
using Bridge.AppHost.Options;
using Bridge.AppHost.Services;

// The Aspire AppHost: the three services on 8000/8001/8002, the broker as a resource, the dashboard on 18888.
// The command line (--help) maps onto the "Bridge" configuration section; see docs/apphost.md.
var commandLine = CommandLine.Parse(args);
if (commandLine.Exit is { } exit)
{
    return exit.Report();
}

var builder = DistributedApplication.CreateBuilder(commandLine.AspireArgs);
var bridge = builder.GetBridgeOptions();
if ((bridge.Problem() ?? PortCheck.FirstTaken(bridge)) is { } problem)
{
    return problem.Report();
}

var broker = builder.AddBroker(bridge);
builder.AddBridgeServices(bridge, broker);

await builder.Build().RunAsync();
return ExitCodes.Ok;

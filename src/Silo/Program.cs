using AgentSilo.Silo;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.AddAgentSiloSilo();
await builder.Build().RunAsync();

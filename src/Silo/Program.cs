using AgentSilo.Silo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

// A configuration mistake found at start (an option that fails validation, a bad port) ends the process with one line
// that names the setting and exit code 1, instead of a crash dump.
var started = false;
try
{
    var builder = Host.CreateApplicationBuilder(args);
    builder.AddAgentSiloSilo();
    using var host = builder.Build();
    host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() => started = true);
    await host.RunAsync();
    return 0;
}
catch (Exception e) when (!started && e is OptionsValidationException or InvalidOperationException)
{
    Console.Error.WriteLine($"AgentSilo silo did not start: {e.Message}");
    return 1;
}

using AgentSilo.Api.Admin;
using AgentSilo.Api.Agents;
using AgentSilo.Api.Auth;
using AgentSilo.Api.Errors;
using AgentSilo.Api.Health;
using AgentSilo.Api.Hosting;
using AgentSilo.Api.Quota;
using AgentSilo.Api.Threads;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);

builder.AddAgentSiloHttpDefaults();
builder.AddAgentSiloErrors();
builder.AddAgentSiloOrleansClient();
builder.AddAgentSiloAuth();
builder.AddAgentSiloLoginRateLimiting();
builder.AddAgentSiloHealthChecks();

var app = builder.Build();

app.UseAgentSiloErrors();
app.UseAgentSiloHttpDefaults();
app.UseRouting();
app.UseTokenTransportGuard();
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();
app.UseAgentSiloQuota();

app.MapAuthEndpoints();
app.MapApiKeyEndpoints();
app.MapWellKnownEndpoints();
app.MapUserEndpoints();
app.MapThreadEndpoints();
app.MapAgentEndpoints();
app.MapAdminAgentEndpoints();
app.MapPreferenceEndpoints();
app.MapAdminEndpoints();
app.MapHealthEndpoints();

// A configuration mistake found at start (an option that fails validation, a missing key file) ends the process
// with one line that names the setting and exit code 1, instead of a crash dump.
var started = false;
app.Lifetime.ApplicationStarted.Register(() => started = true);
try
{
    app.Run();
}
catch (Exception e) when (!started && e is OptionsValidationException or InvalidOperationException)
{
    Console.Error.WriteLine($"AgentSilo API did not start: {e.Message}");
    return 1;
}

return 0;

/// <summary>Visible to WebApplicationFactory in the API tests.</summary>
public partial class Program;

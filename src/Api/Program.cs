using AgentSilo.Api.Admin;
using AgentSilo.Api.Agents;
using AgentSilo.Api.Auth;
using AgentSilo.Api.Errors;
using AgentSilo.Api.Health;
using AgentSilo.Api.Hosting;
using AgentSilo.Api.Quota;
using AgentSilo.Api.Threads;

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

app.Run();

/// <summary>Visible to WebApplicationFactory in the API tests.</summary>
public partial class Program;

using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using AgentSilo.Testing;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AgentSilo.Security.Infrastructure;

/// <summary>
/// One real stack (Azurite, silo and API processes) for every attack. Each test talks from a loopback address of its
/// own, so the per-address login limits of one test never touch another; accounts are fresh per test too.
/// </summary>
public sealed class SecurityStackFixture : IAsyncLifetime
{
    /// <summary>Free login failures per account and per address before lockouts start (small, so tests reach them).</summary>
    public const int FreeFailures = 3;

    /// <summary>The first lockout; long enough that the next request surely falls inside it on a busy machine.</summary>
    public const int FirstLockoutSeconds = 20;

    private ServiceStack? _stack;

    public ServiceStack Stack => _stack ?? throw new InvalidOperationException("The stack has not started.");

    /// <summary>The key the API signs with, as an attacker who stole nothing but the public key would not have it.</summary>
    public ECDsa SigningKey { get; } = ECDsa.Create();

    public async Task InitializeAsync()
    {
        var backoff = new Dictionary<string, string>
        {
            ["Quota__Capacity"] = "100000",
            ["Quota__RefillPerSecond"] = "1000",
        };
        foreach (var kind in new[] { "Account", "Address" })
        {
            backoff[$"RateLimiting__LoginBackoff__{kind}__FreeFailures"] = FreeFailures.ToString();
            backoff[$"RateLimiting__LoginBackoff__{kind}__BaseDelaySeconds"] = FirstLockoutSeconds.ToString();
            backoff[$"RateLimiting__LoginBackoff__{kind}__MaxDelaySeconds"] = (2 * FirstLockoutSeconds).ToString();
        }

        _stack = await ServiceStack.StartAsync("security", backoff);
        SigningKey.ImportFromPem(await File.ReadAllTextAsync(Stack.SigningKeyPath));
    }

    private readonly SemaphoreSlim _victimGate = new(1, 1);
    private User? _victim;

    /// <summary>
    /// One signed-in user whose genuine token the token attacks copy; they never change the user's state, so they
    /// share it and spare a password hash per test.
    /// </summary>
    public async Task<User> VictimAsync()
    {
        await _victimGate.WaitAsync();
        try
        {
            return _victim ??= await NewApi().SignUpAsync("victim");
        }
        finally
        {
            _victimGate.Release();
        }
    }

    /// <summary>A client of its own loopback address.</summary>
    public Api NewApi() => new(Stack, Stack.CreateClient(ServiceStack.NewLoopbackAddress()));

    /// <summary>The public signing key as the JWKS publishes it (the attacker's starting point for key confusion).</summary>
    public async Task<JsonElement> PublicJwkAsync(Api api)
    {
        var jwks = await api.ExpectAsync(await api.Client.GetAsync("/.well-known/jwks.json"), HttpStatusCode.OK);
        return jwks.GetProperty("keys").EnumerateArray().Single();
    }

    public static JsonWebToken Read(string token) => new(token);

    public async Task DisposeAsync()
    {
        SigningKey.Dispose();
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SecurityStackCollection : ICollectionFixture<SecurityStackFixture>
{
    public const string Name = "Security stack";
}

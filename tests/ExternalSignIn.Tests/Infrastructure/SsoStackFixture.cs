using AgentSilo.Testing;

namespace AgentSilo.ExternalSignIn.Infrastructure;

/// <summary>
/// Two real OpenID providers (two issuers, each with its own keys) and the real silo and API configured to accept
/// both, all on free loopback ports. Provider "alpha" issues RFC 9068 tokens (<c>typ: at+jwt</c>, ES256) and maps
/// groups to roles with a default role; "beta" (RS256) is configured for plain JWT access tokens and refuses users
/// without a mapped group. Beta's test client is the API itself (client id = audience), as in app registrations
/// that serve both, so its ID tokens carry the API audience: only the ID token checks can refuse them.
/// </summary>
public sealed class SsoStackFixture : IAsyncLifetime
{
    public const string Audience = "urn:agentsilo:api";

    private readonly string _workDirectory = Path.Combine(Path.GetTempPath(), "agentsilo-sso-" + Guid.NewGuid().ToString("N")[..10]);
    private ServiceStack? _stack;

    /// <summary>The issuer of a configured provider that is not running (nothing listens on its port).</summary>
    public string UnreachableIssuer { get; } = $"http://127.0.0.1:{AgentSilo.Testing.FreePorts.Next()}";

    public OidcProvider Alpha { get; private set; } = null!;

    public OidcProvider Beta { get; private set; } = null!;

    public ServiceStack Stack => _stack ?? throw new InvalidOperationException("The stack has not started.");

    public Api Api => new(Stack);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_workDirectory);
        var providers = await Task.WhenAll(
            OidcProvider.StartAsync("alpha", Audience, "ES256", "agentsilo-sso-tests", _workDirectory),
            OidcProvider.StartAsync("beta", Audience, "RS256", Audience, _workDirectory));
        (Alpha, Beta) = (providers[0], providers[1]);

        _stack = await ServiceStack.StartAsync("sso", new Dictionary<string, string>
        {
            ["Auth__External__alpha__Authority"] = Alpha.Issuer,
            ["Auth__External__alpha__Audience"] = Audience,
            ["Auth__External__alpha__RequireHttpsMetadata"] = "false",
            ["Auth__External__alpha__RoleClaim"] = "groups",
            ["Auth__External__alpha__RoleMap__staff"] = "user",
            ["Auth__External__alpha__RoleMap__ops"] = "admin",
            ["Auth__External__alpha__RoleMap__readers"] = "guest",
            ["Auth__External__beta__Authority"] = Beta.Issuer,
            ["Auth__External__beta__Audience"] = Audience,
            ["Auth__External__beta__RequireHttpsMetadata"] = "false",
            ["Auth__External__beta__RequireAccessTokenType"] = "false",
            ["Auth__External__beta__RoleClaim"] = "groups",
            ["Auth__External__beta__RoleMap__staff"] = "user",
            ["Auth__External__beta__DefaultRole"] = "none",
            ["Auth__External__gamma__Authority"] = UnreachableIssuer,
            ["Auth__External__gamma__Audience"] = Audience,
            ["Auth__External__gamma__RequireHttpsMetadata"] = "false",
        });
    }

    public async Task DisposeAsync()
    {
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }

        foreach (var provider in new[] { Alpha, Beta }.OfType<OidcProvider>())
        {
            await provider.DisposeAsync();
        }

        Directory.Delete(_workDirectory, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class SsoStackCollection : ICollectionFixture<SsoStackFixture>
{
    public const string Name = "SSO stack";
}

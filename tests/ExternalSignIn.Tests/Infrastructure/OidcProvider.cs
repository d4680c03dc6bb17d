using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentSilo.Testing;
using Microsoft.IdentityModel.Tokens;

namespace AgentSilo.ExternalSignIn.Infrastructure;

/// <summary>The tokens a sign-in at the provider gave the test client.</summary>
public sealed record ProviderTokens(string AccessToken, string IdToken);

/// <summary>
/// A real OpenID provider (the oidc-provider npm package, tests/ExternalSignIn.Tests/oidc) on a free loopback port,
/// and a client that signs users in with the authorization code flow and PKCE, as a front end would.
/// </summary>
public sealed class OidcProvider : IAsyncDisposable
{
    public const string RedirectUri = "http://127.0.0.1:9/callback";

    // Installing oidc-provider (npm ci) on the first start in a fresh clone takes a while on a small machine.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    private readonly string _clientSecret;
    private readonly ProcessHost _process;

    private OidcProvider(int port, string keysFile, string clientId, string clientSecret, ProcessHost process)
    {
        ClientId = clientId;
        Issuer = $"http://127.0.0.1:{port}";
        KeysFile = keysFile;
        _clientSecret = clientSecret;
        _process = process;
    }

    /// <summary>The test client's id at this provider: the <c>aud</c> of its ID tokens.</summary>
    public string ClientId { get; }

    /// <summary>The provider's issuer URL: its tokens' <c>iss</c> and the Authority to configure.</summary>
    public string Issuer { get; }

    /// <summary>The provider's private JWKS (written for the attack tests only).</summary>
    public string KeysFile { get; }

    public static async Task<OidcProvider> StartAsync(
        string name, string audience, string algorithm, string clientId, string workDirectory)
    {
        var port = FreePorts.Next();
        var keysFile = Path.Combine(workDirectory, $"{name}-jwks.json");
        var oidc = RepositoryPaths.Combine("tests", "ExternalSignIn.Tests", "oidc");
        var clientSecret = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        var process = ProcessHost.Start(
            $"oidc-{name}", "bash", [Path.Combine(oidc, "start.sh")], oidc,
            new Dictionary<string, string?>
            {
                ["OIDC_PORT"] = port.ToString(),
                ["OIDC_AUDIENCE"] = audience,
                ["OIDC_CLIENT_ID"] = clientId,
                ["OIDC_CLIENT_SECRET"] = clientSecret,
                ["OIDC_REDIRECT_URI"] = RedirectUri,
                ["OIDC_ALG"] = algorithm,
                ["OIDC_KEYS_FILE"] = keysFile,
            },
            Path.Combine(AppContext.BaseDirectory, "e2e-logs", $"oidc-{name}.log"));
        var provider = new OidcProvider(port, keysFile, clientId, clientSecret, process);
        await provider.WaitUntilReadyAsync();
        return provider;
    }

    /// <summary>
    /// Signs <paramref name="accountId"/> in (the provider's interaction handler plays the user) and redeems the
    /// code for tokens. <paramref name="resource"/> is the RFC 8707 resource indicator the access token is for.
    /// </summary>
    public async Task<ProviderTokens> SignInAsync(string accountId, string resource, string scope = "openid profile chatbot:read chatbot:write")
    {
        using var browser = new HttpClient(
            new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() });
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var query = Form(
            ("client_id", ClientId), ("response_type", "code"), ("redirect_uri", RedirectUri), ("scope", scope),
            ("code_challenge", challenge), ("code_challenge_method", "S256"), ("login_hint", accountId),
            ("nonce", Guid.NewGuid().ToString("N")), ("state", Guid.NewGuid().ToString("N")), ("resource", resource));
        var url = new Uri($"{Issuer}/auth?{await query.ReadAsStringAsync()}");

        // Follow the login and consent interactions until the provider redirects to the client with the code.
        for (var hop = 0; hop < 10 && !url.AbsoluteUri.StartsWith(RedirectUri, StringComparison.Ordinal); hop++)
        {
            using var response = await browser.GetAsync(url);
            if (response.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.SeeOther or HttpStatusCode.Found))
            {
                throw new InvalidOperationException(
                    $"The provider answered {(int)response.StatusCode} at {url}: {await response.Content.ReadAsStringAsync()}");
            }

            url = new Uri(url, response.Headers.Location!);
        }

        var parameters = System.Web.HttpUtility.ParseQueryString(url.Query);
        var code = parameters["code"] ?? throw new InvalidOperationException($"No code in {url}");
        using var token = await browser.PostAsync($"{Issuer}/token", Form(
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", RedirectUri), ("code_verifier", verifier),
            ("client_id", ClientId), ("client_secret", _clientSecret), ("resource", resource)));
        var body = await token.Content.ReadAsStringAsync();
        if (token.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"The token endpoint answered {(int)token.StatusCode}: {body}");
        }

        var json = JsonDocument.Parse(body).RootElement;
        return new ProviderTokens(json.GetProperty("access_token").GetString()!, json.GetProperty("id_token").GetString()!);
    }

    /// <summary>This provider's own private signing key as a JWK (attack tests only).</summary>
    public string PrivateSigningKeyJson() =>
        JsonDocument.Parse(File.ReadAllText(KeysFile)).RootElement.GetProperty("keys")[0].GetRawText();

    public string RecentLogs() => _process.Tail(30);

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(field => KeyValuePair.Create(field.Name, field.Value)));

    private async Task WaitUntilReadyAsync()
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The OpenID provider exited.{Environment.NewLine}{RecentLogs()}");
            }

            try
            {
                using var response = await client.GetAsync($"{Issuer}/.well-known/openid-configuration");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The OpenID provider did not start in {StartTimeout}.{Environment.NewLine}{RecentLogs()}");
            }

            await Task.Delay(200);
        }
    }
}

using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using AgentSilo.Api.Auth.Keys;
using AgentSilo.Api.Tests.Infrastructure;
using AgentSilo.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using static AgentSilo.Api.Tests.Infrastructure.ApiCalls;

namespace AgentSilo.Api.Tests;

/// <summary>
/// Rotation as an operator does it: key files appear in Auth:SigningKeysDirectory while the API runs. Each test has
/// its own API instance (on the shared cluster), key files and clock; the clock moves only when the test says.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class SigningKeyRotationTests(ApiFixture fixture) : IAsyncLifetime
{
    private const int ReloadSeconds = 5;

    // Auth:AccessTokenMinutes (default 15) plus the validator's 30 s clock skew.
    private static readonly TimeSpan Retention = TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(30);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "agentsilo-rotation-" + Guid.NewGuid().ToString("N"));
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
    private ApiFactory _api = null!;

    private string KeysDirectory => Path.Combine(_folder, "keys");

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(KeysDirectory);
        var settings = ApiFactory.Settings(fixture.Storage, fixture.MainClusterId);
        settings["Auth:SigningKeyPath"] = Path.Combine(_folder, "signing.pem");
        settings["Auth:SigningKeysDirectory"] = KeysDirectory;
        settings["Auth:SigningKeysReloadSeconds"] = ReloadSeconds.ToString(CultureInfo.InvariantCulture);
        _api = new ApiFactory(settings, services => services.AddSingleton<TimeProvider>(_clock));
        _ = _api.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_token_signed_by_the_previous_key_keeps_validating_after_rotation()
    {
        var user = await NewUserAsync(_api);
        var oldKid = KeyIdOf(user.Tokens.AccessToken);
        Assert.Equal([oldKid], await PublishedKeyIdsAsync());

        var newKid = WriteKey(_clock.GetUtcNow().AddMinutes(-1));
        await File.WriteAllTextAsync(Path.Combine(KeysDirectory, "20261205T000000Z.pem.tmp"), "half written");
        _clock.Advance(TimeSpan.FromSeconds(ReloadSeconds));

        Assert.Equal(new[] { oldKid, newKid }.Order(), (await PublishedKeyIdsAsync()).Order());
        var fresh = await LoginAsync(_api.CreateClient(), user.Username);
        Assert.Equal(newKid, KeyIdOf(fresh.AccessToken));
        Assert.Equal(HttpStatusCode.OK, (await user.Client.GetAsync("/users/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await WithBearer(_api, fresh.AccessToken).GetAsync("/users/me")).StatusCode);
    }

    [Fact]
    public async Task A_key_past_its_retirement_window_leaves_the_jwks_and_its_tokens_are_401()
    {
        var user = await NewUserAsync(_api);
        var oldKid = KeyIdOf(user.Tokens.AccessToken);

        // The new key took over so long ago that no token of the old key can still be in use: the old key has gone,
        // although this token itself (signed by an instance that missed the rotation) has not expired yet.
        var newKid = WriteKey(_clock.GetUtcNow() - Retention - TimeSpan.FromMinutes(1));
        _clock.Advance(TimeSpan.FromSeconds(ReloadSeconds));

        Assert.Equal([newKid], await PublishedKeyIdsAsync());
        await AssertInvalidTokenAsync(await user.Client.GetAsync("/users/me"));
        var fresh = await LoginAsync(_api.CreateClient(), user.Username);
        Assert.Equal(newKid, KeyIdOf(fresh.AccessToken));
        Assert.Equal(HttpStatusCode.OK, (await WithBearer(_api, fresh.AccessToken).GetAsync("/users/me")).StatusCode);
        Assert.NotEqual(oldKid, newKid);
    }

    [Fact]
    public async Task An_announced_key_is_published_at_once_and_signs_from_its_activation()
    {
        var user = await NewUserAsync(_api);
        var oldKid = KeyIdOf(user.Tokens.AccessToken);
        var newKid = WriteKey(_clock.GetUtcNow().AddMinutes(2));
        _clock.Advance(TimeSpan.FromSeconds(ReloadSeconds));

        Assert.Equal(new[] { oldKid, newKid }.Order(), (await PublishedKeyIdsAsync()).Order());
        Assert.Equal(oldKid, KeyIdOf((await LoginAsync(_api.CreateClient(), user.Username)).AccessToken));

        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(newKid, KeyIdOf((await LoginAsync(_api.CreateClient(), user.Username)).AccessToken));
    }

    [Fact]
    public async Task A_token_whose_kid_is_not_a_live_key_is_401()
    {
        var user = await NewUserAsync(_api);
        var unknown = new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "no-such-key" };
        var realKey = _api.Services.GetRequiredService<Auth.SigningKeyStore>().Current.SecurityKey;

        await AssertInvalidTokenAsync(await WithBearer(_api, Resign(user.Tokens.AccessToken, unknown)).GetAsync("/users/me"));
        Assert.Equal(HttpStatusCode.OK, (await WithBearer(_api, Resign(user.Tokens.AccessToken, realKey)).GetAsync("/users/me")).StatusCode);
    }

    /// <summary>The same claims and header type as a genuine token, signed with <paramref name="key"/>.</summary>
    private static string Resign(string genuine, SecurityKey key)
    {
        var token = new JsonWebToken(genuine);
        var descriptor = new SecurityTokenDescriptor
        {
            TokenType = token.Typ,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
            Claims = token.Claims.GroupBy(c => c.Type).ToDictionary(
                g => g.Key, g => g.Count() > 1 ? g.Select(c => c.Value).ToArray() : (object)ClaimValue(g.First())),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    // Numeric dates (exp, iat, nbf) must stay numbers for the token to validate.
    private static object ClaimValue(System.Security.Claims.Claim claim) =>
        claim.ValueType == System.Security.Claims.ClaimValueTypes.Integer64 || claim.ValueType == System.Security.Claims.ClaimValueTypes.Integer
            ? long.Parse(claim.Value, CultureInfo.InvariantCulture)
            : claim.Value;

    /// <summary>Writes a new key named by its activation instant, as an operator would, and returns its kid.</summary>
    private string WriteKey(DateTimeOffset activatesAt)
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var name = activatesAt.UtcDateTime.ToString(SigningKeyFiles.ActivationFormat, CultureInfo.InvariantCulture) + ".pem";
        File.WriteAllText(Path.Combine(KeysDirectory, name), ecdsa.ExportPkcs8PrivateKeyPem());
        return new Auth.SigningKey(ECDsa.Create(ecdsa.ExportParameters(includePrivateParameters: false))).KeyId;
    }

    private async Task<string[]> PublishedKeyIdsAsync()
    {
        var jwks = await _api.CreateClient().GetFromJsonAsync<Auth.JsonWebKeySet>("/.well-known/jwks.json");
        return jwks!.Keys.Select(key => key.Kid).ToArray();
    }

    private static string KeyIdOf(string token) => new JsonWebToken(token).Kid;

    private static async Task AssertInvalidTokenAsync(HttpResponseMessage response)
    {
        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.StartsWith("error=\"invalid_token\"", Assert.Single(response.Headers.WwwAuthenticate).Parameter);
    }
}

using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using AgentSilo.Security.Infrastructure;
using AgentSilo.Testing;
using Microsoft.IdentityModel.Tokens;
using static AgentSilo.Security.Infrastructure.Answers;

namespace AgentSilo.Security;

/// <summary>
/// Forged and tampered access tokens (RFC 8725 §2-3), sent over HTTP to the running API. Each one copies a genuine
/// token's claims and breaks one rule; <see cref="A_token_forged_with_the_real_key_and_the_same_claims_is_accepted"/>
/// proves that the forge itself is sound, so each refusal is the rule's doing.
/// </summary>
[Collection(SecurityStackCollection.Name)]
public sealed class TokenAttackTests(SecurityStackFixture fixture) : IAsyncLifetime, IDisposable
{
    private const string SignatureKeyNotFound = "The signature key was not found";
    private const string SignatureInvalid = "The signature is invalid";
    private const string Generic = "The access token is not valid.";

    private readonly Api _api = fixture.NewApi();
    private readonly ECDsa _attackerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private Forge _forge = null!;

    public async Task InitializeAsync()
    {
        var victim = await fixture.VictimAsync();
        _forge = new Forge(victim.AccessToken, fixture.Stack.Issuer, fixture.Stack.Audience);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _attackerKey.Dispose();
        _api.Client.Dispose();
    }

    [Fact]
    public async Task A_token_forged_with_the_real_key_and_the_same_claims_is_accepted()
    {
        var response = await MeAsync(_forge.SignEs256(fixture.SigningKey));
        await _api.ExpectAsync(response, HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_token_signed_by_another_key_under_the_real_kid_is_refused()
    {
        await InvalidTokenAsync(_api, await MeAsync(_forge.SignEs256(_attackerKey)), SignatureInvalid);
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("a.b.c")]
    [InlineData("....")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.e30")]
    public async Task A_token_that_is_not_a_jws_is_refused(string token)
    {
        await InvalidTokenAsync(_api, await MeAsync(token), Generic);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    [InlineData("NONE")]
    [InlineData("nOnE")]
    public async Task Alg_none_in_any_spelling_is_refused(string alg)
    {
        _forge.Header["alg"] = alg;
        await InvalidTokenAsync(_api, await MeAsync(Forge.Unsigned(_forge.HeaderJson, _forge.PayloadJson)), SignatureInvalid);
    }

    [Fact]
    public async Task A_genuine_token_with_its_signature_stripped_is_refused()
    {
        var genuine = (await fixture.VictimAsync()).AccessToken;
        var stripped = genuine[..(genuine.LastIndexOf('.') + 1)];
        await InvalidTokenAsync(_api, await MeAsync(stripped), SignatureInvalid);
    }

    [Theory]
    [InlineData("jwks-entry")]
    [InlineData("canonical-jwk")]
    [InlineData("spki-pem")]
    [InlineData("spki-der")]
    public async Task Es256_to_hs256_with_the_public_key_as_the_hmac_secret_is_refused(string form)
    {
        var jwk = await fixture.PublicJwkAsync(_api);
        var secret = form switch
        {
            "jwks-entry" => Encoding.UTF8.GetBytes(jwk.GetRawText()),
            "canonical-jwk" => Encoding.UTF8.GetBytes(
                $$"""{"crv":"P-256","kty":"EC","x":"{{jwk.GetProperty("x").GetString()}}","y":"{{jwk.GetProperty("y").GetString()}}"}"""),
            "spki-pem" => Encoding.UTF8.GetBytes(fixture.SigningKey.ExportSubjectPublicKeyInfoPem()),
            _ => fixture.SigningKey.ExportSubjectPublicKeyInfo(),
        };
        _forge.Header["alg"] = "HS256";

        await InvalidTokenAsync(_api, await MeAsync(Forge.SignHs256(_forge.HeaderJson, _forge.PayloadJson, secret)), SignatureInvalid);
    }

    [Theory]
    [InlineData("../../../../../../dev/null")]
    [InlineData("/etc/passwd")]
    [InlineData("' OR '1'='1")]
    [InlineData("x\" UNION SELECT 'key' --")]
    [InlineData("$(id)|whoami;")]
    [InlineData("%00\u0000nul")]
    [InlineData("http://127.0.0.1:9/key.pem")]
    [InlineData("*")]
    public async Task A_kid_with_path_or_injection_characters_finds_no_key(string kid)
    {
        _forge.Header["kid"] = kid;
        await InvalidTokenAsync(_api, await MeAsync(_forge.SignEs256(_attackerKey)), SignatureKeyNotFound);
    }

    [Fact]
    public async Task The_dev_null_kid_with_an_empty_hmac_key_is_refused()
    {
        _forge.Header["kid"] = "../../../../../../dev/null";
        _forge.Header["alg"] = "HS256";
        await InvalidTokenAsync(_api, await MeAsync(Forge.SignHs256(_forge.HeaderJson, _forge.PayloadJson, [])), SignatureKeyNotFound);
    }

    [Theory]
    [InlineData("jku")]
    [InlineData("x5u")]
    public async Task Key_urls_in_the_header_are_never_fetched(string member)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _forge.Header[member] = $"http://127.0.0.1:{port}/attacker-keys";
        _forge.Header["kid"] = "attacker";

        await InvalidTokenAsync(_api, await MeAsync(_forge.SignEs256(_attackerKey)), SignatureKeyNotFound);

        // Validation is over when the answer arrives: a fetch would have connected by now.
        Assert.False(listener.Pending(), $"The API connected to the {member} address.");
    }

    [Theory]
    [InlineData("attacker-kid")]
    [InlineData("real-kid")]
    public async Task An_attackers_key_embedded_as_jwk_is_not_trusted(string kid)
    {
        var q = _attackerKey.ExportParameters(false).Q;
        _forge.Header["jwk"] = new JsonObject
        {
            ["kty"] = "EC", ["crv"] = "P-256", ["x"] = Base64UrlEncoder.Encode(q.X), ["y"] = Base64UrlEncoder.Encode(q.Y),
        };
        if (kid == "attacker-kid")
        {
            _forge.Header["kid"] = "attacker";
        }

        var expected = kid == "attacker-kid" ? SignatureKeyNotFound : SignatureInvalid;
        await InvalidTokenAsync(_api, await MeAsync(_forge.SignEs256(_attackerKey)), expected);
    }

    [Fact]
    public async Task An_attackers_certificate_chain_in_x5c_is_not_trusted()
    {
        var request = new CertificateRequest("CN=attacker", _attackerKey, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        _forge.Header["x5c"] = new JsonArray(Convert.ToBase64String(certificate.RawData));
        _forge.Header.Remove("kid");

        await InvalidTokenAsync(_api, await MeAsync(_forge.SignEs256(_attackerKey)), SignatureKeyNotFound);
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        (_forge.Payload["iat"], _forge.Payload["nbf"], _forge.Payload["exp"]) = (now - 1200, now - 1200, now - 120);
        await InvalidTokenAsync(_api, await MeAsync(_forge.SignEs256(fixture.SigningKey)), "The token expired at");
    }

    [Fact]
    public async Task A_token_not_yet_valid_beyond_the_clock_skew_is_refused()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        (_forge.Payload["nbf"], _forge.Payload["exp"]) = (now + 300, now + 900);
        await InvalidTokenAsync(_api, await MeAsync(_forge.SignEs256(fixture.SigningKey)), "The token is not valid before");
    }

    [Fact]
    public async Task A_token_of_another_issuer_is_refused()
    {
        _forge.Payload["iss"] = "http://evil.test";
        await InvalidTokenAsync(_api, await MeAsync(_forge.SignEs256(fixture.SigningKey)), "The issuer 'http://evil.test' is invalid");
    }

    [Fact]
    public async Task A_token_for_another_audience_is_refused()
    {
        _forge.Payload["aud"] = "someone-else";
        await InvalidTokenAsync(_api, await MeAsync(_forge.SignEs256(fixture.SigningKey)), "The audience '(null)' is invalid");
    }

    [Fact]
    public async Task A_token_without_exp_is_refused()
    {
        _forge.Payload.Remove("exp");
        await InvalidTokenAsync(_api, await MeAsync(_forge.SignEs256(fixture.SigningKey)), "The token has no expiration");
    }

    [Theory]
    [InlineData("JWT")]
    [InlineData("jwt")]
    [InlineData(null)]
    public async Task A_token_without_the_access_token_type_is_refused(string? type)
    {
        if (type is null)
        {
            _forge.Header.Remove("typ");
        }
        else
        {
            _forge.Header["typ"] = type;
        }

        await InvalidTokenAsync(_api, await MeAsync(_forge.SignEs256(fixture.SigningKey)), Generic);
    }

    [Fact]
    public async Task A_refresh_token_is_not_an_access_token()
    {
        var victim = await fixture.VictimAsync();
        await InvalidTokenAsync(_api, await MeAsync(victim.RefreshToken), Generic);
    }

    [Fact]
    public async Task A_100_kb_token_is_431_before_anything_reads_it()
    {
        var huge = _forge.Payload.DeepClone().AsObject();
        huge["padding"] = new string('a', 100 * 1024);
        var response = await MeAsync(Forge.SignEs256(_forge.HeaderJson, huge.ToJsonString(), fixture.SigningKey));
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_large_token_under_the_header_limit_is_401_not_500()
    {
        _forge.Payload["padding"] = new string('a', 20 * 1024);
        var token = _forge.SignEs256(fixture.SigningKey);
        var tampered = token[..^4] + (token[^4] == 'A' ? "BBBB" : "AAAA");
        await InvalidTokenAsync(_api, await MeAsync(tampered), SignatureInvalid);
    }

    [Theory]
    [InlineData("payload-sub")]
    [InlineData("payload-exp")]
    [InlineData("header-alg")]
    [InlineData("sub-array")]
    public async Task A_token_that_names_a_claim_twice_is_refused(string variant)
    {
        var other = Guid.NewGuid().ToString("N");
        var payload = _forge.PayloadJson;
        var header = _forge.HeaderJson;
        switch (variant)
        {
            case "payload-sub":
                payload = payload.TrimEnd('}') + $",\"sub\":\"{other}\"}}";
                break;
            case "payload-exp":
                payload = payload.TrimEnd('}') + $",\"exp\":{DateTimeOffset.UtcNow.AddYears(10).ToUnixTimeSeconds()}}}";
                break;
            case "header-alg":
                header = header.TrimEnd('}') + ",\"alg\":\"none\"}";
                break;
            default:
                _forge.Payload["sub"] = new JsonArray(_forge.Payload["sub"]!.GetValue<string>(), other);
                payload = _forge.PayloadJson;
                break;
        }

        var response = await MeAsync(Forge.SignEs256(header, payload, fixture.SigningKey));
        // IdentityModel reads the last "alg" (none) and cannot read a subject that is an array; the repeated claims
        // it would read, and the API's duplicate check refuses them.
        var expected = variant switch
        {
            "header-alg" => SignatureInvalid,
            "sub-array" => Generic,
            _ => "The token names a member more than once.",
        };
        await InvalidTokenAsync(_api, response, expected);
    }

    [Fact]
    public async Task No_token_is_401_with_a_plain_bearer_challenge()
    {
        var response = await _api.Client.GetAsync("/threads");
        await _api.ExpectProblemAsync(response, HttpStatusCode.Unauthorized);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Null(challenge.Parameter);
    }

    [Fact]
    public async Task A_token_in_the_query_string_is_refused_as_invalid_request()
    {
        var victim = await fixture.VictimAsync();
        var response = await _api.Client.GetAsync($"/users/me?access_token={victim.AccessToken}");
        await _api.ExpectProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("error=\"invalid_request\"", Assert.Single(response.Headers.WwwAuthenticate).Parameter);
    }

    private Task<HttpResponseMessage> MeAsync(string token) => SendAsync(_api, HttpMethod.Get, "/users/me", bearer: token);
}

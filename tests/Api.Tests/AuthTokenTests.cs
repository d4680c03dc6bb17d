using System.Net;
using System.Net.Http.Json;
using System.Text;
using AgentSilo.Api.Tests.Infrastructure;
using static AgentSilo.Api.Tests.Infrastructure.ApiCalls;

namespace AgentSilo.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class AuthTokenTests(ApiFixture fixture)
{
    private readonly HttpClient _anonymous = fixture.Api.CreateClient();

    [Fact]
    public async Task Registered_user_signs_in_and_reads_their_profile()
    {
        var username = NewUsername();
        var registered = await RegisterAsync(_anonymous, username);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var body = await JsonAsync(registered);
        var userId = body.GetProperty("userId").GetString();
        Assert.Equal(username, body.GetProperty("username").GetString());

        var token = await PostTokenAsync(_anonymous, ("grant_type", "password"), ("username", username.ToUpperInvariant()), ("password", Password));
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        var json = await JsonAsync(token);
        Assert.Equal("Bearer", json.GetProperty("token_type").GetString());
        Assert.Equal(15 * 60, json.GetProperty("expires_in").GetInt32());
        Assert.Equal("chatbot:read chatbot:write", json.GetProperty("scope").GetString());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("refresh_token").GetString()));

        var me = await WithBearer(fixture.Api, json.GetProperty("access_token").GetString()!).GetAsync("/users/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var profile = await JsonAsync(me);
        Assert.Equal(userId, profile.GetProperty("userId").GetString());
        Assert.Equal(username, profile.GetProperty("username").GetString());
        Assert.Equal(["user"], profile.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(["chatbot:read", "chatbot:write"], profile.GetProperty("scopes").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task Wrong_password_and_unknown_user_get_the_same_invalid_grant()
    {
        var user = await NewUserAsync(fixture.Api);
        var wrongPassword = await PostTokenAsync(_anonymous, ("grant_type", "password"), ("username", user.Username), ("password", "not-the-password-1"));
        var unknownUser = await PostTokenAsync(_anonymous, ("grant_type", "password"), ("username", NewUsername()), ("password", Password));

        Assert.Equal(HttpStatusCode.BadRequest, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknownUser.StatusCode);
        var first = await wrongPassword.Content.ReadAsStringAsync();
        Assert.Equal(first, await unknownUser.Content.ReadAsStringAsync());
        Assert.Equal("invalid_grant", (await JsonAsync(wrongPassword)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Refresh_rotates_and_reusing_a_spent_token_revokes_the_whole_family()
    {
        var user = await NewUserAsync(fixture.Api);
        var first = await PostTokenAsync(_anonymous, ("grant_type", "refresh_token"), ("refresh_token", user.Tokens.RefreshToken));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var rotated = ToTokens(await JsonAsync(first));
        Assert.NotEqual(user.Tokens.RefreshToken, rotated.RefreshToken);

        var replay = await PostTokenAsync(_anonymous, ("grant_type", "refresh_token"), ("refresh_token", user.Tokens.RefreshToken));
        Assert.Equal("invalid_grant", (await JsonAsync(replay)).GetProperty("error").GetString());

        var afterReplay = await PostTokenAsync(_anonymous, ("grant_type", "refresh_token"), ("refresh_token", rotated.RefreshToken));
        Assert.Equal(HttpStatusCode.BadRequest, afterReplay.StatusCode);
        Assert.Equal("invalid_grant", (await JsonAsync(afterReplay)).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await WithBearer(fixture.Api, rotated.AccessToken).GetAsync("/users/me")).StatusCode);
    }

    [Fact]
    public async Task Malformed_refresh_token_is_the_same_invalid_grant()
    {
        var response = await PostTokenAsync(_anonymous, ("grant_type", "refresh_token"), ("refresh_token", "a.b"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", (await JsonAsync(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Scope_can_be_narrowed_but_not_widened()
    {
        var user = await NewUserAsync(fixture.Api, scope: "chatbot:read");
        Assert.Equal("chatbot:read", user.Tokens.Scope);

        var widened = await PostTokenAsync(_anonymous, ("grant_type", "refresh_token"), ("refresh_token", user.Tokens.RefreshToken),
            ("scope", "chatbot:read chatbot:write"));
        Assert.Equal(HttpStatusCode.BadRequest, widened.StatusCode);
        Assert.Equal("invalid_scope", (await JsonAsync(widened)).GetProperty("error").GetString());

        var adminAsked = await PostTokenAsync(_anonymous, ("grant_type", "password"), ("username", user.Username), ("password", Password), ("scope", "admin"));
        Assert.Equal("invalid_scope", (await JsonAsync(adminAsked)).GetProperty("error").GetString());

        var unknown = await PostTokenAsync(_anonymous, ("grant_type", "password"), ("username", user.Username), ("password", Password), ("scope", "everything"));
        Assert.Equal("invalid_scope", (await JsonAsync(unknown)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Token_endpoint_answers_are_never_cached()
    {
        var ok = await PostTokenAsync(_anonymous, ("grant_type", "password"), ("username", (await NewUserAsync(fixture.Api)).Username), ("password", Password));
        var error = await PostTokenAsync(_anonymous, ("grant_type", "password"), ("username", NewUsername()), ("password", Password));
        foreach (var response in new[] { ok, error })
        {
            Assert.True(response.Headers.CacheControl?.NoStore);
            Assert.Contains("no-cache", response.Headers.Pragma.Select(p => p.Name));
        }
    }

    [Fact]
    public async Task Token_endpoint_takes_only_form_bodies_and_known_grants()
    {
        var json = await _anonymous.PostAsJsonAsync("/auth/token", new { grant_type = "password", username = "x", password = "y" });
        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
        Assert.Equal("invalid_request", (await JsonAsync(json)).GetProperty("error").GetString());

        var grant = await PostTokenAsync(_anonymous, ("grant_type", "client_credentials"));
        Assert.Equal("unsupported_grant_type", (await JsonAsync(grant)).GetProperty("error").GetString());

        var repeated = await PostTokenAsync(_anonymous, ("grant_type", "password"), ("username", "a"), ("username", "b"), ("password", Password));
        Assert.Equal("invalid_request", (await JsonAsync(repeated)).GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("""{"username":"NAME","password":"correct-horse-battery","roles":["admin"]}""")]
    [InlineData("""{"username":"NAME","password":"correct-horse-battery","role":"admin"}""")]
    [InlineData("""{"username":"NAME","password":"correct-horse-battery","id":"x"}""")]
    public async Task Registration_refuses_server_owned_properties(string body)
    {
        var content = new StringContent(body.Replace("NAME", NewUsername()), Encoding.UTF8, "application/json");
        var response = await _anonymous.PostAsync("/auth/register", content);
        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Registering_a_taken_name_in_any_case_is_a_conflict()
    {
        var username = NewUsername();
        Assert.Equal(HttpStatusCode.Created, (await RegisterAsync(_anonymous, username)).StatusCode);
        await AssertProblemAsync(await RegisterAsync(_anonymous, username.ToUpperInvariant()), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Revoke_answers_200_for_garbage_and_ends_the_session_of_a_real_refresh_token()
    {
        var garbage = await _anonymous.PostAsync("/auth/revoke", new FormUrlEncodedContent([KeyValuePair.Create("token", "garbage")]));
        Assert.Equal(HttpStatusCode.OK, garbage.StatusCode);

        var user = await NewUserAsync(fixture.Api);
        var revoked = await _anonymous.PostAsync("/auth/revoke",
            new FormUrlEncodedContent([KeyValuePair.Create("token", user.Tokens.RefreshToken), KeyValuePair.Create("token_type_hint", "refresh_token")]));
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);

        var refresh = await PostTokenAsync(_anonymous, ("grant_type", "refresh_token"), ("refresh_token", user.Tokens.RefreshToken));
        Assert.Equal("invalid_grant", (await JsonAsync(refresh)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Discovery_documents_publish_the_endpoints_and_only_public_key_material()
    {
        var metadata = await JsonAsync(await _anonymous.GetAsync("/.well-known/oauth-authorization-server"));
        Assert.Equal(ApiFactory.Issuer, metadata.GetProperty("issuer").GetString());
        Assert.Equal($"{ApiFactory.Issuer}/auth/token", metadata.GetProperty("token_endpoint").GetString());
        Assert.Equal($"{ApiFactory.Issuer}/.well-known/jwks.json", metadata.GetProperty("jwks_uri").GetString());
        Assert.Equal(["password", "refresh_token"], metadata.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString()));

        var jwks = await JsonAsync(await _anonymous.GetAsync("/.well-known/jwks.json"));
        var key = Assert.Single(jwks.GetProperty("keys").EnumerateArray());
        Assert.Equal("EC", key.GetProperty("kty").GetString());
        Assert.Equal("P-256", key.GetProperty("crv").GetString());
        Assert.Equal("ES256", key.GetProperty("alg").GetString());
        Assert.Equal("sig", key.GetProperty("use").GetString());
        Assert.False(key.TryGetProperty("d", out _));
    }
}

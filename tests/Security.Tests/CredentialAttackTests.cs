using System.Net;
using AgentSilo.Security.Infrastructure;
using AgentSilo.Testing;
using static AgentSilo.Security.Infrastructure.Answers;

namespace AgentSilo.Security;

/// <summary>API keys, refresh tokens and scopes used beyond what they were given for.</summary>
[Collection(SecurityStackCollection.Name)]
public sealed class CredentialAttackTests(SecurityStackFixture fixture) : IDisposable
{
    private const string InvalidKey = "The API key is not valid.";

    private readonly Api _api = fixture.NewApi();

    public void Dispose() => _api.Client.Dispose();

    [Fact]
    public async Task A_revoked_api_key_is_401_on_the_very_next_request()
    {
        var user = await _api.SignUpAsync("revoker");
        var key = await ApiKeys.CreateAsync(_api, user, "chatbot:read");
        await _api.ExpectAsync(await SendAsync(_api, HttpMethod.Get, "/threads", apiKey: key), HttpStatusCode.OK);

        await _api.ExpectAsync(
            await _api.SendAsync(HttpMethod.Delete, $"/auth/api-keys/{ApiKeys.IdOf(key)}", user.AccessToken), HttpStatusCode.NoContent);

        await InvalidTokenAsync(_api, await SendAsync(_api, HttpMethod.Get, "/threads", apiKey: key), InvalidKey);
    }

    [Fact]
    public async Task An_expired_api_key_is_401()
    {
        var user = await _api.SignUpAsync("expirer");

        // The API allows any expiry later than now; a few seconds leave room for the request to arrive on a busy machine.
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(4);
        var created = await ApiKeys.CreateAsync(_api, user, new { name = "short", scopes = new[] { "chatbot:read" }, expiresAt });
        var key = created.GetProperty("key").GetString()!;
        var wait = expiresAt - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(500);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        await InvalidTokenAsync(_api, await SendAsync(_api, HttpMethod.Get, "/threads", apiKey: key), InvalidKey);
        var listed = await _api.ExpectAsync(await _api.GetAsync("/auth/api-keys", user.AccessToken), HttpStatusCode.OK);
        Assert.Empty(listed.GetProperty("items").EnumerateArray());
    }

    [Theory]
    [InlineData("wrong-secret")]
    [InlineData("other-user")]
    [InlineData("no-marker")]
    [InlineData("garbage")]
    [InlineData("empty")]
    public async Task A_tampered_or_made_up_api_key_is_401(string variant)
    {
        var user = await _api.SignUpAsync("tamper");
        var other = await _api.SignUpAsync("bystander");
        var key = await ApiKeys.CreateAsync(_api, user, "chatbot:read");
        var parts = key.Split('.');
        var attempt = variant switch
        {
            "wrong-secret" => $"{parts[0]}.{parts[1]}.{new string('A', parts[2].Length)}",
            "other-user" => $"{parts[0]}.{other.UserId}.{parts[2]}",
            "no-marker" => key["ask_".Length..],
            "garbage" => "ask_' OR 1=1 --",
            _ => "",
        };

        await InvalidTokenAsync(_api, await SendAsync(_api, HttpMethod.Get, "/threads", apiKey: attempt), InvalidKey);
    }

    [Fact]
    public async Task An_api_key_sent_as_a_bearer_token_is_401()
    {
        var user = await _api.SignUpAsync("confused");
        var key = await ApiKeys.CreateAsync(_api, user, "chatbot:read");
        await InvalidTokenAsync(_api, await SendAsync(_api, HttpMethod.Get, "/threads", bearer: key), "The access token is not valid.");
    }

    [Fact]
    public async Task A_bearer_token_and_an_api_key_together_are_400_invalid_request()
    {
        var user = await _api.SignUpAsync("both");
        var key = await ApiKeys.CreateAsync(_api, user, "chatbot:read");
        var response = await SendAsync(_api, HttpMethod.Get, "/threads", bearer: user.AccessToken, apiKey: key);
        await _api.ExpectProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("error=\"invalid_request\"", Assert.Single(response.Headers.WwwAuthenticate).Parameter);
    }

    [Fact]
    public async Task An_admins_api_key_cannot_reach_admin_routes()
    {
        var admin = await _api.SignInAdminAsync();
        var key = await ApiKeys.CreateAsync(_api, admin, "chatbot:read", "chatbot:write");

        await InsufficientScopeAsync(_api, await SendAsync(_api, HttpMethod.Get, "/admin/threads", apiKey: key), "admin");
        await InsufficientScopeAsync(_api, await SendAsync(_api, HttpMethod.Get, "/admin/audit", apiKey: key), "admin");
        await _api.ExpectProblemAsync(
            await _api.PostJsonAsync("/auth/api-keys", admin.AccessToken, new { name = "root", scopes = new[] { "admin" } }),
            HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("POST", "/auth/api-keys", """{"name":"child","scopes":["chatbot:read"]}""")]
    [InlineData("GET", "/auth/api-keys", null)]
    [InlineData("DELETE", "/auth/api-keys/{id}", null)]
    [InlineData("POST", "/auth/logout-all", null)]
    public async Task An_api_key_cannot_manage_keys_or_sessions(string method, string route, string? body)
    {
        var user = await _api.SignUpAsync("minter");
        var key = await ApiKeys.CreateAsync(_api, user, "chatbot:read", "chatbot:write");

        var response = await SendAsync(_api, new HttpMethod(method), route.Replace("{id}", ApiKeys.IdOf(key)), apiKey: key, json: body);

        var problem = await _api.ExpectProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Empty(response.Headers.WwwAuthenticate);
        Assert.Equal("An API key cannot manage API keys or sessions; use an access token.", problem.GetProperty("detail").GetString());
        var keys = await _api.ExpectAsync(await _api.GetAsync("/auth/api-keys", user.AccessToken), HttpStatusCode.OK);
        Assert.Single(keys.GetProperty("items").EnumerateArray());
        await _api.ExpectAsync(await _api.GetAsync("/threads", user.AccessToken), HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("chatbot:read chatbot:write admin")]
    public async Task Scope_widening_at_the_token_endpoint_is_invalid_scope(string scope)
    {
        var user = await _api.SignUpAsync("widener");
        await _api.ExpectTokenErrorAsync(
            await _api.TokenRequestAsync(("grant_type", "password"), ("username", user.Username), ("password", user.Password), ("scope", scope)),
            "invalid_scope");
    }

    [Theory]
    [InlineData("chatbot:write")]
    [InlineData("chatbot:read chatbot:write")]
    [InlineData("admin")]
    public async Task Scope_widening_on_refresh_is_invalid_scope_and_keeps_the_session(string scope)
    {
        var username = Api.NewUsername("narrow");
        await _api.RegisterAsync(username);
        var token = await _api.PasswordGrantAsync(username, scope: "chatbot:read");
        var refresh = token.GetProperty("refresh_token").GetString()!;

        await _api.ExpectTokenErrorAsync(
            await _api.TokenRequestAsync(("grant_type", "refresh_token"), ("refresh_token", refresh), ("scope", scope)), "invalid_scope");

        var again = await _api.ExpectAsync(
            await _api.TokenRequestAsync(("grant_type", "refresh_token"), ("refresh_token", refresh)), HttpStatusCode.OK);
        Assert.Equal("chatbot:read", again.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task A_reused_refresh_token_ends_the_whole_family()
    {
        var user = await _api.SignUpAsync("replayer");
        var rotated = await _api.ExpectAsync(
            await _api.TokenRequestAsync(("grant_type", "refresh_token"), ("refresh_token", user.RefreshToken)), HttpStatusCode.OK);
        var newAccess = rotated.GetProperty("access_token").GetString()!;

        await _api.ExpectTokenErrorAsync(
            await _api.TokenRequestAsync(("grant_type", "refresh_token"), ("refresh_token", user.RefreshToken)), "invalid_grant");

        await _api.ExpectTokenErrorAsync(
            await _api.TokenRequestAsync(("grant_type", "refresh_token"), ("refresh_token", rotated.GetProperty("refresh_token").GetString()!)),
            "invalid_grant");
        await InvalidTokenAsync(_api, await SendAsync(_api, HttpMethod.Get, "/threads", bearer: newAccess),
            "The session has ended or the user is disabled.");
        await InvalidTokenAsync(_api, await SendAsync(_api, HttpMethod.Get, "/threads", bearer: user.AccessToken),
            "The session has ended or the user is disabled.");
    }

    [Fact]
    public async Task Every_credential_of_a_disabled_user_stops_at_once()
    {
        var user = await _api.SignUpAsync("disabled");
        var key = await ApiKeys.CreateAsync(_api, user, "chatbot:read");
        var admin = await _api.SignInAdminAsync();
        await _api.ExpectAsync(
            await _api.SendAsync(HttpMethod.Post, $"/admin/users/{user.UserId}/disable", admin.AccessToken), HttpStatusCode.NoContent);

        await InvalidTokenAsync(_api, await SendAsync(_api, HttpMethod.Get, "/threads", bearer: user.AccessToken),
            "The session has ended or the user is disabled.");
        await InvalidTokenAsync(_api, await SendAsync(_api, HttpMethod.Get, "/users/me", bearer: user.AccessToken),
            "The session has ended or the user is disabled.");
        await InvalidTokenAsync(_api, await SendAsync(_api, HttpMethod.Get, "/threads", apiKey: key), InvalidKey);
        await _api.ExpectTokenErrorAsync(
            await _api.TokenRequestAsync(("grant_type", "refresh_token"), ("refresh_token", user.RefreshToken)), "invalid_grant");
        await _api.ExpectTokenErrorAsync(
            await _api.TokenRequestAsync(("grant_type", "password"), ("username", user.Username), ("password", user.Password)),
            "invalid_grant");

        // Enabling gives the account back, but none of the credentials from before: any of them may be why it was
        // disabled. The user signs in again and makes new keys.
        await _api.ExpectAsync(
            await _api.SendAsync(HttpMethod.Post, $"/admin/users/{user.UserId}/enable", admin.AccessToken), HttpStatusCode.NoContent);
        await InvalidTokenAsync(_api, await SendAsync(_api, HttpMethod.Get, "/threads", apiKey: key), InvalidKey);
        await InvalidTokenAsync(_api, await SendAsync(_api, HttpMethod.Get, "/threads", bearer: user.AccessToken),
            "The session has ended or the user is disabled.");
        await _api.ExpectTokenErrorAsync(
            await _api.TokenRequestAsync(("grant_type", "refresh_token"), ("refresh_token", user.RefreshToken)), "invalid_grant");
        var again = await _api.PasswordGrantAsync(user.Username);
        await _api.ExpectAsync(
            await SendAsync(_api, HttpMethod.Get, "/threads", bearer: again.GetProperty("access_token").GetString()!), HttpStatusCode.OK);
    }
}

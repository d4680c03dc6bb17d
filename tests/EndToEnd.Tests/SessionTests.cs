using System.Net;
using AgentSilo.EndToEnd.Infrastructure;

namespace AgentSilo.EndToEnd;

/// <summary>Scopes, refresh tokens and revocation, as a client sees them over HTTP.</summary>
[Collection(SharedStackCollection.Name)]
public sealed class SessionTests(SharedStackFixture fixture)
{
    private readonly Api _api = fixture.Api;

    [Fact]
    public async Task A_read_only_token_cannot_create_a_thread()
    {
        var username = Api.NewUsername("reader");
        await _api.RegisterAsync(username);
        var token = await _api.PasswordGrantAsync(username, scope: "chatbot:read");
        Assert.Equal("chatbot:read", token.GetProperty("scope").GetString());
        var accessToken = token.GetProperty("access_token").GetString()!;

        await _api.ExpectAsync(await _api.GetAsync("/threads", accessToken), HttpStatusCode.OK);

        var response = await _api.PostJsonAsync("/threads", accessToken, new { title = "not allowed" });
        await _api.ExpectAsync(response, HttpStatusCode.Forbidden);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate, c => c.Scheme == "Bearer");
        Assert.Contains("error=\"insufficient_scope\"", challenge.Parameter);
        Assert.Contains("scope=\"chatbot:write\"", challenge.Parameter);
    }

    [Fact]
    public async Task A_reused_refresh_token_revokes_its_whole_family()
    {
        var user = await _api.SignUpAsync("refresher");

        var refreshed = await _api.ExpectAsync(
            await _api.TokenRequestAsync(("grant_type", "refresh_token"), ("refresh_token", user.RefreshToken)),
            HttpStatusCode.OK);
        var secondRefreshToken = refreshed.GetProperty("refresh_token").GetString()!;
        Assert.NotEqual(user.RefreshToken, secondRefreshToken);
        var secondAccessToken = refreshed.GetProperty("access_token").GetString()!;
        await _api.ExpectAsync(await _api.GetAsync("/threads", secondAccessToken), HttpStatusCode.OK);

        // Replaying the first refresh token is what a thief would do: it fails, and so does the legitimate one now.
        await _api.ExpectTokenErrorAsync(
            await _api.TokenRequestAsync(("grant_type", "refresh_token"), ("refresh_token", user.RefreshToken)),
            "invalid_grant");
        await _api.ExpectTokenErrorAsync(
            await _api.TokenRequestAsync(("grant_type", "refresh_token"), ("refresh_token", secondRefreshToken)),
            "invalid_grant");
    }

    [Fact]
    public async Task Logout_all_ends_outstanding_access_and_refresh_tokens()
    {
        var user = await _api.SignUpAsync("leaver");
        await _api.ExpectAsync(await _api.GetAsync("/threads", user.AccessToken), HttpStatusCode.OK);

        await _api.ExpectAsync(
            await _api.SendAsync(HttpMethod.Post, "/auth/logout-all", user.AccessToken), HttpStatusCode.NoContent);

        await ExpectInvalidTokenAsync(await _api.GetAsync("/threads", user.AccessToken));
        await ExpectInvalidTokenAsync(await _api.GetAsync("/users/me", user.AccessToken));
        await _api.ExpectTokenErrorAsync(
            await _api.TokenRequestAsync(("grant_type", "refresh_token"), ("refresh_token", user.RefreshToken)),
            "invalid_grant");

        // Signing in again starts a new session that works.
        var again = await _api.PasswordGrantAsync(user.Username);
        await _api.ExpectAsync(
            await _api.GetAsync("/threads", again.GetProperty("access_token").GetString()!), HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_disabled_user_is_locked_out_at_once()
    {
        var user = await _api.SignUpAsync("suspended");
        var thread = await _api.CreateThreadAsync(user.AccessToken, "before");
        var admin = await _api.SignInAdminAsync();

        await _api.ExpectAsync(
            await _api.SendAsync(HttpMethod.Post, $"/admin/users/{user.UserId}/disable", admin.AccessToken),
            HttpStatusCode.NoContent);

        await ExpectInvalidTokenAsync(await _api.GetAsync("/threads", user.AccessToken));
        await ExpectInvalidTokenAsync(await _api.GetAsync($"/threads/{thread.GetProperty("id").GetString()}", user.AccessToken));
        await ExpectInvalidTokenAsync(await _api.GetAsync("/users/me", user.AccessToken));
        await _api.ExpectTokenErrorAsync(
            await _api.TokenRequestAsync(("grant_type", "password"), ("username", user.Username), ("password", user.Password)),
            "invalid_grant");
        await _api.ExpectTokenErrorAsync(
            await _api.TokenRequestAsync(("grant_type", "refresh_token"), ("refresh_token", user.RefreshToken)),
            "invalid_grant");

        // Enabling lets the user sign in again, but no credential from before the disable comes back.
        await _api.ExpectAsync(
            await _api.SendAsync(HttpMethod.Post, $"/admin/users/{user.UserId}/enable", admin.AccessToken),
            HttpStatusCode.NoContent);
        await ExpectInvalidTokenAsync(await _api.GetAsync("/threads", user.AccessToken));
        await _api.ExpectTokenErrorAsync(
            await _api.TokenRequestAsync(("grant_type", "refresh_token"), ("refresh_token", user.RefreshToken)),
            "invalid_grant");
        var again = await _api.PasswordGrantAsync(user.Username);
        await _api.ExpectAsync(
            await _api.GetAsync("/threads", again.GetProperty("access_token").GetString()!), HttpStatusCode.OK);
    }

    private async Task ExpectInvalidTokenAsync(HttpResponseMessage response)
    {
        await _api.ExpectAsync(response, HttpStatusCode.Unauthorized);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate, c => c.Scheme == "Bearer");
        Assert.Contains("error=\"invalid_token\"", challenge.Parameter);
    }
}

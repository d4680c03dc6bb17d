using System.Net;
using System.Text.Json;
using AgentSilo.Testing;
using AgentSilo.ExternalSignIn.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AgentSilo.ExternalSignIn;

/// <summary>
/// Single sign-on against two real OpenID providers: their users become local users on first sight, keyed by issuer
/// and subject, own threads, are subject to quota, roles and admin actions, and no token of one issuer is accepted
/// with another's keys. Every account id is fresh, so tests do not share users.
/// </summary>
[Collection(SsoStackCollection.Name)]
public sealed class ExternalSignInTests(SsoStackFixture fixture)
{
    private const string UserScopes = "openid profile chatbot:read chatbot:write";
    private readonly Api _api = fixture.Api;

    [Fact]
    public async Task First_sight_creates_a_local_user_who_owns_threads_that_others_cannot_see()
    {
        var account = NewAccount("staff");
        var token = await AccessTokenAsync(fixture.Alpha, account);

        var me = await _api.ExpectAsync(await _api.GetAsync("/users/me", token), HttpStatusCode.OK);
        var userId = me.GetProperty("userId").GetString()!;
        Assert.NotEqual(account, userId);
        Assert.Equal($"alpha:{account}", me.GetProperty("username").GetString());
        Assert.Equal(["user"], Strings(me.GetProperty("roles")));
        Assert.Equal(["chatbot:read", "chatbot:write"], Strings(me.GetProperty("scopes")));

        // The next token of the same person is the same local user.
        var again = await AccessTokenAsync(fixture.Alpha, account);
        var meAgain = await _api.ExpectAsync(await _api.GetAsync("/users/me", again), HttpStatusCode.OK);
        Assert.Equal(userId, meAgain.GetProperty("userId").GetString());

        var created = await _api.PostJsonAsync("/threads", token, new { title = "sso" });
        var thread = await _api.ExpectAsync(created, HttpStatusCode.Created);
        Assert.Equal(userId, thread.GetProperty("ownerId").GetString());
        Assert.True(created.Headers.Contains("X-RateLimit-Limit"), "an external user's requests are metered like anyone's");
        var threadId = thread.GetProperty("id").GetString()!;
        await _api.ExpectAsync(await _api.GetAsync($"/threads/{threadId}", again), HttpStatusCode.OK);

        var other = await AccessTokenAsync(fixture.Alpha, NewAccount("staff"));
        await _api.ExpectProblemAsync(await _api.GetAsync($"/threads/{threadId}", other), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_same_subject_from_two_issuers_is_two_different_users()
    {
        var account = NewAccount("staff");
        var fromAlpha = await AccessTokenAsync(fixture.Alpha, account);
        var fromBeta = await AccessTokenAsync(fixture.Beta, account);
        Assert.Equal(new JsonWebToken(fromAlpha).Subject, new JsonWebToken(fromBeta).Subject);

        var alphaUser = await _api.ExpectAsync(await _api.GetAsync("/users/me", fromAlpha), HttpStatusCode.OK);
        var betaUser = await _api.ExpectAsync(await _api.GetAsync("/users/me", fromBeta), HttpStatusCode.OK);
        Assert.NotEqual(alphaUser.GetProperty("userId").GetString(), betaUser.GetProperty("userId").GetString());
        Assert.Equal($"beta:{account}", betaUser.GetProperty("username").GetString());

        var thread = await _api.CreateThreadAsync(fromAlpha, "alpha's");
        await _api.ExpectProblemAsync(
            await _api.GetAsync($"/threads/{thread.GetProperty("id").GetString()}", fromBeta), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Roles_map_from_the_configured_claim_and_scopes_are_what_both_token_and_role_allow()
    {
        var admin = await AccessTokenAsync(fixture.Alpha, NewAccount("ops"), "openid chatbot:read chatbot:write admin");
        var adminMe = await _api.ExpectAsync(await _api.GetAsync("/users/me", admin), HttpStatusCode.OK);
        Assert.Equal(["admin"], Strings(adminMe.GetProperty("roles")));
        Assert.Equal(["chatbot:read", "chatbot:write", "admin"], Strings(adminMe.GetProperty("scopes")));
        await _api.ExpectAsync(await _api.GetAsync("/admin/threads", admin), HttpStatusCode.OK);

        // Staff asking the provider for admin gets a token with admin in it, but the role does not allow it here.
        var staff = await AccessTokenAsync(fixture.Alpha, NewAccount("staff"), "openid chatbot:read chatbot:write admin");
        Assert.Contains("admin", new JsonWebToken(staff).GetClaim("scope").Value.Split(' '));
        await ExpectInsufficientScopeAsync(await _api.GetAsync("/admin/threads", staff), "admin");

        var guest = await AccessTokenAsync(fixture.Alpha, NewAccount("readers"));
        var guestMe = await _api.ExpectAsync(await _api.GetAsync("/users/me", guest), HttpStatusCode.OK);
        Assert.Equal(["guest"], Strings(guestMe.GetProperty("roles")));
        Assert.Equal(["chatbot:read"], Strings(guestMe.GetProperty("scopes")));
        await ExpectInsufficientScopeAsync(await _api.PostJsonAsync("/threads", guest, new { title = "no" }), "chatbot:write");

        // Alpha gives unmapped users the default role; beta is configured to refuse them.
        var unmapped = await _api.ExpectAsync(
            await _api.GetAsync("/users/me", await AccessTokenAsync(fixture.Alpha, NewAccount("visitors"))), HttpStatusCode.OK);
        Assert.Equal(["user"], Strings(unmapped.GetProperty("roles")));
        await ExpectInvalidTokenAsync(
            await _api.GetAsync("/users/me", await AccessTokenAsync(fixture.Beta, NewAccount("visitors"))));
    }

    [Fact]
    public async Task A_token_for_another_audience_is_401()
    {
        var token = await AccessTokenAsync(fixture.Alpha, NewAccount("staff"), resource: "urn:another:api");
        Assert.Equal("urn:another:api", new JsonWebToken(token).Audiences.Single());
        await ExpectInvalidTokenAsync(await _api.GetAsync("/users/me", token));
    }

    [Fact]
    public async Task An_id_token_is_not_an_access_token()
    {
        // Alpha: refused by type (typ is not at+jwt) and audience (the client, not the API).
        var alpha = await fixture.Alpha.SignInAsync(NewAccount("staff"), SsoStackFixture.Audience, UserScopes);
        await ExpectInvalidTokenAsync(await _api.GetAsync("/users/me", alpha.IdToken));

        // Beta: plain JWT access tokens are allowed and its client is the API, so the ID token has the right
        // audience, issuer, signature and lifetime; only being an ID token (nonce) refuses it.
        var beta = await fixture.Beta.SignInAsync(NewAccount("staff"), SsoStackFixture.Audience, UserScopes);
        var idToken = new JsonWebToken(beta.IdToken);
        Assert.Equal(SsoStackFixture.Audience, idToken.Audiences.Single());
        Assert.True(idToken.TryGetClaim("nonce", out _));
        var refused = await _api.GetAsync("/users/me", beta.IdToken);
        await ExpectInvalidTokenAsync(refused);
        Assert.Contains("ID token", Assert.Single(refused.Headers.WwwAuthenticate).Parameter);
        await _api.ExpectAsync(await _api.GetAsync("/users/me", beta.AccessToken), HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_token_signed_by_one_provider_but_claiming_the_other_issuer_is_401()
    {
        var betaKey = fixture.Beta.PrivateSigningKeyJson();
        var betaKid = new JsonWebKey(betaKey).Kid;
        var account = NewAccount("staff");

        // Control: beta's own key with beta's own issuer is accepted, so the forging below is sound.
        await _api.ExpectAsync(
            await _api.GetAsync("/users/me", Forge(betaKey, betaKid, fixture.Beta.Issuer, account)), HttpStatusCode.OK);

        await ExpectInvalidTokenAsync(
            await _api.GetAsync("/users/me", Forge(betaKey, betaKid, fixture.Alpha.Issuer, account)));
        var alphaKid = new JsonWebKey(fixture.Alpha.PrivateSigningKeyJson()).Kid;
        await ExpectInvalidTokenAsync(
            await _api.GetAsync("/users/me", Forge(betaKey, alphaKid, fixture.Alpha.Issuer, account)));
    }

    [Fact]
    public async Task Roles_and_scopes_written_into_a_token_never_get_past_the_role_map()
    {
        var betaKey = fixture.Beta.PrivateSigningKeyJson();
        var token = Forge(betaKey, new JsonWebKey(betaKey).Kid, fixture.Beta.Issuer, NewAccount("staff"), new Dictionary<string, object>
        {
            ["roles"] = new[] { "admin" },
            ["scope"] = "chatbot:read chatbot:write admin",
            ["name"] = "admin",
        });

        var me = await _api.ExpectAsync(await _api.GetAsync("/users/me", token), HttpStatusCode.OK);
        Assert.Equal(["user"], Strings(me.GetProperty("roles")));
        Assert.Equal(["chatbot:read", "chatbot:write"], Strings(me.GetProperty("scopes")));
        await ExpectInsufficientScopeAsync(await _api.GetAsync("/admin/threads", token), "admin");
    }

    [Fact]
    public async Task A_token_of_a_provider_that_cannot_be_reached_is_401_not_500()
    {
        var betaKey = fixture.Beta.PrivateSigningKeyJson();
        var token = Forge(betaKey, new JsonWebKey(betaKey).Kid, fixture.UnreachableIssuer, NewAccount("staff"));

        // Without the provider's keys the token cannot prove itself: 401, and the next request tries discovery again.
        await ExpectInvalidTokenAsync(await _api.GetAsync("/users/me", token));
        await ExpectInvalidTokenAsync(await _api.GetAsync("/threads", token));
    }

    [Fact]
    public async Task Disabling_an_external_user_locks_it_out_at_once()
    {
        var account = NewAccount("staff");
        var token = await AccessTokenAsync(fixture.Alpha, account);
        var me = await _api.ExpectAsync(await _api.GetAsync("/users/me", token), HttpStatusCode.OK);
        var userId = me.GetProperty("userId").GetString()!;
        var admin = await _api.SignInAdminAsync();

        await _api.ExpectAsync(
            await _api.SendAsync(HttpMethod.Post, $"/admin/users/{userId}/disable", admin.AccessToken), HttpStatusCode.NoContent);

        await ExpectInvalidTokenAsync(await _api.GetAsync("/threads", token));
        await ExpectInvalidTokenAsync(await _api.GetAsync("/users/me", await AccessTokenAsync(fixture.Alpha, account)));

        await _api.ExpectAsync(
            await _api.SendAsync(HttpMethod.Post, $"/admin/users/{userId}/enable", admin.AccessToken), HttpStatusCode.NoContent);
        await _api.ExpectAsync(await _api.GetAsync("/threads", token), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Logout_all_ends_the_external_users_outstanding_tokens_and_password_sign_in_never_works()
    {
        var account = NewAccount("staff");
        var token = await AccessTokenAsync(fixture.Alpha, account);
        var me = await _api.ExpectAsync(await _api.GetAsync("/users/me", token), HttpStatusCode.OK);

        await _api.ExpectAsync(await _api.SendAsync(HttpMethod.Post, "/auth/logout-all", token), HttpStatusCode.NoContent);
        await ExpectInvalidTokenAsync(await _api.GetAsync("/threads", token));

        // Tokens are compared in whole seconds of iat: one issued in a later second is a new sign-in.
        var loggedOutAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        while (DateTimeOffset.UtcNow.ToUnixTimeSeconds() <= loggedOutAt)
        {
            await Task.Delay(100);
        }

        var fresh = await AccessTokenAsync(fixture.Alpha, account);
        await _api.ExpectAsync(await _api.GetAsync("/threads", fresh), HttpStatusCode.OK);

        await _api.ExpectTokenErrorAsync(
            await _api.TokenRequestAsync(
                ("grant_type", "password"), ("username", me.GetProperty("username").GetString()!), ("password", Api.Password)),
            "invalid_grant");
    }

    private static string NewAccount(string group) => $"{group}-{Guid.NewGuid():N}"[..(group.Length + 13)];

    private static async Task<string> AccessTokenAsync(
        OidcProvider provider, string account, string scope = UserScopes, string resource = SsoStackFixture.Audience) =>
        (await provider.SignInAsync(account, resource, scope)).AccessToken;

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    /// <summary>An access token signed with <paramref name="key"/> that is otherwise exactly what a provider issues.</summary>
    private static string Forge(
        string privateJwk, string kid, string issuer, string subject, Dictionary<string, object>? extraClaims = null)
    {
        var claims = new Dictionary<string, object>
        {
            ["sub"] = subject,
            ["scope"] = "chatbot:read chatbot:write",
            ["client_id"] = "agentsilo-sso-tests",
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["groups"] = new[] { "staff" },
        };
        foreach (var (type, value) in extraClaims ?? [])
        {
            claims[type] = value;
        }

        var signingKey = new JsonWebKey(privateJwk) { Kid = kid };
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = SsoStackFixture.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(5),
            TokenType = "at+jwt",
            SigningCredentials = new SigningCredentials(signingKey, signingKey.Alg),
            Claims = claims,
        });
    }

    private async Task ExpectInvalidTokenAsync(HttpResponseMessage response)
    {
        await _api.ExpectProblemAsync(response, HttpStatusCode.Unauthorized);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.StartsWith("error=\"invalid_token\"", challenge.Parameter);
    }

    private async Task ExpectInsufficientScopeAsync(HttpResponseMessage response, string scope)
    {
        await _api.ExpectProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Equal($"error=\"insufficient_scope\", scope=\"{scope}\"", Assert.Single(response.Headers.WwwAuthenticate).Parameter);
    }
}

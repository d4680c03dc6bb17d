using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using AgentSilo.Api.Tests.Infrastructure;
using static AgentSilo.Api.Tests.Infrastructure.ApiCalls;

namespace AgentSilo.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class TokenValidationTests(ApiFixture fixture)
{
    public static TheoryData<string> BadTokens => ["forged", "expired", "audience", "issuer", "alg-none", "typ-jwt", "garbage"];

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_bad_token_is_401_invalid_token(string kind)
    {
        var user = await NewUserAsync(fixture.Api);
        var forge = new TokenForge(fixture.Api, user.Tokens.AccessToken);
        var token = kind switch
        {
            "forged" => forge.Sign(forge.ImpostorKey),
            "expired" => forge.Sign(forge.RealKey, expires: DateTime.UtcNow.AddMinutes(-2)),
            "audience" => forge.Sign(forge.RealKey, audience: "someone-else"),
            "issuer" => forge.Sign(forge.RealKey, issuer: "http://evil.test"),
            "alg-none" => forge.Unsigned(),
            "typ-jwt" => forge.Sign(forge.RealKey, type: "JWT"),
            _ => "not-a-jwt",
        };

        var response = await WithBearer(fixture.Api, token).GetAsync("/users/me");

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.StartsWith("error=\"invalid_token\"", challenge.Parameter);
    }

    [Fact]
    public async Task The_genuine_token_signed_by_the_same_key_is_accepted()
    {
        var user = await NewUserAsync(fixture.Api);
        var forge = new TokenForge(fixture.Api, user.Tokens.AccessToken);
        var response = await WithBearer(fixture.Api, forge.Sign(forge.RealKey)).GetAsync("/users/me");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task No_token_is_401_with_a_plain_bearer_challenge()
    {
        var response = await fixture.Api.CreateClient().GetAsync("/threads");
        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Null(challenge.Parameter);
    }

    [Fact]
    public async Task A_read_only_token_cannot_write_and_is_told_which_scope_is_missing()
    {
        var reader = await NewUserAsync(fixture.Api, scope: "chatbot:read");
        Assert.Equal(HttpStatusCode.OK, (await reader.Client.GetAsync("/threads")).StatusCode);

        var response = await reader.Client.PostAsJsonAsync("/threads", new { title = "nope" });

        await AssertProblemAsync(response, HttpStatusCode.Forbidden);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Equal("error=\"insufficient_scope\", scope=\"chatbot:write\"", challenge.Parameter);
    }

    [Fact]
    public async Task A_token_in_the_query_string_is_refused_as_invalid_request()
    {
        var user = await NewUserAsync(fixture.Api);
        var response = await fixture.Api.CreateClient().GetAsync($"/users/me?access_token={user.Tokens.AccessToken}");
        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("error=\"invalid_request\"", Assert.Single(response.Headers.WwwAuthenticate).Parameter);
    }

    [Fact]
    public async Task A_bearer_token_together_with_an_api_key_is_refused_as_invalid_request()
    {
        var user = await NewUserAsync(fixture.Api);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/users/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.Tokens.AccessToken);
        request.Headers.Add("X-API-Key", "something");
        var response = await fixture.Api.CreateClient().SendAsync(request);
        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }
}

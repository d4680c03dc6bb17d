using System.Net;
using AgentSilo.Api.Tests.Infrastructure;
using static AgentSilo.Api.Tests.Infrastructure.ApiCalls;

namespace AgentSilo.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class SessionTests(ApiFixture fixture)
{
    [Fact]
    public async Task Logout_all_stops_the_access_token_on_the_next_request_and_every_refresh_token()
    {
        var user = await NewUserAsync(fixture.Api);
        var other = await LoginAsync(fixture.Api.CreateClient(), user.Username);
        Assert.Equal(HttpStatusCode.OK, (await user.Client.GetAsync("/users/me")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.PostAsync("/auth/logout-all", null)).StatusCode);

        var next = await user.Client.GetAsync("/users/me");
        await AssertProblemAsync(next, HttpStatusCode.Unauthorized);
        Assert.Equal("error=\"invalid_token\", error_description=\"The session has ended or the user is disabled.\"",
            Assert.Single(next.Headers.WwwAuthenticate).Parameter);
        Assert.Equal(HttpStatusCode.Unauthorized, (await WithBearer(fixture.Api, other.AccessToken).GetAsync("/threads")).StatusCode);
        var refresh = await PostTokenAsync(fixture.Api.CreateClient(), ("grant_type", "refresh_token"), ("refresh_token", other.RefreshToken));
        Assert.Equal("invalid_grant", (await JsonAsync(refresh)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Logout_all_needs_a_token()
    {
        var response = await fixture.Api.CreateClient().PostAsync("/auth/logout-all", null);
        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }
}

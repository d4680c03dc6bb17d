using System.Net;
using AgentSilo.Api.Tests.Infrastructure;
using static AgentSilo.Api.Tests.Infrastructure.ApiCalls;

namespace AgentSilo.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class LimitTests(ApiFixture fixture)
{
    [Fact]
    public async Task Metered_answers_carry_rate_limit_headers_and_an_empty_bucket_is_429_with_retry_after()
    {
        var user = await NewUserAsync(fixture.SmallQuotaApi);
        var first = await user.Client.GetAsync("/threads");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(ApiFixture.SmallQuotaCapacity.ToString(), first.Headers.GetValues("X-RateLimit-Limit").Single());
        Assert.Equal((ApiFixture.SmallQuotaCapacity - 1).ToString(), first.Headers.GetValues("X-RateLimit-Remaining").Single());
        Assert.True(int.Parse(first.Headers.GetValues("X-RateLimit-Reset").Single()) > 0);

        HttpResponseMessage last = first;
        for (var i = 1; i <= ApiFixture.SmallQuotaCapacity; i++)
        {
            last = await user.Client.GetAsync("/threads");
        }

        await AssertProblemAsync(last, HttpStatusCode.TooManyRequests);
        Assert.True(last.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal("0", last.Headers.GetValues("X-RateLimit-Remaining").Single());

        // /users/me is not metered: an empty bucket does not lock the user out of their profile.
        Assert.Equal(HttpStatusCode.OK, (await user.Client.GetAsync("/users/me")).StatusCode);
    }

    [Fact]
    public async Task Too_many_login_attempts_are_429_with_retry_after()
    {
        await using var strict = new ApiFactory(ApiFactory.Settings(fixture.Storage, fixture.MainClusterId, loginPermitsPerMinute: 3));
        var client = strict.CreateClient();
        var username = NewUsername();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
        {
            last = await PostTokenAsync(client, ("grant_type", "password"), ("username", username), ("password", Password));
        }

        await AssertProblemAsync(last!, HttpStatusCode.TooManyRequests);
        Assert.True(last!.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        await AssertProblemAsync(await RegisterAsync(client, NewUsername()), HttpStatusCode.TooManyRequests);
    }
}

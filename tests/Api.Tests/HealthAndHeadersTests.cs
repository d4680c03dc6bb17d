using System.Net;
using AgentSilo.Api.Tests.Infrastructure;
using static AgentSilo.Api.Tests.Infrastructure.ApiCalls;

namespace AgentSilo.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class HealthAndHeadersTests(ApiFixture fixture)
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_probes_answer_200_without_authentication(string path)
    {
        var response = await fixture.Api.CreateClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Every_answer_carries_nosniff()
    {
        var user = await NewUserAsync(fixture.Api);
        var anonymous = fixture.Api.CreateClient();
        var responses = new[]
        {
            await anonymous.GetAsync("/health/live"),
            await anonymous.GetAsync("/threads"),
            await anonymous.GetAsync("/no/such/route"),
            await PostTokenAsync(anonymous, ("grant_type", "password")),
            await user.Client.GetAsync("/threads"),
            await user.Client.GetAsync("/threads?limit=0"),
            await user.Client.GetAsync($"/threads/{Guid.NewGuid():N}"),
        };
        Assert.All(responses, r => Assert.Equal("nosniff", r.Headers.GetValues("X-Content-Type-Options").Single()));
    }

    [Fact]
    public async Task An_unknown_route_is_a_problem_details_404()
    {
        await AssertProblemAsync(await fixture.Api.CreateClient().GetAsync("/no/such/route"), HttpStatusCode.NotFound);
    }
}

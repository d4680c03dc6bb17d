using System.Net;
using System.Net.Http.Json;
using AgentSilo.Api.Tests.Infrastructure;
using static AgentSilo.Api.Tests.Infrastructure.ApiCalls;

namespace AgentSilo.Api.Tests;

/// <summary>Error answers are problem details whatever the client accepts: never a 500, a stack trace or an echoed token.</summary>
[Collection(ApiCollection.Name)]
public sealed class ProblemAnswerTests(ApiFixture fixture)
{
    [Theory]
    [InlineData("text/event-stream")]
    [InlineData("text/html")]
    [InlineData("application/xml")]
    public async Task Errors_are_problem_json_even_when_the_client_accepts_only_something_else(string accept)
    {
        var owner = await NewUserAsync(fixture.Api);
        var stranger = await NewUserAsync(fixture.Api);
        var threadId = await CreateThreadAsync(owner.Client);
        var anonymous = fixture.Api.CreateClient();
        var cases = new (HttpClient Client, Func<HttpRequestMessage> Request, HttpStatusCode Status)[]
        {
            (anonymous, () => new(HttpMethod.Get, "/threads"), HttpStatusCode.Unauthorized),
            (stranger.Client, () => new(HttpMethod.Get, $"/threads/{threadId}"), HttpStatusCode.NotFound),
            (stranger.Client, () => Post($"/threads/{threadId}/messages", new { content = "hello" }), HttpStatusCode.NotFound),
            (owner.Client, () => Post($"/threads/{threadId}/messages", new { content = "" }), HttpStatusCode.BadRequest),
            (owner.Client, () => new(HttpMethod.Get, "/admin/threads"), HttpStatusCode.Forbidden),
            (anonymous, () => new(HttpMethod.Get, "/no/such/route"), HttpStatusCode.NotFound),
            (anonymous, () => Post("/auth/register", new { username = "x" }), HttpStatusCode.BadRequest),
        };

        foreach (var (client, makeRequest, status) in cases)
        {
            using var request = makeRequest();
            request.Headers.Accept.ParseAdd(accept);
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(status == response.StatusCode, $"{request.Method} {request.RequestUri}: {(int)response.StatusCode} {body}");
            await AssertProblemAsync(response, status);
            Assert.DoesNotContain("Bearer ", body, StringComparison.Ordinal);
            Assert.DoesNotContain(" at AgentSilo", body, StringComparison.Ordinal);
        }
    }

    private static HttpRequestMessage Post(string path, object body) =>
        new(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
}

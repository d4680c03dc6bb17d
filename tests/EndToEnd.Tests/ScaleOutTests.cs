using System.Net;
using System.Net.Http.Headers;
using AgentSilo.EndToEnd.Infrastructure;
using AgentSilo.Testing;

namespace AgentSilo.EndToEnd;

/// <summary>
/// More instances started on other ports join the cluster through the membership table in storage, and the
/// quota stays one bucket per user however many API instances answer (DESIGN.md, decisions 2 and 5).
/// </summary>
public sealed class ScaleOutTests(SmallQuotaFixture fixture) : IClassFixture<SmallQuotaFixture>
{
    private readonly Api _api = new(fixture.Stack);

    [Fact]
    public async Task A_second_silo_and_a_second_api_join_and_the_users_bucket_is_shared_by_both_apis()
    {
        var stack = fixture.Stack;
        await stack.StartAnotherSiloAsync();
        var secondApi = await stack.StartAnotherApiAsync();
        Assert.Equal(2, await Membership.CountActiveAsync(stack));

        var user = await _api.SignUpAsync("scaled");
        using var second = new HttpClient { BaseAddress = secondApi };
        var apis = new[] { stack.Client, second };

        // Alternating between the two instances: one shared bucket of Capacity empties after about Capacity
        // requests; a bucket per instance would let about twice as many through.
        var started = DateTime.UtcNow;
        var admitted = 0;
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 4 * SmallQuotaFixture.Capacity && limited is null; i++)
        {
            var response = await GetThreadsAsync(apis[i % 2], user.AccessToken);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
            else
            {
                await _api.ExpectAsync(response, HttpStatusCode.OK);
                admitted++;
            }
        }

        var refilled = (int)Math.Ceiling((DateTime.UtcNow - started).TotalSeconds); // Quota__RefillPerSecond is 1.
        Assert.NotNull(limited);
        await _api.ExpectProblemAsync(limited, HttpStatusCode.TooManyRequests);
        Assert.InRange(admitted, SmallQuotaFixture.Capacity, SmallQuotaFixture.Capacity + refilled);

        // Both instances serve the same data: a thread created through one is read through the other. The bucket
        // first refills enough for those two requests.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var created = await _api.CreateThreadAsync(user.AccessToken, "made on the first API");
        var id = created.GetProperty("id").GetString()!;
        using var read = new HttpRequestMessage(HttpMethod.Get, $"/threads/{id}");
        read.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.AccessToken);
        var readBack = await _api.ExpectAsync(await second.SendAsync(read), HttpStatusCode.OK);
        Assert.Equal("made on the first API", readBack.GetProperty("title").GetString());
    }

    private static Task<HttpResponseMessage> GetThreadsAsync(HttpClient client, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/threads");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.SendAsync(request);
    }
}

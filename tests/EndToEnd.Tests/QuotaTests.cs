using System.Globalization;
using System.Net;
using AgentSilo.EndToEnd.Infrastructure;
using AgentSilo.Testing;

namespace AgentSilo.EndToEnd;

/// <summary>A stack whose users get a bucket of five requests, set the way an operator would: Quota__Capacity.</summary>
public sealed class SmallQuotaFixture : IAsyncLifetime
{
    public const int Capacity = 5;

    private ServiceStack? _stack;

    public ServiceStack Stack => _stack ?? throw new InvalidOperationException("The stack has not started.");

    public async Task InitializeAsync() =>
        _stack = await ServiceStack.StartAsync(
            "quota",
            new Dictionary<string, string>
            {
                ["Quota__Capacity"] = Capacity.ToString(CultureInfo.InvariantCulture),
                ["Quota__RefillPerSecond"] = "1",
            });

    public async Task DisposeAsync()
    {
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }
    }
}

public sealed class QuotaTests(SmallQuotaFixture fixture) : IClassFixture<SmallQuotaFixture>
{
    private readonly Api _api = new(fixture.Stack);

    [Fact]
    public async Task An_empty_bucket_answers_429_with_retry_after_and_rate_limit_headers()
    {
        var user = await _api.SignUpAsync("greedy");
        var secondSignIn = await _api.PasswordGrantAsync(user.Username);
        var secondToken = secondSignIn.GetProperty("access_token").GetString()!;

        var first = await _api.GetAsync("/threads", user.AccessToken);
        await _api.ExpectAsync(first, HttpStatusCode.OK);
        Assert.Equal(SmallQuotaFixture.Capacity, Header(first, "X-RateLimit-Limit"));
        Assert.Equal(SmallQuotaFixture.Capacity - 1, Header(first, "X-RateLimit-Remaining"));
        Assert.True(Header(first, "X-RateLimit-Reset") >= 0);

        // The bucket refills one token a second; requests back to back empty it within a few more.
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 4 * SmallQuotaFixture.Capacity && limited is null; i++)
        {
            var response = await _api.GetAsync("/threads", user.AccessToken);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
            else
            {
                await _api.ExpectAsync(response, HttpStatusCode.OK);
            }
        }

        Assert.NotNull(limited);
        await _api.ExpectProblemAsync(limited, HttpStatusCode.TooManyRequests);
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.True(retryAfter >= TimeSpan.FromSeconds(1), $"Retry-After is {retryAfter}");
        Assert.Equal(SmallQuotaFixture.Capacity, Header(limited, "X-RateLimit-Limit"));
        Assert.Equal(0, Header(limited, "X-RateLimit-Remaining"));
        Assert.True(Header(limited, "X-RateLimit-Reset") >= 1);

        // The bucket is the user's, not the token's: the second sign-in does not have a fresh one. (About one token
        // refills while these run; with a bucket of its own all three would pass.)
        HttpResponseMessage? limitedAgain = null;
        for (var i = 0; i < 3; i++)
        {
            var response = await _api.GetAsync("/threads", secondToken);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limitedAgain = response;
            }
        }

        Assert.NotNull(limitedAgain);
        await _api.ExpectProblemAsync(limitedAgain, HttpStatusCode.TooManyRequests);

        // Another user is not affected.
        var other = await _api.SignUpAsync("patient");
        await _api.ExpectAsync(await _api.GetAsync("/threads", other.AccessToken), HttpStatusCode.OK);

        // After waiting as told, the user may go on.
        var wait = limitedAgain.Headers.RetryAfter?.Delta;
        Assert.NotNull(wait);
        await Task.Delay(wait.Value + TimeSpan.FromMilliseconds(300));
        await _api.ExpectAsync(await _api.GetAsync("/threads", secondToken), HttpStatusCode.OK);
    }

    private static int Header(HttpResponseMessage response, string name)
    {
        Assert.True(response.Headers.TryGetValues(name, out var values), $"{name} is missing");
        return int.Parse(Assert.Single(values), CultureInfo.InvariantCulture);
    }
}

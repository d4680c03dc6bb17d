using System.Globalization;
using System.Net;
using AgentSilo.EndToEnd.Infrastructure;

namespace AgentSilo.EndToEnd;

/// <summary>
/// A stack whose users get a bucket of five requests and a small daily model-token budget, set the way an operator
/// would: Quota__Capacity, Quota__ModelTokensPerDay.
/// </summary>
public sealed class SmallQuotaFixture : IAsyncLifetime
{
    public const int Capacity = 5;

    /// <summary>Less than one post of <see cref="QuotaTests.BudgetBreakingContentLength"/> characters costs the offline team.</summary>
    public const int ModelTokensPerDay = 3_000;

    private ServiceStack? _stack;

    public ServiceStack Stack => _stack ?? throw new InvalidOperationException("The stack has not started.");

    public async Task InitializeAsync() =>
        _stack = await ServiceStack.StartAsync(
            "quota",
            new Dictionary<string, string>
            {
                ["Quota__Capacity"] = Capacity.ToString(CultureInfo.InvariantCulture),
                ["Quota__RefillPerSecond"] = "1",
                ["Quota__ModelTokensPerDay"] = ModelTokensPerDay.ToString(CultureInfo.InvariantCulture),
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
    /// <summary>About 2,000 tokens of input for each of the two default agents: one such post spends the day's budget.</summary>
    public const int BudgetBreakingContentLength = 8_000;

    private readonly Api _api = new(fixture.Stack);

    [Fact]
    public async Task A_spent_model_token_budget_answers_429_until_midnight_utc_and_stores_nothing()
    {
        var user = await _api.SignUpAsync("talker");
        var thread = await _api.CreateThreadAsync(user.AccessToken, "Budget");
        var threadId = thread.GetProperty("id").GetString()!;

        // The budget is not spent when this turn starts, so it runs in full; its cost passes the day's budget.
        var first = await _api.PostMessageAsync(user.AccessToken, threadId, new string('a', BudgetBreakingContentLength));
        Assert.True(first.Length >= 3, "the user's message and one reply per agent");

        var refused = await _api.SendAsync(
            HttpMethod.Post, $"/threads/{threadId}/messages", user.AccessToken, new { content = "one more question" });
        await _api.ExpectProblemAsync(refused, HttpStatusCode.TooManyRequests);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        var now = DateTimeOffset.UtcNow;
        var untilMidnight = now.UtcDateTime.Date.AddDays(1) - now.UtcDateTime;
        Assert.InRange(retryAfter.Value, untilMidnight - TimeSpan.FromMinutes(2), untilMidnight + TimeSpan.FromSeconds(5));

        // Nothing of the refused post was stored, and reading is not limited by the model budget.
        var after = await _api.ExpectAsync(await _api.GetAsync($"/threads/{threadId}", user.AccessToken), HttpStatusCode.OK);
        Assert.Equal(first.Length, after.GetProperty("messageCount").GetInt32());
    }

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

using System.Net;
using AgentSilo.Security.Infrastructure;
using AgentSilo.Testing;

namespace AgentSilo.Security;

/// <summary>
/// Password guessing and account enumeration. The stack allows <see cref="SecurityStackFixture.FreeFailures"/>
/// failures per account and per address, then locks for <see cref="SecurityStackFixture.FirstLockoutSeconds"/>
/// (doubling, capped at twice that); the lockout arithmetic itself is unit-tested on a manual clock.
/// </summary>
[Collection(SecurityStackCollection.Name)]
public sealed class LoginAttackTests(SecurityStackFixture fixture)
{
    private const string WrongPassword = "not-the-right-password";

    [Fact]
    public async Task Guessing_one_accounts_password_from_many_addresses_locks_that_account_briefly()
    {
        var setup = fixture.NewApi();
        var victim = await setup.SignUpAsync("guessed");

        for (var i = 0; i <= SecurityStackFixture.FreeFailures; i++)
        {
            await setup.ExpectTokenErrorAsync(await GuessAsync(fixture.NewApi(), victim.Username, WrongPassword), "invalid_grant");
        }

        // Locked now for every address, even with the right password, and for a short while only.
        var locked = await GuessAsync(fixture.NewApi(), victim.Username, victim.Password);
        await setup.ExpectProblemAsync(locked, HttpStatusCode.TooManyRequests);
        var retryAfter = locked.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, SecurityStackFixture.FirstLockoutSeconds);
        Assert.Contains("no-store", locked.Headers.CacheControl?.ToString() ?? "");

        // Someone else's account is not affected.
        var bystander = await setup.SignUpAsync("bystander");
        await setup.ExpectAsync(await GuessAsync(fixture.NewApi(), bystander.Username, bystander.Password), HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_unknown_account_locks_exactly_like_a_real_one()
    {
        var setup = fixture.NewApi();
        var real = await setup.SignUpAsync("real");
        var unknown = Api.NewUsername("ghost");
        var answers = new List<(int Status, string Body)>();
        foreach (var name in new[] { real.Username, unknown })
        {
            for (var i = 0; i <= SecurityStackFixture.FreeFailures + 1; i++)
            {
                var response = await GuessAsync(fixture.NewApi(), name, WrongPassword);
                answers.Add(((int)response.StatusCode, await response.Content.ReadAsStringAsync()));
            }
        }

        var perName = SecurityStackFixture.FreeFailures + 2;
        Assert.Equal(answers.Take(perName).Select(a => a.Status), answers.Skip(perName).Select(a => a.Status));
        Assert.Equal(429, answers[^1].Status);
        Assert.Equal(answers[0].Body, answers[perName].Body);
    }

    [Fact]
    public async Task Guessing_many_accounts_from_one_address_locks_that_address_only()
    {
        var setup = fixture.NewApi();
        var honest = await setup.SignUpAsync("honest");
        var attacker = fixture.NewApi();

        for (var i = 0; i <= SecurityStackFixture.FreeFailures; i++)
        {
            await attacker.ExpectTokenErrorAsync(await GuessAsync(attacker, Api.NewUsername("spray"), WrongPassword), "invalid_grant");
        }

        var locked = await GuessAsync(attacker, honest.Username, honest.Password);
        await attacker.ExpectProblemAsync(locked, HttpStatusCode.TooManyRequests);
        Assert.InRange(locked.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, SecurityStackFixture.FirstLockoutSeconds);

        await setup.ExpectAsync(await GuessAsync(fixture.NewApi(), honest.Username, honest.Password), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Wrong_password_unknown_user_and_disabled_user_get_one_answer()
    {
        var api = fixture.NewApi();
        var user = await api.SignUpAsync("same");
        var disabled = await api.SignUpAsync("off");
        var admin = await api.SignInAdminAsync();
        await api.ExpectAsync(
            await api.SendAsync(HttpMethod.Post, $"/admin/users/{disabled.UserId}/disable", admin.AccessToken), HttpStatusCode.NoContent);

        var wrong = await GuessAsync(fixture.NewApi(), user.Username, WrongPassword);
        var unknown = await GuessAsync(fixture.NewApi(), Api.NewUsername("nobody"), WrongPassword);
        var off = await GuessAsync(fixture.NewApi(), disabled.Username, disabled.Password);

        var body = await wrong.Content.ReadAsStringAsync();
        foreach (var response in new[] { wrong, unknown, off })
        {
            await api.ExpectTokenErrorAsync(response, "invalid_grant");
            Assert.Equal(body, await response.Content.ReadAsStringAsync());
        }
    }

    [Theory]
    [InlineData("password1234")]
    [InlineData("QWERTY123456")]
    [InlineData("123456789012")]
    [InlineData("1qaz2wsx3edc")]
    public async Task Registration_refuses_a_common_password(string password)
    {
        var api = fixture.NewApi();
        var username = Api.NewUsername("lazy");
        var response = await api.SendAsync(HttpMethod.Post, "/auth/register", json: new { username, password });
        var problem = await api.ExpectProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("commonly used", problem.GetProperty("detail").GetString());
        await api.ExpectTokenErrorAsync(
            await api.TokenRequestAsync(("grant_type", "password"), ("username", username), ("password", password)), "invalid_grant");
    }

    [Fact]
    public async Task Registration_says_taken_and_nothing_more()
    {
        var api = fixture.NewApi();
        var user = await api.SignUpAsync("taken");
        var response = await api.SendAsync(HttpMethod.Post, "/auth/register",
            json: new { username = user.Username.ToUpperInvariant(), password = "another-long-password" });
        var problem = await api.ExpectProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal("The username is taken.", problem.GetProperty("detail").GetString());
        Assert.DoesNotContain(user.UserId, await response.Content.ReadAsStringAsync());
    }

    private static Task<HttpResponseMessage> GuessAsync(Api api, string username, string password) =>
        api.TokenRequestAsync(("grant_type", "password"), ("username", username), ("password", password));
}

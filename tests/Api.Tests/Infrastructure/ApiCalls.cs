using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace AgentSilo.Api.Tests.Infrastructure;

public sealed record TokenSet(string AccessToken, string RefreshToken, string Scope);

public sealed record SignedInUser(HttpClient Client, string UserId, string Username, TokenSet Tokens);

/// <summary>What a client does to get going: register, sign in, call with a bearer token.</summary>
public static class ApiCalls
{
    public const string Password = "correct-horse-battery";

    public static string NewUsername() => "u" + Guid.NewGuid().ToString("N")[..12];

    public static async Task<HttpResponseMessage> RegisterAsync(HttpClient client, string username, string password = Password) =>
        await client.PostAsJsonAsync("/auth/register", new { username, password });

    public static Task<HttpResponseMessage> PostTokenAsync(HttpClient client, params (string Name, string Value)[] form) =>
        client.PostAsync("/auth/token", new FormUrlEncodedContent(form.Select(p => KeyValuePair.Create(p.Name, p.Value))));

    public static async Task<TokenSet> LoginAsync(HttpClient client, string username, string password = Password, string? scope = null)
    {
        var form = new List<(string, string)> { ("grant_type", "password"), ("username", username), ("password", password) };
        if (scope is not null)
        {
            form.Add(("scope", scope));
        }

        var response = await PostTokenAsync(client, [.. form]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return ToTokens(await JsonAsync(response));
    }

    public static TokenSet ToTokens(JsonElement json) => new(
        json.GetProperty("access_token").GetString()!,
        json.GetProperty("refresh_token").GetString()!,
        json.GetProperty("scope").GetString()!);

    public static async Task<SignedInUser> NewUserAsync(ApiFactory factory, string? scope = null)
    {
        var anonymous = factory.CreateClient();
        var username = NewUsername();
        var registered = await RegisterAsync(anonymous, username);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var userId = (await JsonAsync(registered)).GetProperty("userId").GetString()!;
        var tokens = await LoginAsync(anonymous, username, scope: scope);
        return new SignedInUser(WithBearer(factory, tokens.AccessToken), userId, username, tokens);
    }

    public static HttpClient WithBearer(ApiFactory factory, string accessToken)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<string> CreateThreadAsync(HttpClient client, string title = "hello")
    {
        var response = await client.PostAsJsonAsync("/threads", new { title });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await JsonAsync(response)).GetProperty("id").GetString()!;
    }

    /// <summary>Asserts an RFC 9457 answer with the given status.</summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await JsonAsync(response);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        foreach (var member in new[] { "type", "title", "detail", "traceId" })
        {
            Assert.True(problem.TryGetProperty(member, out var value) && value.GetString() is { Length: > 0 }, $"the problem has no {member}");
        }

        return problem;
    }
}

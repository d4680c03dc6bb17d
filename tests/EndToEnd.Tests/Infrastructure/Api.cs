using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Sdk;

namespace AgentSilo.EndToEnd.Infrastructure;

/// <summary>A signed-in user as the tests see one.</summary>
public sealed record User(string UserId, string Username, string Password, string AccessToken, string RefreshToken);

/// <summary>
/// Thin HTTP helpers over the public contract (docs/API.md). Every status check that fails shows the response
/// and the recent output of the service processes, so a red test says why without a rerun.
/// </summary>
public sealed class Api(ServiceStack stack)
{
    public const string Password = "correct-horse-battery-staple";

    public HttpClient Client => stack.Client;

    /// <summary>A fresh, unique username (lower-case letters and digits) so tests never share users.</summary>
    public static string NewUsername(string prefix) => prefix + Guid.NewGuid().ToString("N")[..10];

    public Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, string? token = null, object? json = null,
        IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (json is not null)
        {
            request.Content = JsonContent.Create(json, options: JsonSerializerOptions.Web);
        }

        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetAsync(string path, string token) => SendAsync(HttpMethod.Get, path, token);

    public Task<HttpResponseMessage> PostJsonAsync(string path, string token, object json) =>
        SendAsync(HttpMethod.Post, path, token, json);

    public Task<HttpResponseMessage> TokenRequestAsync(params (string Name, string Value)[] form) =>
        Client.PostAsync(
            "/auth/token", new FormUrlEncodedContent(form.Select(f => KeyValuePair.Create(f.Name, f.Value))));

    /// <summary>Asserts the status and returns the JSON body (an undefined element when there is none).</summary>
    public async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
        {
            throw new XunitException(
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: " +
                $"expected {(int)expected} {expected}, got {(int)response.StatusCode} {response.StatusCode}." +
                $"{Environment.NewLine}Headers: {response.Headers}{response.Content.Headers}" +
                $"{Environment.NewLine}Body: {Truncate(body, 2_000)}{Environment.NewLine}{stack.RecentLogs()}");
        }

        if (body.Length == 0)
        {
            return default;
        }

        try
        {
            return JsonDocument.Parse(body).RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new XunitException($"The {(int)expected} answer is not JSON ({e.Message}): {Truncate(body, 2_000)}");
        }
    }

    /// <summary>Asserts an RFC 9457 problem details answer with this status.</summary>
    public async Task<JsonElement> ExpectProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var problem = await ExpectAsync(response, expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        foreach (var member in new[] { "type", "title", "detail", "traceId" })
        {
            Assert.True(problem.TryGetProperty(member, out var value) && value.GetString() is { Length: > 0 }, $"the problem has no {member}");
        }

        return problem;
    }

    /// <summary>Asserts an RFC 6749 §5.2 error from the token endpoint.</summary>
    public async Task ExpectTokenErrorAsync(HttpResponseMessage response, string error)
    {
        var body = await ExpectAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(error, body.GetProperty("error").GetString());
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString() ?? "");
    }

    public async Task<string> RegisterAsync(string username, string password = Password)
    {
        var response = await SendAsync(HttpMethod.Post, "/auth/register", json: new { username, password });
        var body = await ExpectAsync(response, HttpStatusCode.Created);
        Assert.Equal(username, body.GetProperty("username").GetString());
        var userId = body.GetProperty("userId").GetString();
        Assert.False(string.IsNullOrEmpty(userId));
        return userId!;
    }

    /// <summary>Password grant; asserts the RFC 6749 answer and returns it.</summary>
    public async Task<JsonElement> PasswordGrantAsync(string username, string password = Password, string? scope = null)
    {
        var form = new List<(string, string)> { ("grant_type", "password"), ("username", username), ("password", password) };
        if (scope is not null)
        {
            form.Add(("scope", scope));
        }

        var response = await TokenRequestAsync([.. form]);
        var token = await ExpectAsync(response, HttpStatusCode.OK);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString() ?? "");
        Assert.Equal("Bearer", token.GetProperty("token_type").GetString());
        Assert.True(token.GetProperty("expires_in").GetInt32() > 0);
        Assert.False(string.IsNullOrEmpty(token.GetProperty("access_token").GetString()));
        Assert.False(string.IsNullOrEmpty(token.GetProperty("refresh_token").GetString()));
        return token;
    }

    public async Task<User> SignUpAsync(string prefix)
    {
        var username = NewUsername(prefix);
        var userId = await RegisterAsync(username);
        var token = await PasswordGrantAsync(username);
        return new User(
            userId, username, Password, token.GetProperty("access_token").GetString()!,
            token.GetProperty("refresh_token").GetString()!);
    }

    public async Task<User> SignInAdminAsync()
    {
        var token = await PasswordGrantAsync(stack.AdminUsername, stack.AdminPassword);
        var accessToken = token.GetProperty("access_token").GetString()!;
        var me = await ExpectAsync(await GetAsync("/users/me", accessToken), HttpStatusCode.OK);
        return new User(
            me.GetProperty("userId").GetString()!, stack.AdminUsername, stack.AdminPassword, accessToken,
            token.GetProperty("refresh_token").GetString()!);
    }

    public async Task<JsonElement> CreateThreadAsync(string token, string title)
    {
        var response = await PostJsonAsync("/threads", token, new { title });
        var thread = await ExpectAsync(response, HttpStatusCode.Created);
        var id = thread.GetProperty("id").GetString();
        Assert.Equal($"/threads/{id}", PathOf(response.Headers.Location));
        return thread;
    }

    public async Task<JsonElement[]> PostMessageAsync(string token, string threadId, string content)
    {
        var response = await PostJsonAsync($"/threads/{threadId}/messages", token, new { content });
        var body = await ExpectAsync(response, HttpStatusCode.OK);
        return [.. body.GetProperty("messages").EnumerateArray()];
    }

    /// <summary>Every item of a paged list, following <c>nextCursor</c> to the end.</summary>
    public async Task<List<JsonElement>> ReadAllPagesAsync(string path, string token, int limit = 100)
    {
        var items = new List<JsonElement>();
        string? cursor = null;
        var separator = path.Contains('?') ? '&' : '?';
        for (var page = 0; page < 1_000; page++)
        {
            var url = $"{path}{separator}limit={limit}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            var body = await ExpectAsync(await GetAsync(url, token), HttpStatusCode.OK);
            items.AddRange(body.GetProperty("items").EnumerateArray());
            var next = body.GetProperty("nextCursor");
            if (next.ValueKind == JsonValueKind.Null)
            {
                return items;
            }

            cursor = next.GetString();
        }

        throw new XunitException($"{path}: more than 1,000 pages; the cursor does not advance.");
    }

    public static string? PathOf(Uri? location) =>
        location is null ? null : location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString;

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length] + " ...";
}

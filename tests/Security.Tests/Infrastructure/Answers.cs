using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AgentSilo.Testing;

namespace AgentSilo.Security.Infrastructure;

/// <summary>The exact answers an attack must get (RFC 6750 §3 challenges, RFC 9457 problems).</summary>
public static class Answers
{
    /// <summary>
    /// 401, problem details, and one <c>WWW-Authenticate: Bearer error="invalid_token", error_description="..."</c>
    /// whose description contains <paramref name="description"/>.
    /// </summary>
    public static async Task<JsonElement> InvalidTokenAsync(Api api, HttpResponseMessage response, string description)
    {
        var problem = await api.ExpectProblemAsync(response, HttpStatusCode.Unauthorized);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Matches("^error=\"invalid_token\", error_description=\"[^\"\\\\]*\"$", challenge.Parameter);
        Assert.True(challenge.Parameter!.Contains(description, StringComparison.Ordinal),
            $"Expected the description to contain '{description}': {challenge.Parameter}");
        Assert.Equal(challenge.Parameter[(challenge.Parameter.IndexOf("error_description=", StringComparison.Ordinal) + 19)..^1],
            problem.GetProperty("detail").GetString());
        return problem;
    }

    /// <summary>403 with <c>WWW-Authenticate: Bearer error="insufficient_scope", scope="..."</c>.</summary>
    public static async Task InsufficientScopeAsync(Api api, HttpResponseMessage response, string scope)
    {
        await api.ExpectProblemAsync(response, HttpStatusCode.Forbidden);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Equal($"error=\"insufficient_scope\", scope=\"{scope}\"", challenge.Parameter);
    }

    public static async Task<HttpResponseMessage> SendAsync(Api api, HttpMethod method, string path, string? bearer = null,
        string? apiKey = null, string? json = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (apiKey is not null)
        {
            request.Headers.TryAddWithoutValidation("X-API-Key", apiKey);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await api.Client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}

using System.Net;
using System.Text.Json;
using AgentSilo.Testing;

namespace AgentSilo.Security.Infrastructure;

public static class ApiKeys
{
    public static async Task<string> CreateAsync(Api api, User user, params string[] scopes) =>
        (await CreateAsync(api, user, new { name = "service", scopes })).GetProperty("key").GetString()!;

    public static async Task<JsonElement> CreateAsync(Api api, User user, object body) =>
        await api.ExpectAsync(await api.PostJsonAsync("/auth/api-keys", user.AccessToken, body), HttpStatusCode.Created);

    public static string IdOf(string key) => key.Split('.')[0]["ask_".Length..];
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using AgentSilo.Api.Tests.Infrastructure;
using static AgentSilo.Api.Tests.Infrastructure.ApiCalls;

namespace AgentSilo.Api.Tests;

/// <summary>The API-key routes and the key as a credential (API.md, "API keys"); attacks on keys are in Security.Tests.</summary>
[Collection(ApiCollection.Name)]
public sealed class ApiKeyTests(ApiFixture fixture)
{
    [Fact]
    public async Task A_created_key_is_shown_once_and_acts_as_its_owner_with_its_scopes()
    {
        var user = await NewUserAsync(fixture.Api);
        var expiresAt = DateTimeOffset.UtcNow.AddDays(30);
        var response = await user.Client.PostAsJsonAsync("/auth/api-keys",
            new { name = "ci runner", scopes = new[] { "chatbot:read" }, expiresAt = expiresAt.ToString("O") });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        var created = await JsonAsync(response);
        var id = created.GetProperty("id").GetString()!;
        var key = created.GetProperty("key").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Equal($"/auth/api-keys/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal($"ask_{id}", created.GetProperty("prefix").GetString());
        Assert.StartsWith($"ask_{id}.", key);
        Assert.Equal("ci runner", created.GetProperty("name").GetString());
        Assert.Equal(["chatbot:read"], created.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(expiresAt.ToUnixTimeSeconds(), created.GetProperty("expiresAt").GetDateTimeOffset().ToUnixTimeSeconds());

        var withKey = WithKey(key);
        var me = await JsonAsync(await withKey.GetAsync("/users/me"));
        Assert.Equal(user.UserId, me.GetProperty("userId").GetString());
        Assert.Equal(["chatbot:read"], me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(HttpStatusCode.OK, (await withKey.GetAsync("/threads")).StatusCode);

        var write = await withKey.PostAsJsonAsync("/threads", new { title = "read-only key" });
        await AssertProblemAsync(write, HttpStatusCode.Forbidden);
        Assert.Equal("error=\"insufficient_scope\", scope=\"chatbot:write\"", Assert.Single(write.Headers.WwwAuthenticate).Parameter);
    }

    [Fact]
    public async Task Threads_made_with_a_key_belong_to_its_owner_and_the_list_never_shows_the_secret()
    {
        var user = await NewUserAsync(fixture.Api);
        var key = await CreateKeyAsync(user, "chatbot:read", "chatbot:write");
        var threadId = await CreateThreadAsync(WithKey(key), "made by a service");

        var thread = await JsonAsync(await user.Client.GetAsync($"/threads/{threadId}"));
        Assert.Equal(user.UserId, thread.GetProperty("ownerId").GetString());

        var listed = await user.Client.GetAsync("/auth/api-keys");
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        var text = await listed.Content.ReadAsStringAsync();
        Assert.DoesNotContain(key.Split('.')[2], text);
        var item = Assert.Single((await JsonAsync(listed)).GetProperty("items").EnumerateArray());
        Assert.False(item.TryGetProperty("key", out _));
        Assert.Equal(key.Split('.')[0], item.GetProperty("prefix").GetString());
        Assert.Equal(["chatbot:read", "chatbot:write"], item.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, item.GetProperty("lastUsedAt").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, item.GetProperty("expiresAt").ValueKind);
    }

    [Fact]
    public async Task A_revoked_key_stops_at_once_and_a_second_key_keeps_working()
    {
        var user = await NewUserAsync(fixture.Api);
        var old = await CreateKeyAsync(user, "chatbot:read");
        var replacement = await CreateKeyAsync(user, "chatbot:read");
        Assert.Equal(HttpStatusCode.OK, (await WithKey(old).GetAsync("/threads")).StatusCode);

        var revoked = await user.Client.DeleteAsync($"/auth/api-keys/{KeyId(old)}");
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await WithKey(old).GetAsync("/threads")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await WithKey(replacement).GetAsync("/threads")).StatusCode);
        await AssertProblemAsync(await user.Client.DeleteAsync($"/auth/api-keys/{KeyId(old)}"), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("""{"name":"k","scopes":["admin"]}""")]
    [InlineData("""{"name":"k","scopes":["chatbot:read","admin"]}""")]
    [InlineData("""{"name":"k","scopes":["everything"]}""")]
    [InlineData("""{"name":"k","scopes":[]}""")]
    [InlineData("""{"name":"k"}""")]
    [InlineData("""{"scopes":["chatbot:read"]}""")]
    [InlineData("""{"name":"   ","scopes":["chatbot:read"]}""")]
    [InlineData("""{"name":"bell\u0007","scopes":["chatbot:read"]}""")]
    [InlineData("""{"name":"k","scopes":["chatbot:read"],"expiresAt":"2020-01-01T00:00:00Z"}""")]
    [InlineData("""{"name":"k","scopes":["chatbot:read"],"expiresAt":"2999-01-01T00:00:00Z"}""")]
    [InlineData("""{"name":"k","scopes":["chatbot:read"],"expiresAt":"next tuesday"}""")]
    [InlineData("""{"name":"k","scopes":["chatbot:read"],"expiresAt":"2027-01-01T00:00:00"}""")]
    [InlineData("""{"name":"k","scopes":["chatbot:read"],"expiresAt":12345}""")]
    [InlineData("""{"name":"k","scopes":[null]}""")]
    [InlineData("""{"name":"k","scopes":"chatbot:read"}""")]
    public async Task Bad_key_requests_are_400_and_create_nothing(string body)
    {
        var user = await NewUserAsync(fixture.Api);
        var response = await user.Client.PostAsync("/auth/api-keys", new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Empty((await JsonAsync(await user.Client.GetAsync("/auth/api-keys"))).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_key_cannot_hold_more_than_the_token_that_creates_it()
    {
        var reader = await NewUserAsync(fixture.Api, scope: "chatbot:read");
        var response = await reader.Client.PostAsJsonAsync("/auth/api-keys", new { name = "wider", scopes = new[] { "chatbot:write" } });
        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_user_holds_at_most_twenty_keys()
    {
        var user = await NewUserAsync(fixture.Api);
        for (var i = 0; i < 20; i++)
        {
            await CreateKeyAsync(user, "chatbot:read");
        }

        var page = await JsonAsync(await user.Client.GetAsync("/auth/api-keys?limit=15"));
        Assert.Equal(15, page.GetProperty("items").GetArrayLength());
        var cursor = page.GetProperty("nextCursor").GetString();
        var rest = await JsonAsync(await user.Client.GetAsync($"/auth/api-keys?limit=15&cursor={cursor}"));
        Assert.Equal(5, rest.GetProperty("items").GetArrayLength());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, rest.GetProperty("nextCursor").ValueKind);

        var response = await user.Client.PostAsJsonAsync("/auth/api-keys", new { name = "21st", scopes = new[] { "chatbot:read" } });
        await AssertProblemAsync(response, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Requests_with_a_key_take_from_the_owners_one_quota_bucket()
    {
        var user = await NewUserAsync(fixture.SmallQuotaApi);
        var key = await CreateKeyAsync(user, "chatbot:read");
        var withKey = fixture.SmallQuotaApi.CreateClient();
        withKey.DefaultRequestHeaders.Add("X-API-Key", key);

        for (var i = 0; i < ApiFixture.SmallQuotaCapacity / 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await user.Client.GetAsync("/threads")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await withKey.GetAsync("/threads")).StatusCode);
        }

        await AssertProblemAsync(await withKey.GetAsync("/threads"), HttpStatusCode.TooManyRequests);
        await AssertProblemAsync(await user.Client.GetAsync("/threads"), HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Another_users_key_id_is_not_found()
    {
        var owner = await NewUserAsync(fixture.Api);
        var other = await NewUserAsync(fixture.Api);
        var key = await CreateKeyAsync(owner, "chatbot:read");

        await AssertProblemAsync(await other.Client.DeleteAsync($"/auth/api-keys/{KeyId(key)}"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await other.Client.DeleteAsync("/auth/api-keys/not-a-key-id"), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await WithKey(key).GetAsync("/threads")).StatusCode);
    }

    private HttpClient WithKey(string key)
    {
        var client = fixture.Api.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", key);
        return client;
    }

    private static string KeyId(string key) => key.Split('.')[0]["ask_".Length..];

    private static async Task<string> CreateKeyAsync(SignedInUser user, params string[] scopes)
    {
        var response = await user.Client.PostAsJsonAsync("/auth/api-keys", new { name = "key", scopes });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await JsonAsync(response)).GetProperty("key").GetString()!;
    }
}

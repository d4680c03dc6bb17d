using System.Net;
using System.Net.Http.Json;
using AgentSilo.Api.Tests.Infrastructure;
using static AgentSilo.Api.Tests.Infrastructure.ApiCalls;

namespace AgentSilo.Api.Tests;

/// <summary>Names and labels other people read may not hide control characters or text that reads backwards.</summary>
[Collection(ApiCollection.Name)]
public sealed class LabelTextTests(ApiFixture fixture)
{
    private const string Reversing = "invoice\u202Etxt.exe";

    [Fact]
    public async Task Display_names_and_api_key_names_with_bidi_overrides_are_400()
    {
        var user = await NewUserAsync(fixture.Api);

        await AssertProblemAsync(
            await user.Client.PatchAsJsonAsync("/users/me", new { displayName = Reversing }), HttpStatusCode.BadRequest);
        await AssertProblemAsync(
            await user.Client.PostAsJsonAsync("/auth/api-keys", new { name = Reversing, scopes = new[] { "chatbot:read" } }),
            HttpStatusCode.BadRequest);
        Assert.Empty((await JsonAsync(await user.Client.GetAsync("/auth/api-keys"))).GetProperty("items").EnumerateArray());
    }

    [Theory]
    [InlineData("/admin/threads?ownerId=%00")]
    [InlineData("/admin/audit?actorId=a%20b")]
    [InlineData("/admin/audit?threadId=..%2F..%2Fetc")]
    public async Task Malformed_id_filters_on_admin_lists_are_400(string path)
    {
        var admin = await AdminAsync();

        await AssertProblemAsync(await admin.GetAsync(path), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_audit_reason_is_stored_without_control_or_bidi_characters()
    {
        var owner = await NewUserAsync(fixture.Api);
        var id = await CreateThreadAsync(owner.Client);
        var admin = await AdminAsync();
        admin.DefaultRequestHeaders.TryAddWithoutValidation("X-Audit-Reason", "ticket \u202E1234");

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/admin/threads/{id}")).StatusCode);

        var records = (await JsonAsync(await admin.GetAsync($"/admin/audit?threadId={id}"))).GetProperty("items").EnumerateArray();
        Assert.Equal("ticket 1234", Assert.Single(records).GetProperty("reason").GetString());
    }

    private async Task<HttpClient> AdminAsync()
    {
        var tokens = await LoginAsync(fixture.Api.CreateClient(), fixture.AdminUsername, fixture.AdminPassword);
        return WithBearer(fixture.Api, tokens.AccessToken);
    }
}

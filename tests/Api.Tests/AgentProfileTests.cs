using System.Net;
using System.Net.Http.Json;
using System.Text;
using AgentSilo.Api.Tests.Infrastructure;
using static AgentSilo.Api.Tests.Infrastructure.ApiCalls;

namespace AgentSilo.Api.Tests;

/// <summary>Agent profiles that administrators manage at /admin/agents, used by threads through the scripted model.</summary>
[Collection(ModelApiCollection.Name)]
public sealed class AgentProfileTests(ModelApiFixture fixture)
{
    [Fact]
    public async Task An_admin_profile_is_stored_offered_by_role_and_runs_with_its_instructions()
    {
        var admin = await fixture.AdminClientAsync();
        var user = await NewUserAsync(fixture.Api);
        var name = NewName();
        var secret = "Instructions " + Guid.NewGuid().ToString("N");

        var created = await admin.PostAsJsonAsync("/admin/agents", Profile(name, secret, ["admin"]));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/admin/agents/{name}", created.Headers.Location?.OriginalString);
        Assert.Equal(secret, (await JsonAsync(await admin.GetAsync(created.Headers.Location))).GetProperty("instructions").GetString());
        await AssertProblemAsync(await admin.GetAsync("/admin/agents/no-such-agent"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await user.Client.GetAsync($"/admin/agents/{name}"), HttpStatusCode.Forbidden);
        var listed = (await JsonAsync(await admin.GetAsync("/admin/agents?limit=100"))).GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(listed, p => p.GetProperty("name").GetString() == name && p.GetProperty("instructions").GetString() == secret);
        Assert.Contains(listed, p => p.GetProperty("name").GetString() == "planner" && p.GetProperty("builtIn").GetBoolean());

        // Not for users yet: not offered, and naming it is 403.
        Assert.DoesNotContain(name, await user.Client.GetStringAsync("/agents"));
        await AssertProblemAsync(await user.Client.PostAsJsonAsync("/threads", new { agents = new[] { name } }), HttpStatusCode.Forbidden);

        var replaced = await admin.PutAsJsonAsync($"/admin/agents/{name}", Profile(name, secret, ["user", "admin"]));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var offered = await user.Client.GetStringAsync("/agents");
        Assert.Contains(name, offered);
        Assert.DoesNotContain(secret, offered);
        Assert.DoesNotContain("instructions", offered);

        var thread = await user.Client.PostAsJsonAsync("/threads", new { agents = new[] { name } });
        Assert.Equal(HttpStatusCode.Created, thread.StatusCode);
        var id = (await JsonAsync(thread)).GetProperty("id").GetString()!;
        var marker = Guid.NewGuid().ToString("N");
        var posted = await JsonAsync(await user.Client.PostAsJsonAsync($"/threads/{id}/messages", new { content = marker }));
        Assert.Equal(name, posted.GetProperty("messages")[1].GetProperty("author").GetString());
        Assert.Contains(secret, Assert.Single(fixture.Model.RequestsMentioning(marker))["messages"]![0]!.ToJsonString());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/admin/agents/{name}")).StatusCode);
        await AssertProblemAsync(await user.Client.PostAsJsonAsync("/threads", new { agents = new[] { name } }), HttpStatusCode.BadRequest);

        // The thread whose only agent is gone refuses posts and stores nothing, rather than keeping unanswered messages.
        var countBefore = (await JsonAsync(await user.Client.GetAsync($"/threads/{id}"))).GetProperty("messageCount").GetInt32();
        await AssertProblemAsync(
            await user.Client.PostAsJsonAsync($"/threads/{id}/messages", new { content = "anyone there?" }), HttpStatusCode.Conflict);
        Assert.Equal(countBefore, (await JsonAsync(await user.Client.GetAsync($"/threads/{id}"))).GetProperty("messageCount").GetInt32());
        await AssertProblemAsync(await admin.DeleteAsync($"/admin/agents/{name}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_admin_profile_list_pages_by_the_list_conventions()
    {
        var admin = await fixture.AdminClientAsync();
        var whole = (await JsonAsync(await admin.GetAsync("/admin/agents?limit=100"))).GetProperty("items").EnumerateArray()
            .Select(p => p.GetProperty("name").GetString()).ToList();

        var paged = new List<string?>();
        string? cursor = null;
        do
        {
            var page = await JsonAsync(await admin.GetAsync("/admin/agents?limit=1" + (cursor is null ? "" : $"&cursor={cursor}")));
            paged.Add(Assert.Single(page.GetProperty("items").EnumerateArray()).GetProperty("name").GetString());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(whole, paged);
        await AssertProblemAsync(await admin.GetAsync("/admin/agents?limit=0"), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await admin.GetAsync("/admin/agents?limit=101"), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await admin.GetAsync("/admin/agents?cursor=not!base64"), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await admin.GetAsync("/admin/agents?cursor=bm8tc3VjaC1uYW1l"), HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("""{"name":"Bad Name","instructions":"x","model":"offline","allowedRoles":["user"]}""")]
    [InlineData("""{"name":"a-b","instructions":"","model":"offline","allowedRoles":["user"]}""")]
    [InlineData("""{"name":"a-b","instructions":"x","model":"gpt-9","allowedRoles":["user"]}""")]
    [InlineData("""{"name":"a-b","description":"looks \u202Efine","instructions":"x","model":"offline","allowedRoles":["user"]}""")]
    [InlineData("""{"name":"a-b","instructions":"x","model":"offline","tools":["rm_rf"],"allowedRoles":["user"]}""")]
    [InlineData("""{"name":"a-b","instructions":"x","model":"offline","allowedRoles":["root"]}""")]
    [InlineData("""{"name":"a-b","instructions":"x","model":"offline","allowedRoles":[]}""")]
    [InlineData("""{"name":"a-b","instructions":"x","model":"offline","allowedRoles":["user"],"builtIn":true}""")]
    public async Task An_invalid_profile_is_400_and_not_stored(string body)
    {
        var admin = await fixture.AdminClientAsync();

        var response = await admin.PostAsync("/admin/agents", new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.DoesNotContain("\"a-b\"", await admin.GetStringAsync("/admin/agents?limit=100"));
    }

    [Fact]
    public async Task Built_in_profiles_cannot_be_changed_names_are_unique_and_users_may_not_manage_profiles()
    {
        var admin = await fixture.AdminClientAsync();
        var user = await NewUserAsync(fixture.Api);
        var name = NewName();

        await AssertProblemAsync(await admin.PostAsJsonAsync("/admin/agents", Profile("planner", "x", ["user"])), HttpStatusCode.Conflict);
        await AssertProblemAsync(await admin.PutAsJsonAsync("/admin/agents/planner", Profile("planner", "x", ["user"])), HttpStatusCode.Conflict);
        await AssertProblemAsync(await admin.DeleteAsync("/admin/agents/planner"), HttpStatusCode.Conflict);
        await AssertProblemAsync(await admin.PutAsJsonAsync($"/admin/agents/{name}", Profile(name, "x", ["user"])), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/admin/agents", Profile(name, "x", ["user"]))).StatusCode);
        await AssertProblemAsync(await admin.PostAsJsonAsync("/admin/agents", Profile(name, "y", ["user"])), HttpStatusCode.Conflict);
        await AssertProblemAsync(await admin.PutAsJsonAsync($"/admin/agents/{name}", Profile(NewName(), "x", ["user"])), HttpStatusCode.BadRequest);

        var forbidden = await user.Client.PostAsJsonAsync("/admin/agents", Profile(NewName(), "x", ["user"]));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.Client.GetAsync("/admin/agents")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.Client.DeleteAsync($"/admin/agents/{name}")).StatusCode);
        Assert.Contains($"\"{name}\"", await admin.GetStringAsync("/admin/agents?limit=100"));
    }

    private static string NewName() => "agent-" + Guid.NewGuid().ToString("N")[..10];

    private static object Profile(string name, string instructions, string[] roles) => new
    {
        name,
        description = "A test agent.",
        instructions,
        model = ModelApiFixture.ModelName,
        tools = Array.Empty<string>(),
        allowedRoles = roles,
    };
}

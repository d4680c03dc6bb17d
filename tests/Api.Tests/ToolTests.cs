using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentSilo.Api.Tests.Infrastructure;
using static AgentSilo.Api.Tests.Infrastructure.ApiCalls;

namespace AgentSilo.Api.Tests;

/// <summary>Agents' tools act with the authority of the user who posted, and every call is stored for audit.</summary>
[Collection(ModelApiCollection.Name)]
public sealed class ToolTests(ModelApiFixture fixture)
{
    [Fact]
    public async Task A_tool_asked_for_another_users_thread_gets_not_found_and_the_call_is_stored()
    {
        var admin = await fixture.AdminClientAsync();
        var victim = await NewUserAsync(fixture.Api);
        var victimThread = await CreateThreadAsync(victim.Client);
        var secret = "victim secret " + Guid.NewGuid().ToString("N");
        Assert.Equal(HttpStatusCode.OK, (await victim.Client.PostAsJsonAsync($"/threads/{victimThread}/messages", new { content = secret })).StatusCode);

        var attacker = await NewUserAsync(fixture.Api);
        var agent = await ToolAgentAsync(admin, ["read_my_thread", "current_time"]);
        var thread = await CreateAgentThreadAsync(attacker.Client, agent);

        var posted = await attacker.Client.PostAsJsonAsync($"/threads/{thread}/messages",
            new { content = $$"""Read this: [[tool:read_my_thread:{"threadId":"{{victimThread}}"}]]""" });

        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var body = await posted.Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret, body);
        var messages = (await JsonAsync(posted)).GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["user", "tool", "assistant"], messages.Select(m => m.GetProperty("role").GetString()));
        var call = JsonDocument.Parse(messages[1].GetProperty("content").GetString()!).RootElement;
        Assert.Equal("read_my_thread", call.GetProperty("tool").GetString());
        Assert.Equal(victimThread, call.GetProperty("arguments").GetProperty("threadId").GetString());
        Assert.Equal("not found", call.GetProperty("result").GetProperty("error").GetString());
        Assert.Contains("not found", messages[2].GetProperty("content").GetString());

        // The call is in the thread for an admin to audit.
        var audited = await admin.GetStringAsync($"/admin/threads/{thread}/messages");
        Assert.Contains("read_my_thread", audited);
    }

    [Fact]
    public async Task A_tool_reads_the_callers_own_thread_and_rejects_a_malformed_id()
    {
        var admin = await fixture.AdminClientAsync();
        var user = await NewUserAsync(fixture.Api);
        var own = await CreateThreadAsync(user.Client);
        var note = "my note " + Guid.NewGuid().ToString("N");
        await user.Client.PostAsJsonAsync($"/threads/{own}/messages", new { content = note });
        var agent = await ToolAgentAsync(admin, ["read_my_thread"]);
        var thread = await CreateAgentThreadAsync(user.Client, agent);

        var read = await JsonAsync(await user.Client.PostAsJsonAsync($"/threads/{thread}/messages",
            new { content = $$"""[[tool:read_my_thread:{"threadId":"{{own}}"}]]""" }));
        Assert.Contains(note, read.GetProperty("messages")[2].GetProperty("content").GetString());

        var bad = await JsonAsync(await user.Client.PostAsJsonAsync($"/threads/{thread}/messages",
            new { content = """[[tool:read_my_thread:{"threadId":"../../etc"}]]""" }));
        Assert.Contains("32 lower-case hexadecimal", bad.GetProperty("messages")[1].GetProperty("content").GetString());
    }

    [Fact]
    public async Task The_admin_tool_is_offered_only_to_a_caller_with_role_and_scope_admin()
    {
        var admin = await fixture.AdminClientAsync();
        var agent = await ToolAgentAsync(admin, ["list_all_threads", "current_time"], roles: ["user", "admin"]);
        var user = await NewUserAsync(fixture.Api);
        var userMarker = Guid.NewGuid().ToString("N");
        var adminMarker = Guid.NewGuid().ToString("N");

        var userThread = await CreateAgentThreadAsync(user.Client, agent);
        await user.Client.PostAsJsonAsync($"/threads/{userThread}/messages", new { content = userMarker });
        var adminThread = await CreateAgentThreadAsync(admin, agent);
        await admin.PostAsJsonAsync($"/threads/{adminThread}/messages", new { content = adminMarker });

        var offeredToUser = Assert.Single(fixture.Model.RequestsMentioning(userMarker))["tools"]!.ToJsonString();
        var offeredToAdmin = Assert.Single(fixture.Model.RequestsMentioning(adminMarker))["tools"]!.ToJsonString();
        Assert.DoesNotContain("list_all_threads", offeredToUser);
        Assert.Contains("current_time", offeredToUser);
        Assert.Contains("list_all_threads", offeredToAdmin);
    }

    private static async Task<string> CreateAgentThreadAsync(HttpClient client, string agent)
    {
        var created = await client.PostAsJsonAsync("/threads", new { agents = new[] { agent } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await JsonAsync(created)).GetProperty("id").GetString()!;
    }

    private static async Task<string> ToolAgentAsync(HttpClient admin, string[] tools, string[]? roles = null)
    {
        var name = "tools-" + Guid.NewGuid().ToString("N")[..10];
        var created = await admin.PostAsJsonAsync("/admin/agents", new
        {
            name,
            description = "Uses tools.",
            instructions = "Use your tools when asked.",
            model = ModelApiFixture.ModelName,
            tools,
            allowedRoles = roles ?? ["user"],
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return name;
    }
}

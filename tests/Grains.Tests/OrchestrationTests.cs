using System.Text.Json;
using AgentSilo.Access;
using AgentSilo.Grains.Agents.Safety;
using AgentSilo.Threads;

namespace AgentSilo.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class OrchestrationTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_thread_keeps_the_orchestration_it_was_created_with_and_a_group_chat_goes_round_robin()
    {
        var owner = Callers.NewUser();
        var plain = await fixture.Client.GetGrain<IThreadGrain>(Callers.NewId()).CreateAsync(owner, new NewThread(null, null, null));
        var thread = fixture.Client.GetGrain<IThreadGrain>(Callers.NewId());
        var chat = await thread.CreateAsync(owner, new NewThread(null, ["planner", "writer"], null, "GROUPCHAT"));

        Assert.Equal("sequential", plain.Orchestration);
        Assert.Equal("groupChat", chat.Orchestration);
        var posted = await thread.PostAsync(owner, "Plan a picnic", null);
        Assert.Equal(["planner", "writer", "planner", "writer"], posted.Skip(1).Select(m => m.Author));
        await Assert.ThrowsAsync<ValidationFailedException>(() =>
            fixture.Client.GetGrain<IThreadGrain>(Callers.NewId()).CreateAsync(owner, new NewThread(null, null, null, "anarchy")));
    }

    [Fact]
    public void A_thread_stored_before_orchestrations_existed_reads_as_sequential()
    {
        // The stored form of a thread written by the earlier release, which had no Orchestration property.
        var stored = JsonSerializer.Deserialize<AgentSilo.Grains.Threads.ThreadState>("""{"Exists":true,"OwnerId":"u","Title":"t","Agents":["planner"],"MessageCount":3}""")!;

        Assert.Null(stored.Orchestration);
        Assert.Equal("sequential", AgentSilo.Grains.Agents.Orchestrations.Parse(stored.Orchestration));
    }

    [Theory]
    [InlineData("the key is sk-abc", 11)]
    [InlineData("done and -----BEGIN PRIVATE", 9)]
    [InlineData("nospace", 0)]
    public void Streaming_holds_back_text_that_could_still_become_a_secret(string written, int safe)
    {
        Assert.Equal(safe, SecretRedactor.SafeLength(SecretRedactor.Redact(written)));
    }
}

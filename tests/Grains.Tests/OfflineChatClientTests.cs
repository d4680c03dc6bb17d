using AgentSilo.Grains.Agents;
using Microsoft.Extensions.AI;

namespace AgentSilo.Grains.Tests;

public sealed class OfflineChatClientTests
{
    private static readonly ChatMessage[] Conversation = [new(ChatRole.User, "What should I cook tonight?")];

    [Fact]
    public async Task The_same_conversation_gives_the_same_reply_marked_as_offline()
    {
        var client = new OfflineChatClient("planner", ["planner", "writer"]);

        var first = await client.GetResponseAsync(Conversation);
        var second = await client.GetResponseAsync(Conversation);
        var other = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Something else")]);

        Assert.Equal(first.Text, second.Text);
        Assert.NotEqual(first.Text, other.Text);
        Assert.StartsWith("[offline planner]", first.Text);
        Assert.True(first.Usage!.InputTokenCount > 0);
        Assert.True(first.Usage.OutputTokenCount > 0);
    }

    [Fact]
    public async Task Streaming_yields_several_chunks_that_add_up_to_the_reply()
    {
        var client = new OfflineChatClient("writer", ["planner", "writer"]);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(Conversation))
        {
            updates.Add(update);
        }

        Assert.True(updates.Count(u => u.Text.Length > 0) > 1);
        Assert.Equal((await client.GetResponseAsync(Conversation)).Text, string.Concat(updates.Select(u => u.Text)));
        Assert.Contains(updates.SelectMany(u => u.Contents), c => c is UsageContent);
    }

    [Fact]
    public async Task The_team_runs_as_a_workflow_and_each_agent_sees_the_replies_before_it()
    {
        var runner = new AgentTeamRunner(new OfflineAgentChatClients());
        var team = AgentProfiles.BuiltIn.Where(p => p.Name is "planner" or "writer" or "reviewer").ToList();
        var usage = new TurnUsage();

        var replies = await runner.RunAsync(team, [new ConversationEntry("user", "alice", "Plan a trip")], usage, CancellationToken.None);

        Assert.Equal(team.Select(p => p.Name), replies.Select(r => r.AgentName));
        Assert.Contains("0 earlier replies", replies[0].Text);
        Assert.Contains("1 earlier replies", replies[1].Text);
        Assert.Contains("2 earlier replies", replies[2].Text);
        Assert.True(usage.Tokens > 0, "the offline client's usage estimates reach the turn's total");
    }
}

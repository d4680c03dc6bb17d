using AgentSilo.Grains.Agents;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

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

    private static readonly List<AgentProfile> Team = AgentProfiles.BuiltIn.Where(p => p.Name is "planner" or "writer" or "reviewer").ToList();

    [Fact]
    public async Task The_team_runs_as_a_workflow_and_each_agent_sees_the_replies_before_it()
    {
        var (replies, tokens) = await RunAsync(Orchestrations.Sequential);

        Assert.Equal(Team.Select(p => p.Name), replies.Select(r => r.Author));
        Assert.Contains("0 earlier replies", replies[0].Content);
        Assert.Contains("1 earlier replies", replies[1].Content);
        Assert.Contains("2 earlier replies", replies[2].Content);
        Assert.Equal([2L, 3L, 4L], replies.Select(r => r.Seq));
        Assert.All(replies, r => Assert.False(r.Truncated));
        Assert.True(tokens > 0);
    }

    [Fact]
    public async Task A_group_chat_goes_round_robin_for_the_configured_rounds()
    {
        var (replies, _) = await RunAsync(Orchestrations.GroupChat, groupChatRounds: 2);

        Assert.Equal(Team.Select(p => p.Name).Concat(Team.Select(p => p.Name)), replies.Select(r => r.Author));
    }

    [Fact]
    public async Task A_handoff_triage_agent_hands_the_turn_to_one_specialist()
    {
        var (replies, _) = await RunAsync(Orchestrations.Handoff);

        // The offline triage agent always hands over (by the message's digest); the specialist answers alone.
        var reply = Assert.Single(replies);
        Assert.Contains(reply.Author, new[] { "writer", "reviewer" });
        Assert.StartsWith($"[offline {reply.Author}]", reply.Content);
    }

    private static async Task<(IReadOnlyList<AgentSilo.Threads.MessageView> Replies, long Tokens)> RunAsync(string orchestration, int groupChatRounds = 2)
    {
        var runner = new AgentTeamRunner(new OfflineAgentChatClients(), Options.Create(new AgentOptions { GroupChatRounds = groupChatRounds }));
        var recorder = new TurnRecorder("thread", 2, TimeProvider.System);
        var plan = new TurnPlan(Team, orchestration, [new ConversationEntry("user", "alice", "Plan a trip")]);
        await runner.RunAsync(plan, recorder, CancellationToken.None);
        return (await recorder.FinishAsync(cutOff: false), recorder.Usage.Tokens);
    }
}

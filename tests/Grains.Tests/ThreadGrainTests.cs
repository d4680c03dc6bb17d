using AgentSilo.Access;
using AgentSilo.Admin;
using AgentSilo.Grains.Storage;
using AgentSilo.Threads;
using Azure.Data.Tables;

namespace AgentSilo.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class ThreadGrainTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Client;

    [Fact]
    public async Task A_new_thread_gets_the_default_team_and_a_default_title()
    {
        var owner = Callers.NewUser();

        var view = await NewThread().CreateAsync(owner, new NewThread(null, null, null));

        Assert.Equal(owner.UserId, view.OwnerId);
        Assert.Equal("New thread", view.Title);
        Assert.True(view.Agents.Length >= 2);
        Assert.Empty(view.Metadata);
        Assert.Equal(0, view.MessageCount);
    }

    [Fact]
    public async Task Creating_a_thread_twice_is_a_conflict()
    {
        var owner = Callers.NewUser();
        var thread = NewThread();
        await thread.CreateAsync(owner, new NewThread("first", null, null));

        await Assert.ThrowsAsync<ConflictException>(() => thread.CreateAsync(owner, new NewThread("second", null, null)));
    }

    [Fact]
    public async Task Another_users_thread_is_not_found_for_every_operation()
    {
        var (thread, _) = await CreatedThreadAsync();
        var stranger = Callers.NewUser();

        await Assert.ThrowsAsync<NotFoundException>(() => thread.GetAsync(stranger));
        await Assert.ThrowsAsync<NotFoundException>(() => thread.UpdateAsync(stranger, new ThreadPatch("mine now", null)));
        await Assert.ThrowsAsync<NotFoundException>(() => thread.DeleteAsync(stranger));
        await Assert.ThrowsAsync<NotFoundException>(() => thread.PostAsync(stranger, "hello", null));
        await Assert.ThrowsAsync<NotFoundException>(() => thread.GetMessagesAsync(stranger, 0, 10));
        Assert.Null(await thread.DescribeForListingAsync(stranger));
        var missing = await Assert.ThrowsAsync<NotFoundException>(() => NewThread().GetAsync(stranger));
        var hidden = await Assert.ThrowsAsync<NotFoundException>(() => thread.GetAsync(stranger));
        Assert.Equal(missing.Message, hidden.Message);
    }

    [Fact]
    public async Task An_admin_reads_another_users_thread_and_each_read_is_audited_with_the_reason()
    {
        var (thread, owner) = await CreatedThreadAsync();
        var admin = Callers.NewAdmin("support ticket 7");

        var view = await thread.GetAsync(admin);
        await thread.GetMessagesAsync(admin, 0, 10);

        Assert.Equal(owner.UserId, view.OwnerId);
        var audit = await Grains.GetGrain<IAuditGrain>(0).ListAsync(admin, null, thread.GetPrimaryKeyString(), null, 10);
        Assert.Equal([AuditActions.ThreadMessagesRead, AuditActions.ThreadRead], audit.Items.Select(r => r.Action));
        Assert.All(audit.Items, r =>
        {
            Assert.Equal(admin.UserId, r.ActorId);
            Assert.Equal(owner.UserId, r.OwnerId);
            Assert.Equal("support ticket 7", r.Reason);
        });
    }

    [Fact]
    public async Task The_owners_reads_are_not_audited()
    {
        var (thread, owner) = await CreatedThreadAsync();

        await thread.GetAsync(owner);

        var audit = await Grains.GetGrain<IAuditGrain>(0).ListAsync(Callers.NewAdmin(), null, thread.GetPrimaryKeyString(), null, 10);
        Assert.Empty(audit.Items);
    }

    [Fact]
    public async Task An_admin_may_not_post_to_or_change_another_users_thread()
    {
        var (thread, owner) = await CreatedThreadAsync();
        var admin = Callers.NewAdmin();

        await Assert.ThrowsAsync<ForbiddenException>(() => thread.PostAsync(admin, "hi", null));
        await Assert.ThrowsAsync<ForbiddenException>(() => thread.UpdateAsync(admin, new ThreadPatch("x", null)));
        Assert.Equal(0, (await thread.GetAsync(owner)).MessageCount);
    }

    [Fact]
    public async Task A_post_returns_the_users_message_then_one_reply_per_agent_in_team_order()
    {
        var (thread, owner) = await CreatedThreadAsync();
        var team = (await thread.GetAsync(owner)).Agents;

        var posted = await thread.PostAsync(owner, "Plan a picnic", null);

        Assert.Equal(Enumerable.Range(1, team.Length + 1).Select(i => (long)i), posted.Select(m => m.Seq));
        Assert.Equal(MessageRoles.User, posted[0].Role);
        Assert.Equal(owner.Username, posted[0].Author);
        Assert.Equal("Plan a picnic", posted[0].Content);
        Assert.Equal(team, posted.Skip(1).Select(m => m.Author));
        Assert.All(posted.Skip(1), m =>
        {
            Assert.Equal(MessageRoles.Assistant, m.Role);
            Assert.StartsWith($"[offline {m.Author}]", m.Content);
        });
        var stored = await thread.GetMessagesAsync(owner, 0, 100);
        Assert.Equal(posted, stored.Items);
        Assert.Equal(posted.Length, (await thread.GetAsync(owner)).MessageCount);
    }

    [Fact]
    public async Task Messages_are_read_in_pages_after_a_sequence_number()
    {
        var (thread, owner) = await CreatedThreadAsync();
        await thread.PostAsync(owner, "one", null);
        await thread.PostAsync(owner, "two", null);
        var total = (await thread.GetAsync(owner)).MessageCount;

        var first = await thread.GetMessagesAsync(owner, 0, 2);
        var rest = await thread.GetMessagesAsync(owner, first.Items[^1].Seq, 100);

        Assert.True(first.HasMore);
        Assert.Equal([1L, 2L], first.Items.Select(m => m.Seq));
        Assert.False(rest.HasMore);
        Assert.Equal(Enumerable.Range(3, (int)total - 2).Select(i => (long)i), rest.Items.Select(m => m.Seq));
    }

    [Fact]
    public async Task A_thread_larger_than_a_megabyte_keeps_working_and_reads_back_intact()
    {
        var (thread, owner) = await CreatedThreadAsync();
        var contents = Enumerable.Range(0, 40).Select(i => new string((char)('a' + (i % 26)), 29_990) + i.ToString("D10")).ToList();

        foreach (var content in contents)
        {
            await thread.PostAsync(owner, content, null);
        }

        var read = new List<MessageView>();
        for (var page = await thread.GetMessagesAsync(owner, 0, 100); ; page = await thread.GetMessagesAsync(owner, read[^1].Seq, 100))
        {
            read.AddRange(page.Items);
            if (!page.HasMore)
            {
                break;
            }
        }

        Assert.Equal(contents, read.Where(m => m.Role == MessageRoles.User).Select(m => m.Content));
        Assert.Equal(Enumerable.Range(1, read.Count).Select(i => (long)i), read.Select(m => m.Seq));
        Assert.Equal(read.Count, (await thread.GetAsync(owner)).MessageCount);
    }

    [Fact]
    public async Task Updating_changes_title_and_metadata_for_the_owner()
    {
        var (thread, owner) = await CreatedThreadAsync();

        var updated = await thread.UpdateAsync(owner, new ThreadPatch("Renamed", new() { ["topic"] = "food" }));

        Assert.Equal("Renamed", updated.Title);
        Assert.Equal("food", updated.Metadata["topic"]);
        Assert.Equal(updated, await thread.GetAsync(owner), ThreadViewComparer.Instance);
    }

    [Fact]
    public async Task Deleting_erases_the_messages_and_the_listing_entry_from_storage_and_audits_who_deleted()
    {
        var (thread, owner) = await CreatedThreadAsync();
        var threadId = thread.GetPrimaryKeyString();
        await thread.PostAsync(owner, "soon gone", null);
        Assert.NotEmpty(await RowsAsync(StorageTables.Messages, $"PartitionKey eq '{threadId}'"));

        await thread.DeleteAsync(owner);

        // Gone from storage itself, not only hidden: no message row, no index row (a user's right to erasure).
        Assert.Empty(await RowsAsync(StorageTables.Messages, $"PartitionKey eq '{threadId}'"));
        Assert.Empty(await RowsAsync(StorageTables.ThreadIndex, $"ThreadId eq '{threadId}'"));
        var audit = await Grains.GetGrain<IAuditGrain>(0).ListAsync(Callers.NewAdmin(), owner.UserId, threadId, null, 10);
        var record = Assert.Single(audit.Items);
        Assert.Equal(AuditActions.ThreadDelete, record.Action);
        Assert.Equal(owner.UserId, record.OwnerId);

        await Assert.ThrowsAsync<NotFoundException>(() => thread.GetAsync(owner));
        await Assert.ThrowsAsync<NotFoundException>(() => thread.GetMessagesAsync(owner, 0, 10));
        var listing = await Grains.GetGrain<IThreadCatalogGrain>(0).ListOwnAsync(owner, null, 100);
        Assert.Empty(listing.Items);
        var recreated = await thread.CreateAsync(owner, new NewThread("again", null, null));
        Assert.Equal(0, recreated.MessageCount);
        Assert.Empty((await thread.GetMessagesAsync(owner, 0, 10)).Items);
    }

    [Fact]
    public async Task An_admin_deletes_another_users_thread_and_it_is_audited()
    {
        var (thread, owner) = await CreatedThreadAsync();
        var admin = Callers.NewAdmin("spam");

        await thread.DeleteAsync(admin);

        await Assert.ThrowsAsync<NotFoundException>(() => thread.GetAsync(owner));
        var audit = await Grains.GetGrain<IAuditGrain>(0).ListAsync(admin, admin.UserId, null, null, 10);
        var record = Assert.Single(audit.Items);
        Assert.Equal(AuditActions.ThreadDelete, record.Action);
        Assert.Equal(thread.GetPrimaryKeyString(), record.ThreadId);
    }

    [Fact]
    public async Task Invalid_thread_fields_and_content_are_rejected()
    {
        var owner = Callers.NewUser();
        var seventeen = Enumerable.Range(0, 17).ToDictionary(i => $"k{i}", i => "v");

        await Assert.ThrowsAsync<ValidationFailedException>(() => NewThread().CreateAsync(owner, new NewThread(new string('t', 201), null, null)));
        await Assert.ThrowsAsync<ValidationFailedException>(() => NewThread().CreateAsync(owner, new NewThread(null, null, seventeen)));
        await Assert.ThrowsAsync<ValidationFailedException>(() => NewThread().CreateAsync(owner, new NewThread(null, null, new() { [new string('k', 65)] = "v" })));
        await Assert.ThrowsAsync<ValidationFailedException>(() => NewThread().CreateAsync(owner, new NewThread(null, null, new() { ["k"] = new string('v', 513) })));
        await Assert.ThrowsAsync<ValidationFailedException>(() => NewThread().CreateAsync(owner, new NewThread(null, ["no-such-agent"], null)));
        await Assert.ThrowsAsync<ValidationFailedException>(() => NewThread().CreateAsync(owner, new NewThread(null, ["planner", "planner"], null)));
        var (thread, threadOwner) = await CreatedThreadAsync();
        await Assert.ThrowsAsync<ValidationFailedException>(() => thread.PostAsync(threadOwner, "", null));
        await Assert.ThrowsAsync<ValidationFailedException>(() => thread.PostAsync(threadOwner, new string('x', 32_769), null));
        await Assert.ThrowsAsync<ValidationFailedException>(() => thread.UpdateAsync(threadOwner, new ThreadPatch(new string('t', 201), null)));
        Assert.Equal(0, (await thread.GetAsync(threadOwner)).MessageCount);
    }

    [Theory]
    [InlineData("a\u0000b")]
    [InlineData("red \u001b[31m alert")]
    [InlineData("line\r\nX-Injected: 1")]
    [InlineData("invoice\u202Etxt.exe")]
    [InlineData("isolate\u2066x\u2069")]
    public async Task Titles_and_metadata_with_control_or_bidi_override_characters_are_rejected(string text)
    {
        var owner = Callers.NewUser();

        await Assert.ThrowsAsync<ValidationFailedException>(() => NewThread().CreateAsync(owner, new NewThread(text, null, null)));
        await Assert.ThrowsAsync<ValidationFailedException>(() => NewThread().CreateAsync(owner, new NewThread(null, null, new() { ["k"] = text })));
        await Assert.ThrowsAsync<ValidationFailedException>(() => NewThread().CreateAsync(owner, new NewThread(null, null, new() { [text] = "v" })));
    }

    [Fact]
    public async Task Message_content_keeps_line_breaks_tabs_and_bidi_marks_but_not_other_control_characters()
    {
        var (thread, owner) = await CreatedThreadAsync();

        var posted = await thread.PostAsync(owner, "first line\r\n\tsecond line \u202Bעברית\u202C", null);
        await Assert.ThrowsAsync<ValidationFailedException>(() => thread.PostAsync(owner, "null \u0000 byte", null));
        await Assert.ThrowsAsync<ValidationFailedException>(() => thread.PostAsync(owner, "bell \u0007", null));

        Assert.Equal("first line\r\n\tsecond line \u202Bעברית\u202C", posted[0].Content);
        Assert.Equal(posted.Length, (await thread.GetAsync(owner)).MessageCount);
    }

    [Fact]
    public async Task An_agent_outside_the_callers_roles_is_forbidden()
    {
        var adminOnly = await Assert.ThrowsAsync<ForbiddenException>(() =>
            NewThread().CreateAsync(Callers.NewUser(), new NewThread(null, ["auditor"], null)));
        var view = await NewThread().CreateAsync(Callers.NewAdmin(), new NewThread(null, ["auditor", "writer"], null));

        Assert.Contains("auditor", adminOnly.Message);
        Assert.Equal(["auditor", "writer"], view.Agents);
    }

    [Fact]
    public async Task A_repeated_post_with_the_same_idempotency_key_returns_the_first_answer_and_stores_nothing()
    {
        var (thread, owner) = await CreatedThreadAsync();

        var first = await thread.PostAsync(owner, "once", "key-1");
        var again = await thread.PostAsync(owner, "once", "key-1");

        Assert.Equal(first, again);
        Assert.Equal(first.Length, (await thread.GetAsync(owner)).MessageCount);
        await Assert.ThrowsAsync<IdempotencyKeyReusedException>(() => thread.PostAsync(owner, "twice", "key-1"));
    }

    [Fact]
    public async Task An_idempotency_key_is_still_remembered_after_a_hundred_and_twenty_later_keyed_posts()
    {
        var (thread, owner) = await CreatedThreadAsync();
        var first = await thread.PostAsync(owner, "the first", "first-key");
        for (var i = 0; i < 120; i++)
        {
            await thread.PostAsync(owner, $"later {i}", $"later-key-{i}");
        }

        var count = (await thread.GetAsync(owner)).MessageCount;
        var again = await thread.PostAsync(owner, "the first", "first-key");

        Assert.Equal(first, again);
        Assert.Equal(count, (await thread.GetAsync(owner)).MessageCount);
        await Assert.ThrowsAsync<IdempotencyKeyReusedException>(() => thread.PostAsync(owner, "another body", "first-key"));
    }

    [Fact]
    public async Task An_idempotency_key_is_remembered_for_twenty_four_hours_and_then_forgotten()
    {
        var (thread, owner) = await CreatedThreadAsync();
        var first = await thread.PostAsync(owner, "remember me", "day-key");

        fixture.Clock.Advance(TimeSpan.FromHours(23.5));
        Assert.Equal(first, await thread.PostAsync(owner, "remember me", "day-key"));
        await Assert.ThrowsAsync<IdempotencyKeyReusedException>(() => thread.PostAsync(owner, "changed", "day-key"));

        fixture.Clock.Advance(TimeSpan.FromHours(1));
        var later = await thread.PostAsync(owner, "changed", "day-key");
        Assert.Equal(first[^1].Seq + 1, later[0].Seq);
        Assert.Equal("changed", later[0].Content);
        Assert.Equal(later, await thread.PostAsync(owner, "changed", "day-key"));
    }

    [Fact]
    public async Task A_deleted_thread_leaves_no_idempotency_row_behind()
    {
        var (thread, owner) = await CreatedThreadAsync();
        await thread.PostAsync(owner, "keyed", "erase-me");
        var threadId = thread.GetPrimaryKeyString();
        Assert.NotEmpty(await RowsAsync("messages", $"PartitionKey eq '{threadId}' and RowKey ge 'idempotency-'"));

        await thread.DeleteAsync(owner);

        Assert.Empty(await RowsAsync("messages", $"PartitionKey eq '{threadId}'"));
    }

    private IThreadGrain NewThread() => Grains.GetGrain<IThreadGrain>(Callers.NewId());

    private async Task<(IThreadGrain Thread, Caller Owner)> CreatedThreadAsync()
    {
        var owner = Callers.NewUser();
        var thread = NewThread();
        await thread.CreateAsync(owner, new NewThread("Test thread", null, new() { ["source"] = "tests" }));
        return (thread, owner);
    }

    private async Task<List<TableEntity>> RowsAsync(string table, string filter)
    {
        var rows = new List<TableEntity>();
        var client = new TableServiceClient(fixture.StorageConnectionString).GetTableClient(table);
        await foreach (var row in client.QueryAsync<TableEntity>(filter))
        {
            rows.Add(row);
        }

        return rows;
    }
}

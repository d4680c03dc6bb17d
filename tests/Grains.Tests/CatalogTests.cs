using AgentSilo.Access;
using AgentSilo.Admin;
using AgentSilo.Agents;
using AgentSilo.Health;
using AgentSilo.Threads;

namespace AgentSilo.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class CatalogTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Client;

    private IThreadCatalogGrain Catalog => Grains.GetGrain<IThreadCatalogGrain>(0);

    [Fact]
    public async Task A_user_lists_only_their_own_threads_newest_first_in_pages()
    {
        var owner = Callers.NewUser();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            // Distinct creation instants make "newest first" a checkable order.
            fixture.Clock.Advance(TimeSpan.FromSeconds(1));
            ids.Add((await Grains.GetGrain<IThreadGrain>(Callers.NewId()).CreateAsync(owner, new NewThread($"t{i}", null, null))).Id);
        }

        await Grains.GetGrain<IThreadGrain>(Callers.NewId()).CreateAsync(Callers.NewUser(), new NewThread("someone else's", null, null));

        var first = await Catalog.ListOwnAsync(owner, null, 2);
        var second = await Catalog.ListOwnAsync(owner, first.NextCursor, 2);
        var third = await Catalog.ListOwnAsync(owner, second.NextCursor, 2);

        var listed = first.Items.Concat(second.Items).Concat(third.Items).Select(t => t.Id);
        Assert.Equal(Enumerable.Reverse(ids), listed);
        Assert.NotNull(first.NextCursor);
        Assert.Null(third.NextCursor);
    }

    [Fact]
    public async Task A_bad_cursor_is_a_validation_error()
    {
        await Assert.ThrowsAsync<ValidationFailedException>(() => Catalog.ListOwnAsync(Callers.NewUser(), "not*base64url!", 10));
    }

    [Fact]
    public async Task Listing_every_thread_is_for_admins_and_is_audited_once_per_call()
    {
        var owner = Callers.NewUser();
        var thread = await Grains.GetGrain<IThreadGrain>(Callers.NewId()).CreateAsync(owner, new NewThread(null, null, null));
        var admin = Callers.NewAdmin("quarterly review");

        await Assert.ThrowsAsync<ForbiddenException>(() => Catalog.ListAllAsync(owner, null, null, 10));
        var forOwner = await Catalog.ListAllAsync(admin, owner.UserId, null, 10);
        var everything = await Catalog.ListAllAsync(admin, null, null, 100);

        Assert.Equal([thread.Id], forOwner.Items.Select(t => t.Id));
        Assert.NotEmpty(everything.Items);
        var audit = await Grains.GetGrain<IAuditGrain>(0).ListAsync(admin, admin.UserId, null, null, 10);
        Assert.Equal(2, audit.Items.Length);
        Assert.All(audit.Items, r => Assert.Equal(AuditActions.ThreadsList, r.Action));
        Assert.Equal([null, owner.UserId], audit.Items.Select(r => r.OwnerId));
        Assert.All(audit.Items, r => Assert.Equal("quarterly review", r.Reason));
    }

    [Fact]
    public async Task The_audit_log_is_for_admins_only_and_pages_newest_first()
    {
        var admin = Callers.NewAdmin();
        for (var i = 0; i < 3; i++)
        {
            fixture.Clock.Advance(TimeSpan.FromSeconds(1));
            await Catalog.ListAllAsync(admin with { AuditReason = $"r{i}" }, null, null, 1);
        }

        await Assert.ThrowsAsync<ForbiddenException>(() => Grains.GetGrain<IAuditGrain>(0).ListAsync(Callers.NewUser(), null, null, null, 10));
        var first = await Grains.GetGrain<IAuditGrain>(0).ListAsync(admin, admin.UserId, null, null, 2);
        var second = await Grains.GetGrain<IAuditGrain>(0).ListAsync(admin, admin.UserId, null, first.NextCursor, 2);

        Assert.Equal(["r2", "r1", "r0"], first.Items.Concat(second.Items).Select(r => r.Reason));
    }

    [Fact]
    public async Task Users_see_the_default_team_and_guests_see_no_agents()
    {
        var forUser = await Grains.GetGrain<IAgentCatalogGrain>(0).ListForAsync(Callers.NewUser());
        var forAdmin = await Grains.GetGrain<IAgentCatalogGrain>(0).ListForAsync(Callers.NewAdmin());
        var forGuest = await Grains.GetGrain<IAgentCatalogGrain>(0).ListForAsync(Callers.NewGuest());

        Assert.Contains(forUser, a => a.Name == "planner");
        Assert.Contains(forUser, a => a.Name == "writer");
        Assert.DoesNotContain(forUser, a => a.Name == "auditor");
        Assert.Contains(forAdmin, a => a.Name == "auditor");
        Assert.All(forUser, a => Assert.False(string.IsNullOrWhiteSpace(a.Description)));
        Assert.Empty(forGuest);
    }

    [Fact]
    public async Task The_storage_health_check_passes_while_storage_is_up()
    {
        await Grains.GetGrain<IHealthGrain>(0).CheckStorageAsync();
    }
}
